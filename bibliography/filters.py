"""The list's query parameters as a django-filter FilterSet, and `filter_papers()`.

Every parameter is lenient: a value that cannot be used (a year of "abc", a slug
that does not exist, an unknown sort) is dropped and reported in `notices()`, and
the rest of the request still applies. Nothing a visitor types gives a 500.

Within one facet, several values combine with OR; facets combine with AND.
"""

import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bibliography import search
from bibliography.models import (
    MAX_YEAR,
    MIN_YEAR,
    Author,
    Authorship,
    Award,
    ContributionRole,
    Paper,
    Topic,
    Venue,
    list_period,
    list_period_of,
)

# More values than this in one parameter are cut off: no real visitor ticks 50 boxes.
MAX_VALUES_PER_PARAMETER = 50
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("title", _("Title A-Z")),
    ("relevance", _("Relevance")),
]
SORT_ORDERINGS = {
    # Year, priority, then month, unknown ones last: as one key, which the paper_newest
    # index serves.
    "newest": [list_period().desc(), "title", "pk"],
    "oldest": [F("year").asc(nulls_last=True), F("month").asc(nulls_last=True), "title", "pk"],
    "title": [Lower("title"), "title", "pk"],
}
# Sorts under which the list reads as a chronology, so it is grouped under year headings.
DATE_SORTS = {"newest", "oldest"}

# An author's place in the byline (`?author=SLUG&role=first`); "any" is no restriction.
ROLE_CHOICES = [
    ("any", _("Any position")),
    ("first", _("First author")),
    ("last", _("Last author")),
    ("corresponding", _("Corresponding author")),
]
# The award facet's value for "has any award" (an award slugged "any" is not reachable by it).
ANY_AWARD = "any"


class LenientFieldMixin:
    """Keeps the usable values of a multi-valued parameter and remembers the others."""

    rejected: list[str]

    def split_values(self, values):
        if isinstance(values, str):
            values = [values]
        values = [str(v).strip() for v in (values or []) if str(v).strip()]
        self.rejected = values[MAX_VALUES_PER_PARAMETER:]
        return list(dict.fromkeys(values[:MAX_VALUES_PER_PARAMETER]))


class LenientChoicesField(LenientFieldMixin, forms.MultipleChoiceField):
    """Fixed choices (venue kinds, entry types): unknown ones are set aside, not fatal."""

    def clean(self, value):
        values = self.split_values(value)
        self.rejected += [v for v in values if not self.valid_value(v)]
        return [v for v in values if self.valid_value(v)]


class LenientSlugsField(LenientFieldMixin, forms.ModelMultipleChoiceField):
    """Slugs of public venues, authors or awards; unknown slugs are set aside, not fatal.

    The queryset is the model's `public()`: a slug that only drafts reach is unknown, so
    the answer says exactly what it says for a slug that was never used.

    The lookup of the known ones is the one query this parameter costs.
    """

    def clean(self, value):
        values = self.split_values(value)
        # Anything that is not slug-shaped cannot exist and must not reach the database
        # (PostgreSQL refuses NUL characters outright).
        self.rejected += [v for v in values if not _SLUG.match(v)]
        values = [v for v in values if _SLUG.match(v)]
        if not values:
            return []
        found = list(self.queryset.filter(slug__in=values))
        known = {obj.slug for obj in found}
        self.rejected += [v for v in values if v not in known]
        return sorted(found, key=lambda obj: values.index(obj.slug))


class YearsField(LenientFieldMixin, forms.Field):
    """Years as four-digit numbers in the model's range; anything else is set aside."""

    widget = forms.SelectMultiple

    def clean(self, value):
        values = self.split_values(value)
        years = []
        for v in values:
            if v.isdigit() and MIN_YEAR <= int(v) <= MAX_YEAR:
                years.append(int(v))
            else:
                self.rejected.append(v)
        return sorted(set(years))


class SearchField(forms.CharField):
    """The search box: over-long queries are shortened (and the visitor told), not refused."""

    truncated = False

    def to_python(self, value):
        value = super().to_python(value)
        self.truncated = len(value) > search.MAX_QUERY_LENGTH
        return value[: search.MAX_QUERY_LENGTH].strip()


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class FacetFilter(django_filters.Filter):
    """One facet: OR within its values. To-many facets filter by a subquery, never a join,
    so a paper matching two chosen values still appears once (no DISTINCT needed)."""

    def __init__(self, *args, to_many=False, **kwargs):
        self.to_many = to_many
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(self.condition(value)) if value else qs

    def condition(self, value) -> Q:
        """What a paper must satisfy for the chosen `value`s (not empty): the filter as one
        condition, which the facet counts also use as a column (facets.py)."""
        lookup = {f"{self.field_name}__{self.lookup_expr}": value}
        if self.to_many:
            return Q(pk__in=Paper.objects.filter(**lookup).values("pk"))
        return Q(**lookup)


class SlugFacetFilter(FacetFilter):
    field_class = LenientSlugsField


class VenueFacetFilter(SlugFacetFilter):
    """Venues; choosing a series (NeurIPS) chooses every member venue with it."""

    def condition(self, value) -> Q:
        return Q(venue__in=Venue.objects.with_members(value))


@dataclass(frozen=True)
class AnyAward:
    """The award facet's "any award" value, in place of an Award among the chosen ones."""

    slug: str = ANY_AWARD
    label: str = _("Any award")


class AwardSlugsField(LenientSlugsField):
    """Award slugs, and "any": papers with at least one award."""

    def clean(self, value):
        values = self.split_values(value)
        wants_any = ANY_AWARD in values
        found = super().clean([v for v in values if v != ANY_AWARD])
        return [AnyAward(), *found] if wants_any else found


class AwardFacetFilter(FacetFilter):
    field_class = AwardSlugsField

    def condition(self, value) -> Q:
        given = Paper.awards.through.objects.filter(paper=OuterRef("pk"))
        if any(isinstance(award, AnyAward) for award in value):
            return Q(Exists(given))
        return Q(Exists(given.filter(award__in=value)))


class ChoicesFacetFilter(FacetFilter):
    field_class = LenientChoicesField


class VenueKindFacetFilter(ChoicesFacetFilter):
    """Venue kinds, as a subquery of venues rather than a join: the facet counts read the
    condition as a column of every paper, those without a venue included."""

    def condition(self, value) -> Q:
        return Q(venue__in=Venue.objects.filter(kind__in=value).values("pk"))


class YearFacetFilter(FacetFilter):
    field_class = YearsField


class PaperFilter(django_filters.FilterSet):
    """The public list's parameters. `FACETS` names the filters shown as facets."""

    FACETS = ("featured", "year", "venue", "kind", "author", "topic", "award", "type")
    # Whether the papers were narrowed before any parameter (filter_papers sets it).
    scoped = False

    q = SearchFilter(method="filter_search", label=_("Search"))
    year = YearFacetFilter(field_name="year", lookup_expr="in", label=_("Year"))
    year_from = django_filters.NumberFilter(
        field_name="year",
        lookup_expr="gte",
        label=_("From year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )
    year_to = django_filters.NumberFilter(
        field_name="year",
        lookup_expr="lte",
        label=_("To year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )
    venue = VenueFacetFilter(
        field_name="venue", lookup_expr="in", label=_("Venue"), queryset=Venue.objects.public()
    )
    kind = VenueKindFacetFilter(
        field_name="venue__kind",
        lookup_expr="in",
        label=_("Venue kind"),
        choices=Venue.Kind.choices,
    )
    author = SlugFacetFilter(
        field_name="authorships__author",
        lookup_expr="in",
        label=_("Author"),
        queryset=Author.objects.public(),
        to_many=True,
    )
    award = AwardFacetFilter(
        field_name="awards",
        lookup_expr="in",
        label=_("Award"),
        queryset=Award.objects.public(),
    )
    topic = SlugFacetFilter(
        field_name="topics",
        lookup_expr="in",
        label=_("Topic"),
        queryset=Topic.objects.public(),
        to_many=True,
    )
    featured = ChoicesFacetFilter(
        field_name="featured",
        lookup_expr="in",
        label=_("Selected"),
        choices=[("1", _("Selected publications"))],
    )
    type = ChoicesFacetFilter(
        field_name="entry_type",
        lookup_expr="in",
        label=_("Entry type"),
        choices=Paper.EntryType.choices,
    )
    role = django_filters.ChoiceFilter(
        method="filter_role", label=_("Author's role"), choices=ROLE_CHOICES, empty_label=None
    )
    sort = django_filters.ChoiceFilter(
        method="order_results", label=_("Sort"), choices=SORT_CHOICES, empty_label=None
    )

    class Meta:
        model = Paper
        fields = []

    def __init__(self, *args, scope_author=None, **kwargs):
        # The author a page is about (an author page): whose role `role` asks about when
        # no `author` is chosen.
        self.scope_author = scope_author
        super().__init__(*args, **kwargs)

    def role_authors(self) -> list:
        """Whose place in the byline `role` restricts: the chosen authors, else the page's."""
        self.errors  # noqa: B018
        chosen = self.form.cleaned_data.get("author") or []
        return chosen or ([self.scope_author] if self.scope_author else [])

    @property
    def role_key(self) -> str:
        """The role in effect ("" for none): one asked for, when there is an author to ask about."""
        self.errors  # noqa: B018
        role = self.form.cleaned_data.get("role") or ""
        return role if role != "any" and self.role_authors() else ""

    def filter_role(self, queryset, name, value):
        if not self.role_key:
            return queryset
        bylines = Authorship.objects.filter(
            paper=OuterRef("pk"), author__in=self.role_authors(), order_known=True
        )
        known = Authorship.objects.filter(paper=OuterRef("paper"), order_known=True)
        if value == "first":
            bylines = bylines.exclude(Exists(known.filter(position__lt=OuterRef("position"))))
        elif value == "last":
            # When the list goes on ("et al."), its last known name is not the last author.
            bylines = bylines.filter(paper__authors_partial=False).exclude(
                Exists(known.filter(position__gt=OuterRef("position")))
            )
        else:
            bylines = bylines.filter(roles__slug=ContributionRole.CORRESPONDING_AUTHOR)
        return queryset.filter(Exists(bylines))

    def filter_search(self, queryset, name, value):
        if not search.query_words(value):
            return queryset
        # Matched once per filterset, then reused by the results and every facet's query.
        # Over all published papers rather than this page's scope: a scope that joins the
        # authors (an author page) would otherwise hide co-authors' names from the match,
        # and the scope applies anyway in every query the ids are used in.
        if getattr(self, "_search_ids_for", None) != value:
            self._search_ids = search.matching_ids(Paper.objects.published(), value)
            self._search_ids_for = value
        return search.restrict_to(queryset, self._search_ids)

    def order_results(self, queryset, name, value):
        # Ordering is applied last, in filter_queryset(), once every filter is in.
        return queryset

    def filter_queryset(self, queryset):
        return self.sort_results(super().filter_queryset(queryset))

    @property
    def search_query(self) -> str:
        self.errors  # noqa: B018 (validates the form, as django-filter's own .qs does)
        q = self.form.cleaned_data.get("q") or ""
        # Punctuation alone searches for nothing, so it is not shown as a search either.
        return q if search.query_words(q) else ""

    @property
    def sort_key(self) -> str:
        """The sort in effect: the one asked for if usable, else relevance with a search,
        newest without."""
        self.errors  # noqa: B018
        asked = self.form.cleaned_data.get("sort") or ""
        has_query = bool(search.query_words(self.search_query))
        if asked == "relevance" and not has_query:
            asked = ""
        return asked or ("relevance" if has_query else "newest")

    def sort_results(self, queryset):
        if self.sort_key == "relevance":
            return search.order_by_relevance(queryset, self.search_query)
        return queryset.order_by(*SORT_ORDERINGS[self.sort_key])

    def filter_without(self, queryset, facet: str):
        """`queryset` filtered by every active parameter except the facet `facet`, unordered:
        what that facet's counts are computed over (disjunctive faceting)."""
        self.errors  # noqa: B018 (validates the form, as django-filter's own .qs does)
        for name, value in self.form.cleaned_data.items():
            if name != facet and name != "sort":
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def filter_beside_facets(self, queryset):
        """`queryset` filtered by every active parameter that is not a facet (the search,
        the year range, the role), unordered: what every facet's counts start from."""
        self.errors  # noqa: B018
        for name, value in self.form.cleaned_data.items():
            if name not in self.FACETS and name != "sort":
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def facet_conditions(self) -> dict[str, Q]:
        """The condition of each facet with a value chosen, by facet name."""
        self.errors  # noqa: B018
        return {
            name: self.filters[name].condition(value)
            for name in self.FACETS
            if (value := self.form.cleaned_data.get(name))
        }

    def narrowed_beside_facets(self) -> bool:
        """Whether anything but the facets narrows the published papers: a scope or an
        active parameter that is not a facet (the search, the year range, the role)."""
        self.errors  # noqa: B018
        return self.scoped or any(
            value
            for name, value in self.form.cleaned_data.items()
            if name not in (*self.FACETS, "sort") and value not in (None, "", [])
        )

    def narrowed_without(self, facet: str) -> bool:
        """Whether anything but the facet `facet` narrows the published papers: a scope
        (one author's, one venue's) or another active parameter."""
        self.errors  # noqa: B018
        return self.scoped or any(
            value
            for name, value in self.form.cleaned_data.items()
            if name not in (facet, "sort") and value not in (None, "", [])
        )

    def active_values(self, facet: str) -> list:
        """The usable values chosen for a facet (model objects, years or choice keys)."""
        self.errors  # noqa: B018
        return list(self.form.cleaned_data.get(facet) or [])

    def problems(self) -> list["ParameterProblem"]:
        """What in the request the list cannot use as given, parameter by parameter: the
        page shows each one's `notice` and goes on without it; the read API refuses the
        request with its `reason` (bibliography/api/)."""
        self.errors  # noqa: B018
        found = []
        if self.form.fields["q"].truncated:
            found.append(
                ParameterProblem(
                    "q",
                    f"longer than {search.MAX_QUERY_LENGTH} characters",
                    gettext(
                        "The search was too long and was shortened to its first "
                        "%(limit)s characters."
                    )
                    % {"limit": search.MAX_QUERY_LENGTH},
                )
            )
        for name, field in self.form.fields.items():
            rejected = getattr(field, "rejected", None)
            if rejected:
                shown = ", ".join(f"“{_printable(v[:40])}”" for v in rejected[:5])
                more = f" and {len(rejected) - 5} more" if len(rejected) > 5 else ""
                listed = shown
                if len(rejected) > 5:
                    listed = gettext("%(values)s and %(number)s more") % {
                        "values": shown,
                        "number": len(rejected) - 5,
                    }
                found.append(
                    ParameterProblem(
                        name,
                        f"no such value {shown}{more}",
                        gettext("%(field)s: no such value %(values)s; it was ignored.")
                        % {"field": field.label, "values": listed},
                    )
                )
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else name
            found.append(
                ParameterProblem(
                    name,
                    " ".join(errors),
                    gettext("%(field)s: %(errors)s The value was ignored.")
                    % {"field": label, "errors": " ".join(errors)},
                )
            )
        if self.data.get("sort") == "relevance" and not search.query_words(self.search_query):
            found.append(
                ParameterProblem(
                    "sort",
                    "sorting by relevance needs a search (q)",
                    gettext("Sorting by relevance needs a search; showing the newest first."),
                )
            )
        role = self.form.cleaned_data.get("role")
        if role and role != "any" and not self.role_authors():
            found.append(
                ParameterProblem(
                    "role",
                    "a role needs an author (author)",
                    gettext("Author's role: choose an author first; the role was ignored."),
                )
            )
        return found

    def notices(self) -> list[str]:
        """Plain-language notes on what in the request was ignored or changed."""
        return [problem.notice for problem in self.problems()]


@dataclass(frozen=True)
class ParameterProblem:
    """One query parameter the list could not use as given: `reason` says what is wrong with
    it, `notice` what the list page tells the visitor it did instead."""

    parameter: str
    reason: str
    notice: str


def adjacent_papers(paper):
    """The published papers before and after `paper` in the list's default order (newest
    first), as (previous, next); either may be None. Two queries, whatever the list's size.

    Keyset comparisons on the list's sort key (`list_period`, then title, then id). Each
    query is bounded to one side of the paper's period, a range the `paper_newest` index
    scans from the paper's place; only the papers of the same month before it are read
    and skipped, not the whole list.
    """
    period = list_period_of(paper)
    papers = Paper.objects.published().annotate(period=list_period())
    same_period = Q(period=period)
    after = Q(period__lt=period) | (
        same_period & (Q(title__gt=paper.title) | Q(title=paper.title, pk__gt=paper.pk))
    )
    before = Q(period__gt=period) | (
        same_period & (Q(title__lt=paper.title) | Q(title=paper.title, pk__lt=paper.pk))
    )
    following = papers.filter(after, period__lte=period).order_by("-period", "title", "pk")
    preceding = papers.filter(before, period__gte=period).order_by("period", "-title", "-pk")
    return preceding.only("slug", "title").first(), following.only("slug", "title").first()


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)


def filter_papers(query_params, queryset=None, scope_author=None):
    """Apply the public list's parameters to published papers.

    `query_params` is a QueryDict (e.g. `request.GET`) or a dict of lists; it may hold
    q, year (repeatable), year_from, year_to, venue, kind, author, topic, award, type (slugs
    or keys, repeatable), featured (1: the selected papers only) and sort (newest, oldest,
    title, relevance). `page` is ignored.
    `queryset`, when given, narrows the papers first (e.g. one author's); it is always
    restricted to published papers here. `role` (first, last, corresponding, any) restricts
    to papers where the chosen author, or else `scope_author`, holds that place.

    Returns `(papers, filterset)`: the filtered papers in the requested order (without
    select/prefetch: add `.for_list()` to show them), and the bound `PaperFilter`, whose
    `notices()` say which values were ignored. Never raises on bad input.
    """
    base = (queryset if queryset is not None else Paper.objects.all()).published()
    if not hasattr(query_params, "getlist"):
        query_params = MultiValueDict(
            {k: v if isinstance(v, list | tuple) else [v] for k, v in query_params.items()}
        )
    filterset = PaperFilter(data=query_params, queryset=base, scope_author=scope_author)
    filterset.scoped = queryset is not None
    return filterset.qs, filterset
