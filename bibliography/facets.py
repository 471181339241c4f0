"""Facet counts for the list pages, the papers-per-year chart and frequent co-authors.

Counts are disjunctive: each facet is counted over the papers filtered by every
*other* active parameter, so a visitor sees how many papers another value of the
same facet would add. Each facet costs one grouped query, whatever the number of
papers; counts only ever include published papers because they start from the
filterset's (published) queryset.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, Value, When, Window

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


def _year_values(papers):
    rows = papers.filter(year__isnull=False).values("year").annotate(n=Count("pk"))
    values = [FacetValue(str(r["year"]), str(r["year"]), r["n"]) for r in rows]
    return sorted(values, key=lambda v: v.value, reverse=True)


def _venue_values(papers):
    """Venues with counts; a series (NeurIPS) stands for its members, which are listed under
    it, and counts their papers with its own (a paper has one venue, so the sum is exact).
    One grouped query, the series' names read through the same join."""
    rows = (
        papers.filter(venue__isnull=False)
        .values(
            "venue__slug",
            "venue__short_name",
            "venue__name",
            "venue__series__slug",
            "venue__series__short_name",
            "venue__series__name",
        )
        .annotate(n=Count("pk"))
    )
    top, series = {}, {}
    for r in rows:
        value = FacetValue(r["venue__slug"], r["venue__short_name"] or r["venue__name"], r["n"])
        slug = r["venue__series__slug"]
        if slug is None:
            top.setdefault(value.value, value).count = value.count
            continue
        if slug not in top:
            label = r["venue__series__short_name"] or r["venue__series__name"]
            top[slug] = FacetValue(slug, label, 0)
        top[slug].count += value.count
        series.setdefault(slug, []).append(value)
    for slug, members in series.items():
        # A series with papers of its own (and members) was set before its members, or after.
        own = next((r["n"] for r in rows if r["venue__slug"] == slug), 0)
        top[slug].count = own + sum(m.count for m in members)
        top[slug].members = sorted(members, key=lambda v: (-v.count, v.label.lower()))
    return sorted(top.values(), key=lambda v: (-v.count, v.label.lower()))


def _kind_values(papers):
    labels = dict(Venue.Kind.choices)
    rows = papers.filter(venue__isnull=False).values("venue__kind").annotate(n=Count("pk"))
    values = [
        FacetValue(r["venue__kind"], labels.get(r["venue__kind"], r["venue__kind"]), r["n"])
        for r in rows
    ]
    return sorted(values, key=lambda v: (-v.count, v.label))


def _author_values(papers, selected, skip, whole_list) -> tuple[list[FacetValue], int]:
    """The author facet: the values it can show and how many authors it has in all.

    Two queries, whatever the number of papers. Bylines are counted per author id alone
    (no join, no names), and only the rows a page can list come back: the `selected`
    authors first, whatever their count, then the most prolific. At 100,000 papers the
    facet has ~33,000 authors and shows ~210; building them all cost seconds. Over the
    `whole_list` of published papers, the counts come from a table the triggers keep
    instead. The names are then read for those ids only. Authors tied at the cut-off are
    taken in id order; what is listed is sorted as the other facets are (most papers
    first, then by name).
    """
    selected_ids = [author.pk for author in selected]
    limit = len(selected_ids) + TOP_AUTHORS + MAX_FACET_VALUES
    if whole_list:
        rows = _stored_author_counts(selected_ids, limit)
    else:
        bylines = Authorship.objects.filter(paper__in=papers.values("pk"))
        if skip:
            bylines = bylines.exclude(author__slug__in=skip)
        order = ["-n", "author_id"]
        if selected_ids:
            # (Only then: with no ids Django folds the Case into its default, a bare 1,
            # which SQL reads as "order by the first column".)
            order.insert(0, Case(When(author_id__in=selected_ids, then=Value(0)), default=Value(1)))
        rows = list(
            bylines.values("author_id")
            # A byline is unique per (paper, author), so its rows count papers; the window
            # counts the groups (every author the facet has) before the LIMIT.
            .annotate(n=Count("*"), total=Window(Count("*")))
            .order_by(*order)
            .values_list("author_id", "n", "total")[:limit]
        )
    counts = {author_id: n for author_id, n, _ in rows}
    authors = Author.objects.filter(pk__in=counts).values("pk", *AUTHOR_FIELDS)
    values = [_author_value(author, counts[author["pk"]]) for author in authors]
    total = rows[0][2] if rows else 0
    return sorted(values, key=lambda v: (-v.count, v.label.lower())), total


def _stored_author_counts(selected_ids, limit) -> list[tuple[int, int, int]]:
    """(author id, papers, authors in all) from the trigger-kept count table, the
    `selected_ids` first, then the most prolific: the author facet of the whole published
    list without reading a byline (at 100,000 papers 3 ms instead of 650)."""
    first = ""
    if selected_ids:
        ids = ", ".join(str(int(pk)) for pk in selected_ids)
        first = f"CASE WHEN author_id IN ({ids}) THEN 0 ELSE 1 END, "
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT author_id, papers, COUNT(*) OVER () FROM {triggers.COUNT_TABLE}"
            f" WHERE papers > 0 ORDER BY {first}papers DESC, author_id LIMIT %s",
            [limit],
        )
        return cursor.fetchall()


def _tag_values(papers, relation: str):
    """A to-many facet whose values have a slug and a name (awards, topics), counted on the
    link table alone: `relation` is the name of the Paper field ("awards")."""
    through = getattr(Paper, relation).through
    target = getattr(Paper, relation).field.m2m_reverse_field_name()
    rows = (
        through.objects.filter(paper__in=papers.values("pk"))
        .values(f"{target}__slug", f"{target}__name")
        .annotate(n=Count("paper"))
        .order_by()
    )
    values = [FacetValue(r[f"{target}__slug"], r[f"{target}__name"], r["n"]) for r in rows]
    return sorted(values, key=lambda v: (-v.count, v.label.lower()))


def _award_values(papers):
    """Awards with counts, led by "Any award" (papers with at least one: its own query, as
    a paper may have two)."""
    values = _tag_values(papers, "awards")
    # Counted even when no award is listed, so the page's queries do not depend on the data.
    given = Paper.awards.through.objects.filter(paper__in=papers.values("pk"))
    with_any = given.values("paper").distinct().count()
    if with_any:
        values.insert(0, FacetValue(AnyAward.slug, AnyAward.label, with_any))
    return values


def _topic_values(papers):
    return _tag_values(papers, "topics")


FEATURED_LABEL = "Selected publications"


def _featured_values(papers):
    count = papers.filter(featured=True).count()
    return [FacetValue("1", FEATURED_LABEL, count)] if count else []


def _type_values(papers):
    labels = dict(Paper.EntryType.choices)
    rows = papers.values("entry_type").annotate(n=Count("pk"))
    values = [
        FacetValue(r["entry_type"], labels.get(r["entry_type"], r["entry_type"]), r["n"])
        for r in rows
    ]
    return sorted(values, key=lambda v: (-v.count, v.label))


FACET_COUNTERS = {
    "year": _year_values,
    "venue": _venue_values,
    "kind": _kind_values,
    "award": _award_values,
    "topic": _topic_values,
    "featured": _featured_values,
    "type": _type_values,
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


def compute_facets(filterset, *, hidden=(), exclude_values=None) -> list[Facet]:
    """Every facet with disjunctive counts, one grouped query each.

    `hidden` names facets a page does not show (a venue page has no venue facet);
    `exclude_values` maps a facet to values left out (the author of an author page).
    """
    exclude_values = exclude_values or {}
    facets = []
    for name in filterset.FACETS:
        if name in hidden:
            continue
        papers = filterset.filter_without(filterset.queryset, name)
        active = filterset.active_values(name)
        skip = exclude_values.get(name, ())
        if name == "author":
            whole_list = not skip and not filterset.narrowed_without(name)
            values, counted = _author_values(papers, active, skip, whole_list)
        else:
            values = []
            for value in FACET_COUNTERS[name](papers):
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
        chips.append(Chip("Search", q, without("q"), is_search=True))
    cleaned = filterset.form.cleaned_data
    for name, label in (("year_from", "From"), ("year_to", "To")):
        if cleaned.get(name) is not None:
            chips.append(Chip(label, str(int(cleaned[name])), without(name)))
    for facet in facets:
        for value in facet.every_value:
            if value.selected:
                chips.append(Chip(facet.label, value.label, without(facet.name, value.value)))
    if filterset.role_key:
        chips.append(Chip("Role", dict(ROLE_CHOICES)[filterset.role_key], without("role")))
    return chips
