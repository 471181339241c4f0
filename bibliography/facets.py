"""Facet counts for the list pages, the papers-per-year chart and frequent co-authors.

Counts are disjunctive: each facet is counted over the papers filtered by every
*other* active parameter, so a visitor sees how many papers another value of the
same facet would add. Every facet is counted by one statement, whatever the number of
papers or facets; counts only ever include published papers because they start from the
filterset's (published) queryset.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F
from django.utils.translation import gettext_lazy, pgettext_lazy

from bibliography import triggers
from bibliography.filters import ROLE_CHOICES, AnyAward
from bibliography.models import Author, Authorship, Paper, Venue, person_name

# The author facet can be long: this many are shown, the rest sit behind a disclosure.
TOP_AUTHORS = 10
# ...and at most this many behind it: past that, a page would weigh megabytes. The rest
# are reached by searching for the name.
MAX_FACET_VALUES = 200
TOP_COAUTHORS = 10


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    is_owner: bool = False
    # A venue series' member venues, listed under it (their counts add up to its own).
    members: list["FacetValue"] = field(default_factory=list)


# What a facet's values are called, in the plural ("12 more authors"). Lazy, as the labels
# are: the whole list's facets are cached once for every language.
FACET_PLURALS = {
    "year": gettext_lazy("years"),
    "venue": gettext_lazy("venues"),
    "kind": gettext_lazy("venue kinds"),
    "author": gettext_lazy("authors"),
    "award": gettext_lazy("awards"),
    "topic": gettext_lazy("topics"),
    "featured": gettext_lazy("selected publications"),
    "type": gettext_lazy("entry types"),
}


@dataclass
class Facet:
    """One facet: its query parameter, its heading and its values with counts."""

    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    top: int | None = None
    # How many values the facet has in all, when `values` lists only the leading ones (the
    # author facet fetches only what it can show); None when `values` is complete.
    total: int | None = None

    @property
    def plural_label(self) -> str:
        return FACET_PLURALS.get(self.name, self.label)

    @property
    def every_value(self) -> list[FacetValue]:
        """The values and, after each series, its members."""
        return [v for value in self.values for v in (value, *value.members)]

    @property
    def shown(self) -> list[FacetValue]:
        """The values always visible: the top ones and every selected one."""
        if self.top is None:
            return self.values
        head = self.values[: self.top]
        return head + [v for v in self.values[self.top :] if v.selected]

    @property
    def more(self) -> list[FacetValue]:
        """The values behind the 'show more' disclosure."""
        if self.top is None:
            return []
        return [v for v in self.values[self.top :] if not v.selected][:MAX_FACET_VALUES]

    @property
    def not_listed(self) -> int:
        """How many values neither `shown` nor `more` lists."""
        total = len(self.values) if self.total is None else self.total
        return total - len(self.shown) - len(self.more)


AUTHOR_FIELDS = (
    "slug",
    "given_name",
    "particle",
    "family_name",
    "suffix",
    "display_name",
    "is_site_owner",
)


def _author_value(row, count) -> FacetValue:
    """A FacetValue from an author's columns in `row` (keys: AUTHOR_FIELDS)."""
    author = {name: row[name] for name in AUTHOR_FIELDS}
    label = person_name(
        author["given_name"],
        author["particle"],
        author["family_name"],
        author["suffix"],
        author["display_name"],
    )
    return FacetValue(author["slug"], label, count, is_owner=author["is_site_owner"])


def _year_values(rows):
    values = [FacetValue(key, key, n) for key, _, n, _ in rows]
    return sorted(values, key=lambda v: int(v.value), reverse=True)


def _venue_values(rows):
    """Venues with counts; a series (NeurIPS) stands for its members, which are listed under
    it, and counts their papers with its own (a paper has one venue, so the sum is exact).
    The names are read for the counted venues, in one query."""
    counted = {int(key): n for key, _, n, _ in rows}
    venues = Venue.objects.filter(pk__in=counted).values(
        "pk", "slug", "short_name", "name", "series__slug", "series__short_name", "series__name"
    )
    top, series, own = {}, {}, {}
    for r in venues:
        value = FacetValue(r["slug"], r["short_name"] or r["name"], counted[r["pk"]])
        own[value.value] = value.count
        slug = r["series__slug"]
        if slug is None:
            top.setdefault(value.value, value).count = value.count
            continue
        if slug not in top:
            top[slug] = FacetValue(slug, r["series__short_name"] or r["series__name"], 0)
        series.setdefault(slug, []).append(value)
    for slug, members in series.items():
        # A series with papers of its own (and members) was set before its members, or after.
        top[slug].count = own.get(slug, 0) + sum(m.count for m in members)
        top[slug].members = sorted(members, key=lambda v: (-v.count, v.label.lower()))
    return sorted(top.values(), key=lambda v: (-v.count, v.label.lower()))


def _choice_values(labels):
    """Values of a facet whose keys are choices (venue kinds, entry types), with their labels."""

    def values(rows):
        found = [FacetValue(key, labels.get(key, key), n) for key, _, n, _ in rows]
        return sorted(found, key=lambda v: (-v.count, v.label))

    return values


def _tag_values(rows):
    """A to-many facet whose values have a slug and a name (awards, topics)."""
    values = [FacetValue(key, label, n) for key, label, n, _ in rows]
    return sorted(values, key=lambda v: (-v.count, v.label.lower()))


def _award_values(rows):
    """Awards with counts, led by "Any award" (papers with at least one: its own row, as a
    paper may have two)."""
    with_any = sum(n for key, _, n, _ in rows if key is None)
    values = _tag_values([row for row in rows if row[0] is not None])
    if with_any:
        values.insert(0, FacetValue(AnyAward.slug, AnyAward.label, with_any))
    return values


FEATURED_LABEL = gettext_lazy("Selected publications")


def _featured_values(rows):
    count = sum(n for _, _, n, _ in rows)
    return [FacetValue("1", FEATURED_LABEL, count)] if count else []


FACET_VALUES = {
    "year": _year_values,
    "venue": _venue_values,
    "kind": _choice_values(dict(Venue.Kind.choices)),
    "award": _award_values,
    "topic": _tag_values,
    "featured": _featured_values,
    "type": _choice_values(dict(Paper.EntryType.choices)),
}
# Facets whose values are choice keys (strings), not model objects with slugs.
CHOICE_FACETS = ("year", "kind", "type", "featured")


def _selected_value(facet_name, obj) -> FacetValue:
    """A chosen value that no paper has under the other filters: listed with 0 so it can
    be unticked."""
    if facet_name == "year":
        return FacetValue(str(obj), str(obj), 0, selected=True)
    if facet_name == "kind":
        return FacetValue(obj, Venue.Kind(obj).label, 0, selected=True)
    if facet_name == "type":
        return FacetValue(obj, Paper.EntryType(obj).label, 0, selected=True)
    if facet_name == "featured":
        return FacetValue(obj, FEATURED_LABEL, 0, selected=True)
    label = getattr(obj, "label", None) or str(obj)
    return FacetValue(
        obj.slug, label, 0, selected=True, is_owner=getattr(obj, "is_site_owner", False)
    )


def _active_keys(facet_name, values) -> list[str]:
    return [str(v) if facet_name in CHOICE_FACETS else v.slug for v in values]


class Facets(list):
    """compute_facets' answer: the facets, and `papers`, the number of papers the list
    shows (every parameter applied), counted by the same statement."""

    papers: int


def compute_facets(filterset, *, hidden=(), exclude_values=None, version=None) -> Facets:
    """Every facet with disjunctive counts, and the number of papers listed, all counted by
    one statement (`_count_every_facet`), plus one query for the names of the venues and
    one for the authors it lists.

    `hidden` names facets a page does not show (a venue page has no venue facet);
    `exclude_values` maps a facet to values left out (the author of an author page).
    With `version` (the data version the page is rendered under, caching.py), the facets
    of the whole published list are kept in the cache under it: every sort and page of the
    unfiltered list shows the same counts, and at 100,000 papers they cost ~0.3-1 s.
    """
    exclude_values = exclude_values or {}
    names = [name for name in filterset.FACETS if name not in hidden]
    if version is None or filterset.narrowed_without(None) or hidden or exclude_values:
        return _facets(filterset, names, exclude_values)
    key = f"facets:{version}:{','.join(names)}"
    facets = cache.get(key)
    if facets is None:
        facets = _facets(filterset, names, exclude_values)
        cache.set(key, facets, WHOLE_LIST_TIMEOUT)
    return facets


# As long as a cached page (caching.PAGE_TIMEOUT).
WHOLE_LIST_TIMEOUT = 60 * 60


def _facets(filterset, names, exclude_values) -> Facets:
    rows = _count_every_facet(filterset, names, exclude_values.get("author", ()))
    facets = Facets()
    facets.papers = rows["papers"][0][2]
    for name in names:
        active = filterset.active_values(name)
        skip = exclude_values.get(name, ())
        if name == "author":
            values, counted = _author_values(rows[name])
        else:
            values = []
            for value in FACET_VALUES[name](rows[name]):
                # A series' own page leaves the series out and lists its members instead.
                values += value.members if value.value in skip else [value]
            counted = len(values)
        keys = _active_keys(name, active)
        every = [v for value in values for v in (value, *value.members)]
        listed = {v.value for v in every}
        for value in every:
            value.selected = value.value in keys
        uncounted = [
            _selected_value(name, obj)
            for obj, key in zip(active, keys, strict=True)
            if key not in listed and key not in skip
        ]
        values += uncounted
        total = counted + len(uncounted)
        top = TOP_AUTHORS if name == "author" and total > TOP_AUTHORS + 2 else None
        facets.append(Facet(name, filterset.filters[name].label, values, top, total))
    return facets


def narrowing_facets(facets: list[Facet], results: int) -> list[Facet]:
    """The facets worth showing over `results` papers: those with a chosen value (to untick)
    or a value that would narrow the list. A facet whose every value covers every result
    (one venue's page: one kind, one type) offers nothing to tick."""
    return [
        facet
        for facet in facets
        if facet.not_listed
        or any(value.selected or value.count < results for value in facet.every_value)
    ]


def _author_values(rows) -> tuple[list[FacetValue], int]:
    """The author facet's values from its counted rows (the chosen authors and the most
    prolific, what a page can list) and how many authors it has in all; the names are read
    for those ids only, in one query. What is listed is sorted as the other facets are
    (most papers first, then by name)."""
    counts = {int(key): n for key, _, n, _ in rows}
    authors = Author.objects.filter(pk__in=counts).values("pk", *AUTHOR_FIELDS)
    values = [_author_value(author, counts[author["pk"]]) for author in authors]
    total = rows[0][3] if rows else 0
    return sorted(values, key=lambda v: (-v.count, v.label.lower())), total


# The paper columns the counting statement reads from its `base` of papers.
_BASE_COLUMNS = {
    "f_id": F("pk"),
    "f_year": F("year"),
    "f_venue": F("venue_id"),
    "f_type": F("entry_type"),
    "f_featured": F("featured"),
}


def _count_every_facet(filterset, names, skip_authors) -> dict[str, list[tuple]]:
    """Count the facets `names` in one statement; rows of (key, label, count, total) by
    facet name, and under "papers" one row whose count is the number of papers listed.

    Disjunctive counts need, per facet, the papers of every *other* chosen facet. The
    statement selects once the papers of every parameter that is not a facet (a search's
    matches, the year range, the role; in a `WITH`, so a search's thousands of ids are
    sent, planned and looked up once, not once per facet) with one column per chosen
    facet saying whether the paper has a chosen value; each facet's branch then groups the
    papers whose other facets' columns hold. The author facet of the whole published list
    reads the trigger-kept count table instead of the bylines (at 100,000 papers 3 ms
    instead of 650). Authors are limited to what a page can list: the chosen ones first,
    whatever their count, then the most prolific (ties at the cut-off in id order), with
    the number of authors in all beside each row.
    """
    conditions = filterset.facet_conditions()
    chosen = {f"ok_{name}": ExpressionWrapper(q, BooleanField()) for name, q in conditions.items()}
    base = (
        filterset.filter_beside_facets(filterset.queryset)
        .annotate(**_BASE_COLUMNS, **chosen)
        .values(*_BASE_COLUMNS, *chosen)
    )
    base_sql, params = base.query.sql_with_params()

    def others(name):
        return " AND ".join(["1 = 1", *(f"b.{c}" for c in chosen if c != f"ok_{name}")])

    # How many papers the list shows (every parameter applied): the paginator's count.
    every = " AND ".join(["1 = 1", *(f"b.{c}" for c in chosen)])
    branches = [f"SELECT 'papers', NULL, NULL, COUNT(*), {_NO_TOTAL} FROM b WHERE {every}"]
    for name in names:
        sql, branch_params = _BRANCHES[name](others(name), filterset, skip_authors)
        branches.append(f"SELECT * FROM ({sql}) {name}_rows")
        params = (*params, *branch_params)
    rows = {name: [] for name in ["papers", *names]}
    # Read once where that saves work (a search's matches, looked up by id; an author's
    # papers), and otherwise inlined into each branch, which then reads a narrow index
    # (paper_facet_columns) instead of copying every paper's columns aside first (900 ms for
    # the whole list at 100,000).
    once = ""
    if connection.vendor == "postgresql":
        once = "MATERIALIZED " if filterset.narrowed_beside_facets() else "NOT MATERIALIZED "
    with connection.cursor() as cursor:
        cursor.execute(f"WITH b AS {once}({base_sql}) {' UNION ALL '.join(branches)}", params)
        for facet, key, label, n, total in cursor.fetchall():
            rows[facet].append((key, label, n, total))
    return rows


# Only the author facet has a total; the branches of a UNION agree on its type.
_NO_TOTAL = "CAST(NULL AS BIGINT)"


def _grouped(name: str, key: str, where: str, joins: str = "", label: str = "NULL") -> str:
    return (
        f"SELECT '{name}' AS facet, CAST({key} AS TEXT) AS value, {label} AS label,"
        f" COUNT(*) AS n, {_NO_TOTAL} AS total FROM b {joins} WHERE {where} AND {key} IS NOT NULL"
        f" GROUP BY {key}{', ' + label if label != 'NULL' else ''}"
    )


def _tag_branch(relation: str):
    """A to-many facet (awards, topics) grouped on its link table, with the values' names."""

    def branch(where, filterset, skip_authors):
        field = getattr(Paper, relation).field
        through = field.remote_field.through._meta
        target = field.related_model._meta.db_table
        joins = (
            f"JOIN {through.db_table} t ON t.{field.m2m_column_name()} = b.f_id"
            f" JOIN {target} v ON v.id = t.{field.m2m_reverse_name()}"
        )
        sql = _grouped(relation.removesuffix("s"), "v.slug", where, joins, "v.name")
        if relation == "awards":
            # "Any award": papers with at least one (a paper may have two); its key is NULL.
            sql += (
                f" UNION ALL SELECT 'award', NULL, NULL, COUNT(DISTINCT b.f_id), {_NO_TOTAL}"
                f" FROM b {joins} WHERE {where}"
            )
        return sql, ()

    return branch


def _author_branch(where, filterset, skip_authors):
    selected = [author.pk for author in filterset.active_values("author")]
    limit = len(selected) + TOP_AUTHORS + MAX_FACET_VALUES
    first = ""
    if selected:
        first = f"CASE WHEN author_id IN ({', '.join(str(int(pk)) for pk in selected)})"
        first += " THEN 0 ELSE 1 END, "
    if not skip_authors and not filterset.narrowed_without("author"):
        # The whole published list: the counts the triggers keep.
        counted = f"SELECT author_id, papers AS n FROM {triggers.COUNT_TABLE} WHERE papers > 0"
        params = ()
    else:
        skip = ""
        if skip_authors:
            marks = ", ".join(["%s"] * len(skip_authors))
            skipped = f"SELECT id FROM bibliography_author WHERE slug IN ({marks})"
            skip = f" AND s.author_id NOT IN ({skipped})"
        # A byline is unique per (paper, author), so its rows count papers.
        counted = (
            "SELECT s.author_id, COUNT(*) AS n FROM b"
            f" JOIN bibliography_authorship s ON s.paper_id = b.f_id WHERE {where}{skip}"
            " GROUP BY s.author_id"
        )
        params = tuple(skip_authors)
    sql = (
        "SELECT 'author' AS facet, CAST(author_id AS TEXT) AS value, NULL AS label, n,"
        f" COUNT(*) OVER () AS total FROM ({counted}) c"
        f" ORDER BY {first}n DESC, author_id LIMIT {int(limit)}"
    )
    return sql, params


_BRANCHES = {
    "year": lambda where, *_: (_grouped("year", "b.f_year", where), ()),
    "venue": lambda where, *_: (_grouped("venue", "b.f_venue", where), ()),
    "kind": lambda where, *_: (
        _grouped("kind", "v.kind", where, "JOIN bibliography_venue v ON v.id = b.f_venue"),
        (),
    ),
    "type": lambda where, *_: (_grouped("type", "b.f_type", where), ()),
    "featured": lambda where, *_: (
        f"SELECT 'featured', '1', NULL, COUNT(*), {_NO_TOTAL} FROM b"
        f" WHERE {where} AND b.f_featured",
        (),
    ),
    "award": _tag_branch("awards"),
    "topic": _tag_branch("topics"),
    "author": _author_branch,
}


@dataclass
class YearBar:
    year: int
    count: int
    x: float
    y: float
    height: float
    label_x: float
    show_label: bool

    @property
    def count_y(self) -> float:
        """Where the bar's number sits: just above it."""
        return round(self.y - 3, 1)


@dataclass
class YearChart:
    """Geometry of the papers-per-year SVG (drawn server-side, in the template)."""

    bars: list[YearBar]
    width: int
    height: int
    bar_width: float
    peak: int
    label_every: int

    @property
    def first_year(self):
        return self.bars[0].year

    @property
    def last_year(self):
        return self.bars[-1].year

    @property
    def busiest(self) -> YearBar:
        return max(self.bars, key=lambda bar: (bar.count, bar.year))


CHART_HEIGHT = 100
CHART_SLOT = 36
# Gaps are drawn as empty years so the time axis stays honest, unless the span is so
# wide that the bars would be slivers; then only years with papers are drawn.
MAX_FILLED_SPAN = 40


def year_chart(filterset, facets=()) -> YearChart | None:
    """Papers per year over the current results (every parameter applied); one query, or
    none when `facets` (compute_facets' answer) has a year facet with no year chosen: its
    counts are then over the same papers. None too when the results fall in one year: a
    single bar says nothing the year heading does not."""
    year_facet = next((f for f in facets if f.name == "year"), None)
    if year_facet is not None and not filterset.active_values("year"):
        counts = {int(v.value): v.count for v in year_facet.values}
    else:
        papers = filterset.filter_without(filterset.queryset, None)
        counts = {
            row["year"]: row["n"]
            for row in papers.filter(year__isnull=False).values("year").annotate(n=Count("pk"))
        }
    if len(counts) < 2:
        return None
    first, last = min(counts), max(counts)
    years = range(first, last + 1) if last - first <= MAX_FILLED_SPAN else sorted(counts)
    peak = max(counts.values())
    bar_width = round(CHART_SLOT * 0.7, 1)
    label_every = 1 if len(years) <= 16 else (2 if len(years) <= 32 else 5)
    bars = []
    for index, year in enumerate(years):
        count = counts.get(year, 0)
        height = round(CHART_HEIGHT * count / peak, 1)
        x = round(index * CHART_SLOT + CHART_SLOT * 0.15, 1)
        bars.append(
            YearBar(
                year,
                count,
                x=x,
                y=CHART_HEIGHT - height,
                height=height,
                label_x=round(x + bar_width / 2, 1),
                show_label=index % label_every == 0 or index == len(years) - 1,
            )
        )
    # A few bars stay bar-shaped: the drawing is never narrower than eight years.
    width = max(len(bars) * CHART_SLOT, CHART_SLOT * 8)
    return YearChart(bars, width, CHART_HEIGHT, bar_width, peak, label_every)


def frequent_coauthors(author, papers, limit=TOP_COAUTHORS) -> list[FacetValue]:
    """The people `author` wrote most of `papers` with, most frequent first (then by name);
    two queries. Bylines are grouped by author id alone and only the `limit` first come
    back (ties at the cut-off in id order); names are read for those."""
    rows = (
        Authorship.objects.filter(paper__in=papers.values("pk"))
        .exclude(author=author)
        .values("author_id")
        .annotate(n=Count("*"))
        .order_by("-n", "author_id")
        .values_list("author_id", "n")[:limit]
    )
    counts = dict(rows)
    authors = Author.objects.filter(pk__in=counts).values("pk", *AUTHOR_FIELDS)
    values = [_author_value(row, counts[row["pk"]]) for row in authors]
    return sorted(values, key=lambda v: (-v.count, v.label.lower()))


@dataclass
class Chip:
    """An active filter, shown as a removable chip."""

    label: str
    value: str
    remove_query: str
    is_search: bool = False


def active_filter_chips(query, filterset, facets) -> list[Chip]:
    """One chip per active value; each removes just that value and keeps the rest.

    `query` is the request's QueryDict; labels come from the facets already computed,
    so chips cost no query.
    """

    def without(name, value=None):
        params = query.copy()
        params.pop("page", None)
        if value is None:
            params.pop(name, None)
        else:
            params.setlist(name, [v for v in params.getlist(name) if v != value])
        return params.urlencode()

    chips = []
    q = filterset.search_query
    if q:
        chips.append(Chip(gettext_lazy("Search"), q, without("q"), is_search=True))
    cleaned = filterset.form.cleaned_data
    for name, label in (
        ("year_from", pgettext_lazy("year range", "From")),
        ("year_to", pgettext_lazy("year range", "To")),
    ):
        if cleaned.get(name) is not None:
            chips.append(Chip(label, str(int(cleaned[name])), without(name)))
    for facet in facets:
        for value in facet.every_value:
            if value.selected:
                chips.append(Chip(facet.label, value.label, without(facet.name, value.value)))
    if filterset.role_key:
        chips.append(
            Chip(gettext_lazy("Role"), dict(ROLE_CHOICES)[filterset.role_key], without("role"))
        )
    return chips
