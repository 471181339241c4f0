"""What search engines read from a paper page: Highwire Press tags and schema.org JSON-LD.

Google Scholar indexes a paper page by its `citation_*` meta tags (the Highwire Press
names: `citation_publication_date`, never `citation_date`); general search engines
read a schema.org `ScholarlyArticle`. Every URL here is absolute, as both require.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bibliography.citations.bylines import cited_authors, family_first, is_organization
from bibliography.citations.kinds import WorkKind, issuer, work_kind
from bibliography.citations.latex import one_line, page_range, paragraphs
from bibliography.models import Author, Paper

# The characters that could end a <script> data block or open a comment, written as JSON
# escapes (what django's json_script does; it cannot set type="application/ld+json").
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# The tag that names where a paper appeared, by its kind of work.
CONTAINER_TAGS = {
    WorkKind.JOURNAL_ARTICLE: "citation_journal_title",
    WorkKind.CONFERENCE_PAPER: "citation_conference_title",
    WorkKind.CHAPTER: "citation_inbook_title",
}


def full_name(author: Author) -> str:
    """`Given von Family Jr`, with no comma, so no reader mistakes the suffix for a given name."""
    parts = (author.given_name, author.particle, author.family_name, author.suffix)
    return " ".join(one_line(part) for part in parts if part.strip())


def highwire_tags(paper: Paper, absolute_uri) -> list[tuple[str, str]]:
    """The (name, content) pairs of the paper's `<meta name="citation_...">` tags, with
    Dublin Core's `DC.creator` for each author.

    `absolute_uri` turns a path or URL into an absolute URL (`request.build_absolute_uri`).
    """
    tags = [("citation_title", one_line(paper.title))]
    # "Family, Given" as Google Scholar's own example: Zotero splits a name without a comma
    # at its last word ("Teven Le Scao" would become "Scao"). Dublin Core's creator, which
    # Zotero reads when a page has no Highwire tags, is written the same way.
    authors = [family_first(author) for author in cited_authors(paper)]
    tags += [("citation_author", name) for name in authors]
    tags += [("DC.creator", name) for name in authors]
    if paper.year:
        date = f"{paper.year}/{paper.month:02d}" if paper.month else str(paper.year)
        tags.append(("citation_publication_date", date))
    kind = work_kind(paper)
    container = one_line(paper.container_title)
    if container and kind in CONTAINER_TAGS:
        tags.append((CONTAINER_TAGS[kind], container))
    if kind in (WorkKind.PHD_THESIS, WorkKind.MASTERS_THESIS):
        tags.append(("citation_dissertation_institution", issuer(paper)))
    if kind == WorkKind.REPORT:
        tags.append(("citation_technical_report_institution", issuer(paper)))
    if paper.publisher:
        tags.append(("citation_publisher", paper.publisher))
    tags += [("citation_volume", paper.volume), ("citation_issue", paper.number)]
    first_page, last_page = page_range(paper.pages)
    tags += [("citation_firstpage", first_page), ("citation_lastpage", last_page)]
    tags += [("citation_doi", paper.doi), ("citation_arxiv_id", paper.arxiv_id)]
    if paper.pdf_href:
        tags.append(("citation_pdf_url", absolute_uri(paper.pdf_href)))
    tags.append(("citation_abstract_html_url", absolute_uri(paper.get_absolute_url())))
    return [(name, one_line(content)) for name, content in tags if content and one_line(content)]


def scholarly_article(paper: Paper, absolute_uri) -> dict:
    """The paper as a schema.org ScholarlyArticle (JSON-LD), awards under `award`."""
    page_url = absolute_uri(paper.get_absolute_url())
    article = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": page_url,
        "url": page_url,
        "headline": one_line(paper.title)[:110],
        "name": one_line(paper.title),
    }
    authors = [_person(author, absolute_uri) for author in cited_authors(paper)]
    if authors:
        article["author"] = authors
    if paper.year:
        article["datePublished"] = (
            f"{paper.year}-{paper.month:02d}" if paper.month else str(paper.year)
        )
    if paper.container_title:
        periodical = work_kind(paper) == WorkKind.JOURNAL_ARTICLE
        article["isPartOf"] = {
            "@type": "Periodical" if periodical else "CreativeWork",
            "name": one_line(paper.container_title),
        }
    if paper.publisher:
        article["publisher"] = {"@type": "Organization", "name": one_line(paper.publisher)}
    first_page, last_page = page_range(paper.pages)
    if first_page:
        article["pageStart"] = first_page
    if last_page:
        article["pageEnd"] = last_page
    part_of = _volume_and_issue(paper, article.get("isPartOf"))
    if part_of:
        article["isPartOf"] = part_of
    same_as = []
    if paper.doi:
        article["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
        same_as.append(paper.doi_url)
    if paper.arxiv_id:
        same_as.append(paper.arxiv_url)
    if paper.url:
        same_as.append(paper.url)
    if same_as:
        article["sameAs"] = same_as
    if paper.pdf_href:
        article["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": absolute_uri(paper.pdf_href),
            "encodingFormat": "application/pdf",
        }
    if paper.abstract:
        article["abstract"] = "\n\n".join(paragraphs(paper.abstract))
    awards = [award.name for award in paper.awards.all()]
    if awards:
        article["award"] = awards
    return article


def json_ld_script(data: dict) -> SafeString:
    """A `<script type="application/ld+json">` data block that no string in `data` can end.

    A data block is not executed, so a strict Content-Security-Policy allows it.
    """
    payload = json.dumps(data, ensure_ascii=False, indent=2).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _volume_and_issue(paper: Paper, container: dict | None) -> dict | None:
    """schema.org's nesting: the article is part of an issue (`issueNumber`), part of a
    volume (`volumeNumber`), part of the periodical; `volumeNumber` and `issueNumber` are
    properties of `PublicationVolume` and `PublicationIssue`, not of the article."""
    part = container
    if paper.volume:
        part = {"@type": "PublicationVolume", "volumeNumber": one_line(paper.volume)}
        if container:
            part["isPartOf"] = container
    if paper.number:
        issue = {"@type": "PublicationIssue", "issueNumber": one_line(paper.number)}
        if part:
            issue["isPartOf"] = part
        part = issue
    return part


def _person(author: Author, absolute_uri) -> dict:
    if is_organization(author):
        return {"@type": "Organization", "name": one_line(author.family_name)}
    person = {
        "@type": "Person",
        "name": full_name(author),
        "familyName": " ".join(
            one_line(p) for p in (author.particle, author.family_name) if p.strip()
        ),
        "url": absolute_uri(author.get_absolute_url()),
    }
    if author.given_name:
        person["givenName"] = one_line(author.given_name)
    if author.orcid:
        person["sameAs"] = f"https://orcid.org/{author.orcid}"
    return person
