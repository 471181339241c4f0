"""What the public data looks like as JSON: the read API answers these, and a static build
or an embed script reads the same objects.

Each function takes the object and `absolute`, which turns a site path ("/papers/x/") into
a full address: `request.build_absolute_uri` on the server, the base URL joined to the
path in a static build. An address that is already absolute (a link to another site) must
come back unchanged. Empty optional text is `null`, never "".

The objects must be fetched as the querysets below fetch them (papers through
`shown_in_full()`, the others from `public_authors()` and its siblings, with their counts):
the API's views and a static build read them the same way, in a fixed number of queries.
"""

from collections.abc import Callable

from django.urls import reverse

from bibliography.citations.kinds import work_kind
from bibliography.models import Author, Award, Paper, Topic, Venue
from bibliography.views import _published_count

Absolute = Callable[[str], str]

API = "api-v1"


def shown_in_full(papers):
    """`papers` with all their representation shows, in a fixed number of queries."""
    return papers.for_list().select_related("venue__series")


def public_authors():
    """Everyone with a published paper, by family name, with `paper_count`."""
    return (
        Author.objects.public()
        .annotate(paper_count=_published_count("authorships__paper"))
        .order_by("family_name", "given_name", "pk")
    )


def public_venues():
    """Venues with a published paper (series through their members), with `paper_count`."""
    return (
        Venue.objects.public()
        .select_related("series")
        .annotate(paper_count=_published_count("papers"))
        .order_by("short_name", "name", "pk")
    )


def public_awards():
    """Awards a published paper received, newest first, with `paper_count`."""
    return (
        Award.objects.public()
        .select_related("venue")
        .annotate(paper_count=_published_count("papers"))
        .order_by("-year", "name", "pk")
    )


def public_topics():
    """Topics of published papers, by name, with `paper_count`."""
    return (
        Topic.objects.public()
        .annotate(paper_count=_published_count("papers"))
        .order_by("name", "pk")
    )


def _text(value) -> str | None:
    return value or None


def _addresses(obj, name: str, absolute: Absolute) -> dict:
    """The object's page on the site and its resource in the API."""
    return {
        "page_url": absolute(obj.get_absolute_url()),
        "api_url": absolute(reverse(f"{API}:{name}-detail", kwargs={"slug": obj.slug})),
    }


def papers_url(parameter: str, slug: str, absolute: Absolute) -> str:
    """The API's paper list narrowed to one author, venue, award or topic."""
    return absolute(f"{reverse(f'{API}:paper-list')}?{parameter}={slug}")


def venue_reference(venue: Venue, absolute: Absolute) -> dict:
    """A venue as a paper or an award names it."""
    return {
        "slug": venue.slug,
        "name": venue.name,
        "short_name": _text(venue.short_name),
        "kind": venue.kind,
        **_addresses(venue, "venue", absolute),
    }


def venue(venue: Venue, absolute: Absolute) -> dict:
    return {
        **paper_venue(venue, absolute),
        "homepage": _text(venue.url),
        "paper_count": venue.paper_count,
        "papers_url": papers_url("venue", venue.slug, absolute),
    }


def paper_venue(venue: Venue, absolute: Absolute) -> dict:
    """A paper's venue, with the series it belongs to."""
    series = venue.series
    return {
        **venue_reference(venue, absolute),
        "series": venue_reference(series, absolute) if series else None,
    }


def author(author: Author, absolute: Absolute) -> dict:
    return {
        "slug": author.slug,
        "name": author.name,
        "given_name": _text(author.given_name),
        "particle": _text(author.particle),
        "family_name": author.family_name,
        "suffix": _text(author.suffix),
        "orcid": _text(author.orcid),
        "homepage": _text(author.homepage),
        "is_site_owner": author.is_site_owner,
        "position": _text(author.position),
        "affiliation": _text(author.affiliation),
        "photo_url": absolute(author.photo.url) if author.photo else None,
        "paper_count": author.paper_count,
        **_addresses(author, "author", absolute),
        "papers_url": papers_url("author", author.slug, absolute),
    }


def award_reference(award: Award, absolute: Absolute) -> dict:
    return {
        "slug": award.slug,
        "name": award.name,
        "kind": award.kind,
        "year": award.year,
        **_addresses(award, "award", absolute),
    }


def award(award: Award, absolute: Absolute) -> dict:
    return {
        **award_reference(award, absolute),
        "description": _text(award.description),
        "given_by": venue_reference(award.venue, absolute) if award.venue else None,
        "announcement_url": _text(award.url),
        "paper_count": award.paper_count,
        "papers_url": papers_url("award", award.slug, absolute),
    }


def topic_reference(topic: Topic, absolute: Absolute) -> dict:
    return {"slug": topic.slug, "name": topic.name, **_addresses(topic, "topic", absolute)}


def topic(topic: Topic, absolute: Absolute) -> dict:
    return {
        **topic_reference(topic, absolute),
        "description": _text(topic.description),
        "paper_count": topic.paper_count,
        "papers_url": papers_url("topic", topic.slug, absolute),
    }


def byline(paper: Paper, absolute: Absolute) -> list[dict]:
    """Every author in byline order, with their place and roles. An author whose place the
    source does not give ("incl.") has `place_known` false and comes after the others."""
    return [
        {
            "slug": authorship.author.slug,
            "name": authorship.author.name,
            "place": authorship.position,
            "place_known": authorship.order_known,
            "roles": [
                {"slug": role.slug, "name": role.name, "symbol": role.symbol}
                for role in authorship.role_list
            ],
            "is_site_owner": authorship.author.is_site_owner,
            **_addresses(authorship.author, "author", absolute),
        }
        for authorship in sorted(
            paper.ordered_authorships, key=lambda authorship: not authorship.order_known
        )
    ]


def paper(paper: Paper, absolute: Absolute) -> dict:
    exports = {
        name: absolute(
            reverse("bibliography:paper-export", kwargs={"slug": paper.slug, "fmt": fmt})
        )
        for name, fmt in (("bibtex", "bib"), ("ris", "ris"), ("csl_json", "json"))
    }
    return {
        "slug": paper.slug,
        "title": paper.title,
        "year": paper.year,
        "month": paper.month,
        "kind": str(work_kind(paper)),
        "entry_type": paper.entry_type,
        "authors": byline(paper, absolute),
        "authors_partial": paper.byline_is_partial,
        "venue": paper_venue(paper.venue, absolute) if paper.venue else None,
        "container_title": _text(paper.container_title),
        "publisher": _text(paper.publisher),
        "volume": _text(paper.volume),
        "number": _text(paper.number),
        "pages": _text(paper.pages),
        "abstract": _text(paper.abstract),
        "identifiers": {
            "doi": _text(paper.doi),
            "arxiv_id": _text(paper.arxiv_id),
            "arxiv_primary_class": _text(paper.arxiv_primary_class),
            "citation_key": paper.citation_key,
        },
        "landing_url": _text(paper.url),
        "pdf_url": absolute(paper.pdf_href) if paper.pdf_href else None,
        "code_url": _text(paper.code_url),
        "awards": [award_reference(award, absolute) for award in paper.awards.all()],
        "topics": [topic_reference(topic, absolute) for topic in paper.topics.all()],
        "links": [
            {"kind": link.kind, "label": link.text, "url": absolute(link.href)}
            for link in paper.ordered_links
        ],
        "featured": paper.featured,
        **_addresses(paper, "paper", absolute),
        "exports": exports,
    }
