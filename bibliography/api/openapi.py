"""The OpenAPI 3.1 description of the read API, served at /api/v1/openapi.json.

Written by hand next to `representations.py`, whose objects it describes field for field
(`additionalProperties: false`, every field required), and tested against the served API by
schemathesis (tests/test_api_fuzz.py). The paper list's parameters are the list's FilterSet
(`PaperFilter`): their choices come from the same models, and a test checks that every
filter is described.
"""

from bibliography import search
from bibliography.citations.kinds import WorkKind
from bibliography.filters import MAX_VALUES_PER_PARAMETER, ROLE_CHOICES, SORT_CHOICES
from bibliography.models import MAX_YEAR, MIN_YEAR, Award, Paper, PaperLink, Venue

VERSION = "1.0.0"
SLUG = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": 120}
URL = {"type": "string", "format": "uri"}
YEAR = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _or_null(schema: dict) -> dict:
    if "type" in schema and isinstance(schema["type"], str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


TEXT_OR_NULL = {"type": ["string", "null"]}
URL_OR_NULL = _or_null(URL)


def _object(properties: dict, description: str = "") -> dict:
    """An object with exactly these properties, all present (null where the text says so)."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    return {**schema, "description": description} if description else schema


ADDRESSES = {
    "page_url": {**URL, "description": "Its page on the site."},
    "api_url": {**URL, "description": "Its resource in this API."},
}
PAPERS_URL = {**URL, "description": "The API's paper list narrowed to this one."}
PAPER_COUNT = {"type": "integer", "minimum": 0, "description": "Its published papers."}


def _choices(choices) -> list[str]:
    return [str(value) for value, _label in choices]


VENUE_REFERENCE = {
    "slug": SLUG,
    "name": {"type": "string"},
    "short_name": TEXT_OR_NULL,
    "kind": {"type": "string", "enum": _choices(Venue.Kind.choices)},
    **ADDRESSES,
}
PAPER_VENUE = {
    **VENUE_REFERENCE,
    "series": {
        **_or_null(_ref("VenueReference")),
        "description": "The series the venue belongs to (NeurIPS for its Datasets track).",
    },
}
AWARD_REFERENCE = {
    "slug": SLUG,
    "name": {"type": "string"},
    "kind": {"type": "string", "enum": _choices(Award.Kind.choices)},
    "year": _or_null(YEAR),
    **ADDRESSES,
}
TOPIC_REFERENCE = {"slug": SLUG, "name": {"type": "string"}, **ADDRESSES}

SCHEMAS = {
    "VenueReference": _object(VENUE_REFERENCE),
    "PaperVenue": _object(PAPER_VENUE, "A paper's venue."),
    "Venue": _object(
        {
            **PAPER_VENUE,
            "homepage": URL_OR_NULL,
            "paper_count": {
                **PAPER_COUNT,
                "description": "Papers at this venue itself (a series' members count theirs).",
            },
            "papers_url": {
                **PAPERS_URL,
                "description": "The API's paper list at this venue (a series': its members').",
            },
        }
    ),
    "Author": _object(
        {
            "slug": SLUG,
            "name": {"type": "string", "description": "As the site shows it."},
            "given_name": TEXT_OR_NULL,
            "particle": {**TEXT_OR_NULL, "description": "The 'von' part, e.g. 'van der'."},
            "family_name": {"type": "string"},
            "suffix": {**TEXT_OR_NULL, "description": "e.g. 'Jr.'"},
            "orcid": {
                "type": ["string", "null"],
                "pattern": r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$",
            },
            "homepage": URL_OR_NULL,
            "is_site_owner": {"type": "boolean"},
            "position": {**TEXT_OR_NULL, "description": "e.g. 'PhD student'."},
            "affiliation": TEXT_OR_NULL,
            "photo_url": URL_OR_NULL,
            "paper_count": PAPER_COUNT,
            **ADDRESSES,
            "papers_url": PAPERS_URL,
        }
    ),
    "AwardReference": _object(AWARD_REFERENCE),
    "Award": _object(
        {
            **AWARD_REFERENCE,
            "description": TEXT_OR_NULL,
            "given_by": _or_null(_ref("VenueReference")),
            "announcement_url": URL_OR_NULL,
            "paper_count": PAPER_COUNT,
            "papers_url": PAPERS_URL,
        }
    ),
    "TopicReference": _object(TOPIC_REFERENCE),
    "Topic": _object(
        {
            **TOPIC_REFERENCE,
            "description": TEXT_OR_NULL,
            "paper_count": PAPER_COUNT,
            "papers_url": PAPERS_URL,
        }
    ),
    "Role": _object(
        {
            "slug": SLUG,
            "name": {"type": "string", "description": "e.g. 'equal contribution'."},
            "symbol": {"type": "string", "description": "The mark after the name, e.g. '*'."},
        }
    ),
    "BylineAuthor": _object(
        {
            "slug": SLUG,
            "name": {"type": "string"},
            "place": {"type": "integer", "minimum": 1, "description": "1 for the first author."},
            "place_known": {
                "type": "boolean",
                "description": "False for a co-author the source names only as 'incl.': "
                "listed on the paper, not in exported bylines; these come last.",
            },
            "roles": {"type": "array", "items": _ref("Role")},
            "is_site_owner": {"type": "boolean"},
            **ADDRESSES,
        }
    ),
    "Link": _object(
        {
            "kind": {"type": "string", "enum": _choices(PaperLink.Kind.choices)},
            "label": {"type": "string", "description": "The button's text."},
            "url": URL,
        }
    ),
    "Paper": _object(
        {
            "slug": SLUG,
            "title": {"type": "string"},
            "year": _or_null(YEAR),
            "month": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
            "kind": {
                "type": "string",
                "enum": [kind.value for kind in WorkKind],
                "description": "The kind of work, as the citations name it (a preprint, a "
                "conference paper...).",
            },
            "entry_type": {"type": "string", "enum": _choices(Paper.EntryType.choices)},
            "authors": {"type": "array", "items": _ref("BylineAuthor")},
            "authors_partial": {
                "type": "boolean",
                "description": "True when the byline goes on beyond the known places (et al.).",
            },
            "venue": _or_null(_ref("PaperVenue")),
            "container_title": TEXT_OR_NULL,
            "publisher": TEXT_OR_NULL,
            "volume": TEXT_OR_NULL,
            "number": TEXT_OR_NULL,
            "pages": TEXT_OR_NULL,
            "abstract": {**TEXT_OR_NULL, "description": "Paragraphs separated by a blank line."},
            "identifiers": _object(
                {
                    "doi": TEXT_OR_NULL,
                    "arxiv_id": TEXT_OR_NULL,
                    "arxiv_primary_class": TEXT_OR_NULL,
                    "citation_key": {"type": "string"},
                }
            ),
            "landing_url": URL_OR_NULL,
            "pdf_url": URL_OR_NULL,
            "code_url": URL_OR_NULL,
            "awards": {"type": "array", "items": _ref("AwardReference")},
            "topics": {"type": "array", "items": _ref("TopicReference")},
            "links": {"type": "array", "items": _ref("Link")},
            "featured": {"type": "boolean", "description": "Among the selected publications."},
            **ADDRESSES,
            "exports": _object({"bibtex": URL, "ris": URL, "csl_json": URL}),
        }
    ),
    "Error": _object(
        {
            "error": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "parameter": {
                        "type": "string",
                        "description": "The query parameter at fault, when one is.",
                    },
                },
                "required": ["status", "message"],
                "additionalProperties": False,
            }
        }
    ),
    "Index": _object(
        dict.fromkeys(("papers", "authors", "venues", "awards", "topics", "openapi"), URL)
    ),
}


def _page_of(item: str) -> dict:
    return _object(
        {
            "count": {"type": "integer", "minimum": 0, "description": "Results on all pages."},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
            "next": URL_OR_NULL,
            "previous": URL_OR_NULL,
            "results": {"type": "array", "items": _ref(item)},
        }
    )


for _item in ("Paper", "Author", "Venue", "Award", "Topic"):
    SCHEMAS[f"{_item}Page"] = _page_of(_item)


def _query(name: str, schema: dict, description: str) -> dict:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    if schema.get("type") == "array":
        parameter.update(style="form", explode=True)
    return {**parameter, "description": description}


def _repeatable(items: dict) -> dict:
    return {"type": "array", "items": items, "maxItems": MAX_VALUES_PER_PARAMETER}


PAGE_PARAMETERS = [
    _query("page", {"type": "integer", "minimum": 1}, "The page (1 for the first)."),
    _query(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
        "Results per page.",
    ),
]
# The list page's parameters (bibliography/filters.py, PaperFilter), described one by one.
PAPER_FILTERS = [
    _query(
        "q",
        {"type": "string", "maxLength": search.MAX_QUERY_LENGTH},
        "Search titles, authors, venues, abstracts and identifiers (as the list's search box).",
    ),
    _query("year", _repeatable(YEAR), "Published in one of these years."),
    _query("year_from", YEAR, "Published in this year or later."),
    _query("year_to", YEAR, "Published in this year or earlier."),
    _query("venue", _repeatable(SLUG), "At one of these venues (a series: any of its members)."),
    _query(
        "kind",
        _repeatable({"type": "string", "enum": _choices(Venue.Kind.choices)}),
        "At a venue of one of these kinds.",
    ),
    _query("author", _repeatable(SLUG), "By one of these authors."),
    _query("topic", _repeatable(SLUG), "Under one of these topics."),
    _query("award", _repeatable(SLUG), "With one of these awards; `any`: with any award."),
    _query(
        "featured",
        _repeatable({"type": "string", "enum": ["1"]}),
        "1: the selected publications only.",
    ),
    _query(
        "type",
        _repeatable({"type": "string", "enum": _choices(Paper.EntryType.choices)}),
        "Of one of these BibTeX entry types.",
    ),
    _query(
        "role",
        {"type": "string", "enum": _choices(ROLE_CHOICES)},
        "With `author` (one): where that author is first, last or corresponding.",
    ),
    _query(
        "sort",
        {"type": "string", "enum": _choices(SORT_CHOICES)},
        "newest (the default), oldest, title, or relevance (with `q`, its default).",
    ),
]
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of a copy you hold: 304 while it is current.",
}
SLUG_PATH = {"name": "slug", "in": "path", "required": True, "schema": SLUG}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _operation(operation_id: str, summary: str, schema: str, parameters: list) -> dict:
    responses = {
        "200": {
            "description": summary,
            "headers": {
                "ETag": {"schema": {"type": "string"}},
                "Last-Modified": {"schema": {"type": "string"}},
            },
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "304": {"description": "Not modified: the copy named by If-None-Match is current."},
        "400": _error("A parameter this resource does not take, or a value it cannot use."),
        "429": {
            **_error("Too many requests from one address; wait Retry-After seconds."),
            "headers": {"Retry-After": {"schema": {"type": "string"}}},
        },
    }
    if any(parameter["in"] == "path" for parameter in parameters):
        responses["404"] = _error("No public object has this slug (drafts are not public).")
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [*parameters, IF_NONE_MATCH],
            "responses": responses,
        }
    }


def _paths() -> dict:
    paths = {
        "/api/v1/": _operation("index", "Where each resource is.", "Index", []),
        "/api/v1/papers/": _operation(
            "listPapers",
            "Published papers, filtered as the list page filters, in its order.",
            "PaperPage",
            [*PAPER_FILTERS, *PAGE_PARAMETERS],
        ),
    }
    for name, plural in (
        ("paper", "papers"),
        ("author", "authors"),
        ("venue", "venues"),
        ("award", "awards"),
        ("topic", "topics"),
    ):
        schema = name.capitalize()
        if name != "paper":
            paths[f"/api/v1/{plural}/"] = _operation(
                f"list{schema}s",
                f"Every {name} with a published paper.",
                f"{schema}Page",
                PAGE_PARAMETERS,
            )
        paths[f"/api/v1/{plural}/{{slug}}/"] = _operation(
            f"get{schema}", f"One {name}.", schema, [SLUG_PATH]
        )
    return paths


def description() -> dict:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Publications read API",
            "version": VERSION,
            "description": "The site's public papers, authors, venues, awards and topics. "
            "Drafts never appear. Responses carry an ETag; send it back in If-None-Match "
            "for a 304 while nothing has changed.",
        },
        "paths": _paths(),
        "components": {"schemas": SCHEMAS},
    }
