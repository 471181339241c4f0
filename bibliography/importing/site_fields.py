"""The fields that personal-site generators and reference managers add to BibTeX.

al-folio (and jekyll-scholar sites built like it, and Hugo Blox's BibTeX import) write the
site into the entry: `abbr` (the badge), `selected`, `preview`, `bibtex_show`, buttons
(`pdf`, `html`, `slides`, `poster`, `video`, `code`, `website`, `blog`, `supp`), `award`,
badges' ids (`altmetric`, `dimensions`, `google_scholar_id`, `inspirehep_id`) and a legend
for the authors' marks (`annotation`). JabRef, Zotero, BibDesk and Mendeley keep their
housekeeping there (`owner`, `timestamp`, `file`, `groups`, `date-added`, `bdsk-url-1`...).

`read_site_fields` turns the first into what this site has for them (the venue's short
name, an award, "selected", typed links, identifiers); neither kind is kept as an extra
field, so none of it is ever written into a citation export (`NOT_EXPORTED_FIELDS`).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from bibliography.importing.latex import latex_to_plain, latex_to_unicode
from bibliography.models import SERVICE_IDENTIFIERS, Paper, PaperLink, validate_web_url
from bibliography.uploads import check_image

# al-folio's buttons that become typed links (the paper's own `pdf` and `code` are its
# pdf_url and code_url columns, see mapping.URL_COLUMNS).
LINK_FIELDS = {
    "html": PaperLink.Kind.LANDING,
    "supp": PaperLink.Kind.SUPPLEMENT,
    "slides": PaperLink.Kind.SLIDES,
    "poster": PaperLink.Kind.POSTER,
    "video": PaperLink.Kind.VIDEO,
    "website": PaperLink.Kind.PROJECT,
    "blog": PaperLink.Kind.BLOG,
}
# Where al-folio looks for a field that is a path, not an address (its _layouts/bib.liquid).
SITE_FOLDERS = {
    "pdf": "assets/pdf/",
    "supp": "assets/pdf/",
    "slides": "assets/pdf/",
    "poster": "assets/pdf/",
    "preview": "assets/img/publication_preview/",
}
IDENTIFIER_FIELDS = {
    "altmetric": "altmetric_id",
    "dimensions": "dimensions_id",
    "google_scholar_id": "google_scholar_id",
    "inspirehep_id": "inspire_id",
}
LEGEND_FIELDS = ("annotation", "additional_info")
SITE_ONLY_FIELDS = {
    "abbr", "selected", "preview", "bibtex_show", "award", "award_name",
    *LINK_FIELDS, *IDENTIFIER_FIELDS,
}  # fmt: skip
# Reference managers' own bookkeeping: about the user's copy, not the work.
HOUSEKEEPING_FIELDS = {
    "owner", "timestamp", "file", "groups", "ranking", "readstatus", "qualityassured",
    "printed", "relevance", "date-added", "date-modified", "mendeley-groups", "mendeley-tags",
}  # fmt: skip
_HOUSEKEEPING_PATTERN = re.compile(r"^(?:bdsk-(?:url|file)-\d+|jabref-.*)$")
# What a BibTeX export never writes from a paper's extra fields, whatever older imports or
# an editor stored there. al-folio's `additional_info` (a remark in Markdown shown beside
# the venue) is kept as an extra field for the editor, never exported; `annotation` is
# biblatex's own field (annotated bibliographies) and is exported as written.
NOT_EXPORTED_FIELDS = SITE_ONLY_FIELDS | HOUSEKEEPING_FIELDS | {"additional_info"}

_TRUE = {"true", "yes", "1"}
_LINE_BREAK = re.compile(r"<br\s*/?>|</p>|</li>", re.IGNORECASE)
_LEADING_SYMBOLS = re.compile(r"^[^\w(\[]+")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TRAILING_YEAR = re.compile(r"\s*['’]?(?:19|20)?\d{2}$")
_KEYWORD_SEPARATOR = re.compile(r"\s*[,;]\s*")
TOPIC_NAME_LIMIT = 100
AWARD_NAME_LIMIT = 200


def is_housekeeping(name: str) -> bool:
    return name in HOUSEKEEPING_FIELDS or bool(_HOUSEKEEPING_PATTERN.match(name))


@dataclass
class SiteData:
    """What an entry says about the site rather than the work."""

    featured: bool = False
    venue_short_name: str = ""
    awards: list[tuple[str, str]] = field(default_factory=list)  # (name, description)
    topics: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, url)
    identifiers: dict[str, str] = field(default_factory=dict)  # Paper column -> id
    legend_text: str = ""
    # The `preview` image's bytes, read from the folder the importer was given (checked by
    # uploads.check_image; stored resized under a generated name when the paper is made).
    preview_image: bytes = b""


def site_address(name: str, value: str, link_base: str) -> tuple[str, str]:
    """(the web address of an al-folio field's value, "") or ("", why there is none).

    A full address is itself; `www.` gets its scheme; a path is the site's (`paper.pdf` is
    al-folio's /assets/pdf/paper.pdf), joined to `link_base` when one is given.
    """
    value = value.strip()
    if "://" in value or _SCHEME.match(value):
        return value, ""  # an address (checked by the caller), or `javascript:` to refuse
    if value.startswith("www."):
        return f"https://{value}", ""
    path = value.lstrip("/") if value.startswith("/") else SITE_FOLDERS.get(name, "") + value
    if not link_base:
        return "", gettext(
            "is a path on the site (/%(path)s); give the site's address (--link-base, or "
            "'Address of the site' in the admin) to import it as a link"
        ) % {"path": path}
    return f"{link_base.rstrip('/')}/{path}", ""


def check_link_base(link_base: str) -> str:
    """Why `link_base` cannot be a site's address (a web address, no query), or ""."""
    if not link_base:
        return ""
    if refusal := validation_message(validate_web_url, link_base):
        return refusal
    if "?" in link_base or "#" in link_base:
        return gettext("the site's address takes no query or fragment")
    return ""


def validation_message(validate, value) -> str:
    """Why `validate` refuses `value` (its messages), or "" when it passes."""
    try:
        validate(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def read_site_fields(
    fields: dict[str, str],
    *,
    link_base: str,
    notes: list[str],
    warnings: list[str],
    preview_dir: Path | None = None,
) -> SiteData:
    """The site-only fields of one entry, as this site keeps them; refusals are warnings.

    `preview_dir` is the folder of the site's preview images (al-folio's
    assets/img/publication_preview/): the `preview` file is read from it, never from
    outside it; without it the field is a note.
    """
    site = SiteData()
    site.featured = latex_to_plain(fields.get("selected", "")).strip().lower() in _TRUE
    if abbr := latex_to_unicode(fields.get("abbr", "")).strip():
        # "NeurIPS 2025" badges one year's paper; the venue's short name is "NeurIPS".
        site.venue_short_name = _TRAILING_YEAR.sub("", abbr).strip() or abbr

    # al-folio: `award_name` is the badge ("Best Paper"), `award` the text it opens; some
    # sites write `award = {true}` beside the name, and emoji into it ("🏆 Oral").
    award = latex_to_unicode(fields.get("award", "")).strip()
    if award.lower() in _TRUE | {"false", "no", "0"}:
        award = ""
    award_name = _LEADING_SYMBOLS.sub("", latex_to_unicode(fields.get("award_name", ""))).strip()
    if award or award_name:
        name = award_name or award
        if len(name) > AWARD_NAME_LIMIT:
            notes.append(
                gettext("award name longer than %(limit)s characters; shortened")
                % {"limit": AWARD_NAME_LIMIT}
            )
            name = name[: AWARD_NAME_LIMIT - 1].rstrip() + "…"
        site.awards.append((name, award if award and award != name else ""))

    for topic in _KEYWORD_SEPARATOR.split(latex_to_unicode(fields.get("keywords", ""))):
        topic = " ".join(topic.split())
        if not topic:
            continue
        if len(topic) > TOPIC_NAME_LIMIT:
            notes.append(
                gettext("keyword `%(keyword)s...` too long for a topic; not a topic")
                % {"keyword": topic[:40]}
            )
        elif topic.casefold() not in {t.casefold() for t in site.topics}:
            site.topics.append(topic)

    for name, kind in LINK_FIELDS.items():
        if value := latex_to_plain(fields.get(name, "")).strip():
            address = _checked_address(name, value, link_base, warnings)
            if address and (kind, address) not in site.links:
                site.links.append((kind, address))

    if preview := latex_to_plain(fields.get("preview", "")).strip():
        if preview_dir is not None and "://" not in preview:
            site.preview_image = read_preview(preview, preview_dir, notes, warnings)
        else:
            address, _ = site_address("preview", preview, link_base)
            where = address or f"/{SITE_FOLDERS['preview']}{preview}"
            if "://" in preview:
                note = gettext(
                    "preview image `%(image)s` not imported (the site had it at %(where)s): "
                    "upload it on the paper's admin page"
                )
            else:
                note = gettext(
                    "preview image `%(image)s` not imported (the site had it at %(where)s): "
                    "upload it on the paper's admin page, or give its folder (--preview-dir)"
                )
            notes.append(note % {"image": preview, "where": where})

    for name, column in IDENTIFIER_FIELDS.items():
        value = latex_to_plain(fields.get(name, "")).strip()
        if not value:
            continue
        if value.lower() in _TRUE | {"false", "no", "0"}:
            # al-folio's `altmetric={true}` asks for a badge found by the DOI: no id to keep.
            notes.append(
                gettext("%(field)s = `%(value)s` names no id; nothing kept")
                % {"field": name, "value": value}
            )
            continue
        pattern, label, _url = SERVICE_IDENTIFIERS[column]
        if re.match(pattern, value):
            site.identifiers[column] = value
        else:
            warnings.append(
                gettext("%(field)s `%(value)s` left out: not a %(service)s id")
                % {"field": name, "value": value[:60], "service": label}
            )

    # Decoding drops HTML tags, and with them the line breaks between a legend's items.
    site.legend_text = "; ".join(
        latex_to_unicode(_LINE_BREAK.sub("; ", fields[name]))
        for name in LEGEND_FIELDS
        if fields.get(name)
    )
    dropped = sorted(name for name in fields if is_housekeeping(name))
    if dropped:
        notes.append(
            gettext("reference-manager fields not kept: %(fields)s")
            % {"fields": ", ".join(dropped)}
        )
    return site


def read_preview(name: str, folder: Path, notes: list[str], warnings: list[str]) -> bytes:
    """The bytes of the image `name` in `folder`, or b"" with a warning saying why not.

    The file must be inside `folder` once every symlink and `..` is followed (a file may
    name `../../.ssh/id_rsa`), a regular file, and pass the upload checks (size, an image
    by its bytes)."""
    root = folder.resolve()
    path = (root / name).resolve()
    label = gettext("preview image `%(image)s`") % {"image": name[:80]}
    if not path.is_relative_to(root):
        warnings.append(
            gettext("%(image)s left out: it is outside the preview folder %(folder)s")
            % {"image": label, "folder": folder}
        )
        return b""
    if not path.is_file():
        warnings.append(
            gettext("%(image)s left out: no such file in the preview folder %(folder)s")
            % {"image": label, "folder": folder}
        )
        return b""
    limit = settings.UPLOAD_MAX_BYTES
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        warnings.append(
            gettext("%(image)s left out: larger than the limit, %(limit)s")
            % {"image": label, "limit": filesizeformat(limit)}
        )
        return b""
    if refusal := validation_message(check_image, ContentFile(data)):
        warnings.append(gettext("%(image)s left out: %(why)s") % {"image": label, "why": refusal})
        return b""
    notes.append(
        gettext(
            "%(image)s imported from %(folder)s, described by the paper's title: say what the "
            "figure shows on the paper's admin page"
        )
        % {"image": label, "folder": folder}
    )
    return data


def preview_description(title: str) -> str:
    """The alt text of an imported preview image, which the file never gives: the title."""
    return f"Figure from “{title}”"[: Paper._meta.get_field("preview_alt").max_length]


def _checked_address(name: str, value: str, link_base: str, warnings: list[str]) -> str:
    """The field's web address, or "" with a warning naming the field and why."""
    address, problem = site_address(name, value, link_base)
    if not problem and (refusal := validation_message(validate_web_url, address)):
        problem = gettext("left out: %(why)s") % {"why": refusal}
    elif not problem and len(address) > 500:
        problem = gettext("left out: longer than 500 characters")
    if problem:
        warnings.append(
            gettext("%(field)s `%(value)s` %(problem)s")
            % {"field": name, "value": value[:80], "problem": problem}
        )
        return ""
    return address


def resolve_paper_url(name: str, value: str, link_base: str, warnings: list[str]) -> str:
    """A `pdf`/`code`/`url` value as the web address the paper's column keeps, or ""."""
    return _checked_address(name, value, link_base, warnings)
