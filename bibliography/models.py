"""The bibliography: papers, their ordered authors, venues and awards.

Rules that must always hold (year range, identifier formats, unique keys) are
database constraints, so no code path (admin, importer, shell) can break them;
the same patterns are field validators so forms show a clear message first.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, Func, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bibliography.keys import generate_citation_key, unique_slug
from bibliography.uploads import (
    ThumbnailField,
    document_format,
    document_upload_to,
    validate_document,
)

MIN_YEAR = 1500
MAX_YEAR = 2100
# What a constraint says of a year outside them (in the editor's language).
YEAR_OUT_OF_RANGE = format_lazy(
    _("The year must be between {low} and {high}."), low=MIN_YEAR, high=MAX_YEAR
)

# A DOI is "10.<registrant>/<suffix>"; the suffix may hold almost anything but white space.
DOI_PATTERN = r"^10\.[0-9]{4,9}/[^\s]+$"
# New-style arXiv ids (2204.06745, optional version) and old-style ones (hep-th/9901001).
ARXIV_PATTERN = r"^([0-9]{4}\.[0-9]{4,5}|[a-z][a-z.-]*(\.[A-Z]{2})?/[0-9]{7})(v[0-9]+)?$"
ORCID_PATTERN = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"

validate_doi = RegexValidator(
    DOI_PATTERN, "Enter a DOI such as 10.18653/v1/2022.bigscience-1.9 (no https://doi.org/)."
)
validate_arxiv_id = RegexValidator(
    ARXIV_PATTERN, "Enter an arXiv identifier such as 2204.06745 or hep-th/9901001."
)
validate_orcid = RegexValidator(ORCID_PATTERN, "Enter an ORCID iD such as 0000-0002-1825-0097.")
# Other services' ids for a paper (al-folio's `altmetric`, `dimensions`, `google_scholar_id`,
# `inspirehep_id`): the pattern each service's ids follow, and its public page for one.
SERVICE_IDENTIFIERS = {
    "altmetric_id": (r"^[0-9]{1,12}$", "Altmetric", "https://www.altmetric.com/details/{}"),
    "dimensions_id": (
        r"^(pub\.)?[0-9]{1,15}$",
        "Dimensions",
        "https://app.dimensions.ai/details/publication/{}",
    ),
    "google_scholar_id": (
        r"^[A-Za-z0-9_-]{1,40}$",
        "Google Scholar",
        "https://scholar.google.com/scholar?cluster={}",
    ),
    "inspire_id": (r"^[0-9]{1,12}$", "INSPIRE", "https://inspirehep.net/literature/{}"),
}


def service_id_field(key: str, verbose_name: str, max_length: int, help_text: str):
    """A paper's id at another service, checked against its SERVICE_IDENTIFIERS pattern."""
    return models.CharField(
        verbose_name,
        max_length=max_length,
        blank=True,
        validators=[RegexValidator(SERVICE_IDENTIFIERS[key][0])],
        help_text=help_text,
    )


# Links are written into pages, feeds, Highwire meta tags and exports: only web addresses,
# never `javascript:`, `data:` or `vbscript:` (nor ftp:, which Django's URLField allows).
WEB_URL_SCHEMES = ("http", "https")
validate_web_url = URLValidator(
    schemes=list(WEB_URL_SCHEMES),
    message=_("Enter a valid web address starting with http:// or https://."),
)


class WebURLField(models.URLField):
    """A link shown to visitors: an http(s) address (see validate_web_url)."""

    default_validators = [validate_web_url]

    def deconstruct(self):
        # Migrations see a URLField: the column is the same, only the validation differs.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


# Everything people paste before a DOI: a resolver or publisher link with or without its
# scheme (doi.org, dx.doi.org, www.doi.org, doi.acm.org), and `DOI:` / `doi ` labels.
_DOI_PREFIX = re.compile(
    r"^(?:(?:https?://)?(?:www\.|dx\.)?doi(?:\.acm)?\.org/|doi\s*:?\s*(?=10\.))",
    re.IGNORECASE,
)


def normalize_doi(value: str) -> str:
    """The bare DOI of what people paste: `https://doi.org/10.1/x`, `doi.org/10.1/x`,
    `http://doi.acm.org/10.1145/x`, `DOI: 10.1/x`, a LaTeX-escaped `10.1/a\\_b`..."""
    value = (value or "").strip().replace("\\_", "_")
    while match := _DOI_PREFIX.match(value):
        value = value[match.end() :].strip()
    return value


def normalize_arxiv_id(value: str) -> str:
    """Strip white space and an 'arXiv:' or abs-URL prefix from an arXiv id."""
    value = (value or "").strip()
    for prefix in ("https://arxiv.org/abs/", "http://arxiv.org/abs/", "arxiv:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :].strip()
    return value


class DOIField(models.CharField):
    """A DOI; accepts the https://doi.org/ link an editor pastes and keeps the bare DOI."""

    def to_python(self, value):
        return normalize_doi(super().to_python(value))


class ArxivIdField(models.CharField):
    """An arXiv id; accepts 'arXiv:2204.06745' or the abs URL and keeps the bare id."""

    def to_python(self, value):
        return normalize_arxiv_id(super().to_python(value))


class PublicByPaperQuerySet(models.QuerySet):
    """Authors, venues and awards: named by slug in fixtures, and public through their papers.

    `paper_lookup` is the path from a paper to this model (e.g. "venue").
    """

    paper_lookup: str

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def public(self):
        """Those with at least one published paper: what visitors may see, link to and filter
        by. One that only drafts reach is unknown to the public site, as if it did not exist."""
        papers = Paper.objects.published().filter(**{self.paper_lookup: OuterRef("pk")})
        return self.filter(Exists(papers))


class VenueQuerySet(PublicByPaperQuerySet):
    paper_lookup = "venue"

    def public(self):
        """Venues with a published paper, and series one of whose members has one (a series
        such as NeurIPS often has no paper of its own: its members do)."""
        members = Paper.objects.published().filter(venue__series=OuterRef("pk"))
        own = Paper.objects.published().filter(venue=OuterRef("pk"))
        return self.filter(Exists(own) | Exists(members))

    def with_members(self, venues):
        """The pks of `venues` and of every member of those that are series."""
        pks = [venue.pk for venue in venues]
        return self.filter(Q(pk__in=pks) | Q(series__in=pks)).values("pk")


class AuthorQuerySet(PublicByPaperQuerySet):
    paper_lookup = "authorships__author"

    def moved_from(self, old_slug: str):
        """The public author that `old_slug` (of an author merged into them, or renamed)
        now names, or None: its page and its API resource redirect there."""
        return self.public().filter(slug_redirects__old_slug=old_slug).first()


class AwardQuerySet(PublicByPaperQuerySet):
    paper_lookup = "awards"


class TopicQuerySet(PublicByPaperQuerySet):
    paper_lookup = "topics"


class SluggedPageMixin:
    """Venues, authors, awards and topics: a page of their own under a slug made from the
    name when left empty (`slug_text`), and the slug as the natural key fixtures use."""

    detail_url_name: str

    def slug_text(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.slug_text(), instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(self.detail_url_name, kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Venue(SluggedPageMixin, models.Model):
    """Where papers appear: a conference, workshop, journal, preprint server or blog."""

    detail_url_name = "bibliography:venue-detail"

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        WORKSHOP = "workshop", _("Workshop")
        JOURNAL = "journal", _("Journal")
        PREPRINT = "preprint", _("Preprint server")
        # The edited volume a chapter (@incollection, @inbook) appears in.
        BOOK = "book", _("Book")
        BLOG = "blog", _("Blog or forum")
        OTHER = "other", _("Other")

    name = models.CharField(
        max_length=300,
        help_text=_(
            "Full name, e.g. 'Transactions of the Association for Computational Linguistics'"
        ),
        verbose_name=_("name"),
    )
    short_name = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The tag shown beside papers, e.g. 'TACL' or 'NeurIPS Datasets and Benchmarks'."
        ),
        verbose_name=_("short name"),
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.CONFERENCE, verbose_name=_("kind")
    )
    url = WebURLField(_("URL"), max_length=500, blank=True, help_text=_("The venue's home page."))
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the venue's URL; made from the name when empty."),
        verbose_name=_("slug"),
    )
    series = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text=(
            _(
                "The venue this one belongs to, e.g. NeurIPS for "
                "'NeurIPS Datasets and Benchmarks'. Choosing the series in the list selects all "
                "its members. One level only."
            )
        ),
        verbose_name=_("series"),
    )

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["short_name", "name"]

    def __str__(self):
        return self.short_name or self.name

    def slug_text(self) -> str:
        return self.short_name or self.name

    def clean(self):
        # One level: a series' page and facet list its members, never members of members.
        if self.series_id is None:
            return
        if self.pk is not None and self.series_id == self.pk:
            raise ValidationError({"series": _("A venue cannot be its own series.")})
        if self.series.series_id is not None:
            raise ValidationError(
                {
                    "series": f"“{self.series}” itself belongs to “{self.series.series}”: "
                    "choose that one."
                }
            )
        if self.pk is not None and self.members.exists():
            raise ValidationError(
                {"series": _("This venue is a series with members; it cannot join another.")}
            )

    @property
    def label(self):
        """The short tag when there is one, the full name otherwise."""
        return self.short_name or self.name


class Author(SluggedPageMixin, models.Model):
    """A person (or a corporate body) who wrote papers.

    Names are kept in their BibTeX parts so that "van der Berg" and "Jr." survive
    an export: `particle` is the lower-case "von" part, `suffix` the "Jr." part.
    """

    detail_url_name = "bibliography:author-detail"

    given_name = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. 'Stella'."), verbose_name=_("given name")
    )
    particle = models.CharField(
        max_length=50,
        blank=True,
        help_text=_("Lower-case name particle, e.g. 'van der' or 'de'."),
        verbose_name=_("particle"),
    )
    family_name = models.CharField(
        max_length=200,
        help_text=_(
            "e.g. 'Biderman'. For a corporate body, its whole name ('BigScience Workshop')"
        ),
        verbose_name=_("family name"),
    )
    suffix = models.CharField(
        max_length=20, blank=True, help_text=_("e.g. 'Jr.' or 'III'."), verbose_name=_("suffix")
    )
    is_organization = models.BooleanField(
        _("corporate body"),
        default=False,
        help_text=(
            _(
                "A lab, project or company ('EleutherAI'), not a person: citations write the "
                "name whole. A name of several words with no given name is one anyway."
            )
        ),
    )
    display_name = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("How pages show the name; left empty, it is built from the parts."),
        verbose_name=_("display name"),
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the author's URL; made from the name when empty."),
        verbose_name=_("slug"),
    )
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text=_("Optional."),
    )
    homepage = WebURLField(
        max_length=500, blank=True, help_text=_("Optional."), verbose_name=_("homepage")
    )
    is_site_owner = models.BooleanField(
        _("site owner"),
        default=False,
        help_text=_("Highlight this person in author lists (the researcher or lab members)."),
    )
    position = models.CharField(
        _("position or role"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the people page, e.g. 'PhD student' or 'Lab head'. Optional."),
    )
    affiliation = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("e.g. 'EleutherAI'. Optional."),
        verbose_name=_("affiliation"),
    )
    photo = ThumbnailField(
        folder="photos",
        blank=True,
        help_text=_(
            "Optional portrait (PNG, JPEG, WebP or GIF), shown on the author page; stored resized."
        ),
        verbose_name=_("photo"),
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orcid="") | Q(orcid__regex=ORCID_PATTERN),
                name="author_orcid_format",
                violation_error_message=_("Enter an ORCID iD such as 0000-0002-1825-0097."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name as pages show it: the display name, or 'Given von Family, Jr.'."""
        return person_name(
            self.given_name, self.particle, self.family_name, self.suffix, self.display_name
        )


class AuthorNameVariant(models.Model):
    """Another spelling of an author's name seen in a source ("S. Biderman"), so that an
    import matches the person instead of creating a second record (bibliography/people.py)."""

    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="name_variants", verbose_name=_("author")
    )
    given_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("e.g. 'S.' or 'Stella Rose'."),
        verbose_name=_("given name"),
    )
    particle = models.CharField(max_length=50, blank=True, verbose_name=_("particle"))
    family_name = models.CharField(max_length=200, verbose_name=_("family name"))
    suffix = models.CharField(max_length=20, blank=True, verbose_name=_("suffix"))

    class Meta:
        verbose_name = _("author name variant")
        verbose_name_plural = _("author name variants")
        ordering = ["author", "family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "given_name", "particle", "family_name", "suffix"],
                name="author_name_variant_unique",
                violation_error_message=_("This author already has this spelling."),
            )
        ]

    def __str__(self):
        return person_name(self.given_name, self.particle, self.family_name, self.suffix)


class AuthorSlugRedirect(models.Model):
    """An author page address that moved: the slug of an author merged into another (or
    renamed) keeps answering, with a permanent redirect to the kept author's page."""

    old_slug = models.SlugField(max_length=120, unique=True, verbose_name=_("old slug"))
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="slug_redirects", verbose_name=_("author")
    )

    class Meta:
        verbose_name = _("author slug redirect")
        verbose_name_plural = _("author slug redirects")
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.author.slug}"


def person_name(given_name, particle, family_name, suffix, display_name="") -> str:
    """`Author.name` from the parts alone, for rows fetched with values()."""
    if display_name:
        return display_name
    name = " ".join(part for part in (given_name, particle, family_name) if part)
    return f"{name}, {suffix}" if suffix else name


class Award(SluggedPageMixin, models.Model):
    """A distinction a paper received: a best-paper award, an oral, a spotlight."""

    detail_url_name = "bibliography:award-detail"

    class Kind(models.TextChoices):
        AWARD = "award", _("Award")
        ORAL = "oral", _("Oral presentation")
        SPOTLIGHT = "spotlight", _("Spotlight")
        OTHER = "other", _("Other distinction")

    name = models.CharField(
        max_length=200, help_text=_("e.g. 'Outstanding Paper Award'."), verbose_name=_("name")
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the award's URL; made from the name when empty."),
        verbose_name=_("slug"),
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.AWARD, verbose_name=_("kind")
    )
    description = models.TextField(
        blank=True, help_text=_("Optional."), verbose_name=_("description")
    )
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards_given",
        help_text=_("Who gave it: the conference or journal. Optional."),
        verbose_name=_("venue"),
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        help_text=_("When it was given. Optional."),
        verbose_name=_("year"),
    )
    url = WebURLField(
        _("URL"), max_length=500, blank=True, help_text=_("A page announcing it. Optional.")
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="award_year_range",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def given_by(self):
        """'NeurIPS 2022', 'ICLR', '2021' or '': who gave the award and when."""
        return " ".join(str(part) for part in (self.venue and self.venue.label, self.year) if part)


class Topic(SluggedPageMixin, models.Model):
    """A subject editors tag papers with ("language models", "data sets"); a facet and a page."""

    detail_url_name = "bibliography:topic-detail"

    name = models.CharField(
        max_length=100, unique=True, help_text=_("e.g. 'Language models'."), verbose_name=_("name")
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the topic's URL; made from the name when empty."),
        verbose_name=_("slug"),
    )
    description = models.TextField(
        blank=True,
        help_text=_("Optional; shown on the topic's page."),
        verbose_name=_("description"),
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


# A paper's priority moves it within its year: bounded so that the list's sort key stays one
# integer (see list_period).
MIN_PRIORITY = -99
MAX_PRIORITY = 99


def list_period():
    """A paper's place in the list's default order (newest first is this, descending) as one
    integer: the year, then the editor's priority within the year (higher first), then the
    month. 2024 with priority 0 and March is 2024_100_03 (2024 * 100000 + (0 + 100) * 100
    + 3). An unknown month counts as 0 and an unknown year as -1, so they come after every
    known one. `list_period_of()` is the same rule for one paper in Python.

    One key, so that one index (`paper_newest`) serves the list's first page and the
    previous/next links of the paper page with range scans. The constants are written
    into the SQL, not passed as parameters: SQLite uses an index on an expression only
    when the query repeats it literally.
    """
    return ExpressionWrapper(
        Func(F("year"), template="COALESCE(%(expressions)s, -1) * 100000")
        + Func(F("priority"), template="(%(expressions)s + 100) * 100")
        + Func(F("month"), template="COALESCE(%(expressions)s, 0)"),
        output_field=models.IntegerField(),
    )


def list_period_of(paper) -> int:
    """`list_period()` of one paper, computed from its fields."""
    year = paper.year if paper.year is not None else -1
    return year * 100000 + (paper.priority + 100) * 100 + (paper.month or 0)


class PaperQuerySet(models.QuerySet):
    """Every visibility rule for papers lives here, never repeated in views; authors, venues
    and awards are public through `published()` too (`PublicByPaperQuerySet.public`)."""

    def get_by_natural_key(self, citation_key):
        return self.get(citation_key=citation_key)

    def published(self):
        """Papers visitors may see: drafts never appear publicly."""
        return self.filter(published=True)

    def for_list(self):
        """What a list of papers shows, fetched in a fixed number of queries."""
        return self.select_related("venue").prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author")
                .prefetch_related("roles")
                .order_by("position"),
            ),
            "awards",
            "topics",
            Prefetch("links", queryset=PaperLink.objects.order_by("position", "pk")),
        )

    def featured(self):
        """The selected papers, in the editor's order (then newest first)."""
        return (
            self.published()
            .filter(featured=True)
            .order_by("featured_order", list_period().desc(), "title", "pk")
        )


class Paper(models.Model):
    """One work: its bibliographic record, the owner's citation text and its links."""

    class EntryType(models.TextChoices):
        # Values are the BibTeX entry types they are written as.
        ARTICLE = "article", _("Journal article")
        INPROCEEDINGS = "inproceedings", _("Conference or workshop paper")
        INCOLLECTION = "incollection", _("Chapter in a collection")
        BOOK = "book", _("Book")
        INBOOK = "inbook", _("Part of a book")
        PHDTHESIS = "phdthesis", _("PhD thesis")
        MASTERSTHESIS = "mastersthesis", _("Master's thesis")
        TECHREPORT = "techreport", _("Technical report")
        PROCEEDINGS = "proceedings", _("Proceedings")
        MANUAL = "manual", _("Manual")
        BOOKLET = "booklet", _("Booklet")
        UNPUBLISHED = "unpublished", _("Unpublished")
        MISC = "misc", _("Other (preprint, post, software)")

    title = models.CharField(
        max_length=1000,
        help_text=_("The paper's real title, as published."),
        verbose_name=_("title"),
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the paper's URL; made from the name when empty."),
        verbose_name=_("slug"),
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        help_text=_("Leave empty when no source gives it."),
        verbose_name=_("year"),
    )
    month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1-12; optional."),
        verbose_name=_("month"),
    )
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="papers",
        verbose_name=_("venue"),
    )
    entry_type = models.CharField(
        max_length=20,
        choices=EntryType.choices,
        default=EntryType.MISC,
        db_index=True,
        verbose_name=_("entry type"),
    )
    abstract = models.TextField(
        blank=True, help_text=_("Paragraphs separated by a blank line."), verbose_name=_("abstract")
    )
    citation_text = models.TextField(
        blank=True,
        help_text=_("The owner's own citation, kept verbatim as she wrote it."),
        verbose_name=_("citation text"),
    )
    citation_key = models.CharField(
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("BibTeX key; left empty, it is made as family name + year + first title word."),
        verbose_name=_("citation key"),
    )
    doi = DOIField(
        _("DOI"),
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text=_("e.g. 10.18653/v1/2022.bigscience-1.9"),
    )
    arxiv_id = ArxivIdField(
        _("arXiv id"),
        max_length=40,
        blank=True,
        validators=[validate_arxiv_id],
        help_text=_("e.g. 2204.06745"),
    )
    arxiv_primary_class = models.CharField(
        _("arXiv primary class"), max_length=40, blank=True, help_text=_("e.g. cs.CL")
    )
    url = WebURLField(
        _("URL"), max_length=500, blank=True, help_text=_("The paper's landing page.")
    )
    pdf_url = WebURLField(_("PDF URL"), max_length=500, blank=True)
    code_url = WebURLField(_("code URL"), max_length=500, blank=True)
    # Ids of the paper at other services (site-only: pages link them, exports do not carry
    # them); validated by SERVICE_IDENTIFIERS' patterns, so they are safe in a URL.
    altmetric_id = service_id_field("altmetric_id", _("Altmetric id"), 20, "e.g. 248277")
    dimensions_id = service_id_field("dimensions_id", _("Dimensions id"), 20, "e.g. pub.1060431417")
    google_scholar_id = service_id_field(
        "google_scholar_id", _("Google Scholar cluster id"), 40, "e.g. 8174092782678430881"
    )
    inspire_id = service_id_field(
        "inspire_id", _("INSPIRE id"), 20, "INSPIRE-HEP literature record, e.g. 3255"
    )
    booktitle = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Proceedings title, when it differs from the venue's name."),
        verbose_name=_("booktitle"),
    )
    publisher = models.CharField(max_length=300, blank=True, verbose_name=_("publisher"))
    volume = models.CharField(max_length=50, blank=True, verbose_name=_("volume"))
    number = models.CharField(max_length=50, blank=True, verbose_name=_("number"))
    pages = models.CharField(
        max_length=50, blank=True, help_text=_("e.g. 95-136"), verbose_name=_("pages")
    )
    extra_fields = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Other BibTeX fields (editor, series, address, note...) kept from an import."),
        verbose_name=_("extra fields"),
    )
    authors_partial = models.BooleanField(
        _("author list is partial"),
        default=False,
        help_text=_("The list of authors goes on ('et al.'; BibTeX writes 'and others')."),
    )
    awards = models.ManyToManyField(
        Award, blank=True, related_name="papers", verbose_name=_("awards")
    )
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="papers",
        help_text=_("Subjects the paper is listed under."),
        verbose_name=_("topics"),
    )
    published = models.BooleanField(
        default=True, help_text=_("Untick to keep the paper a draft."), verbose_name=_("published")
    )
    # Site-only curation: never written into a citation export.
    featured = models.BooleanField(
        _("selected"),
        default=False,
        help_text=_("List the paper under 'Selected publications' at the top of the home page."),
    )
    featured_order = models.PositiveSmallIntegerField(
        _("order among selected"),
        default=0,
        help_text=_("Lower comes first among the selected papers; ties are newest first."),
    )
    priority = models.SmallIntegerField(
        default=0,
        validators=[MinValueValidator(MIN_PRIORITY), MaxValueValidator(MAX_PRIORITY)],
        help_text=f"Higher comes first within the same year ({MIN_PRIORITY} to {MAX_PRIORITY}).",
        verbose_name=_("priority"),
    )
    preview_image = ThumbnailField(
        folder="previews",
        blank=True,
        help_text=_(
            "Optional figure shown beside the paper when the site shows thumbnails; stored resized."
        ),
        verbose_name=_("preview image"),
    )
    preview_alt = models.CharField(
        _("preview image description"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the preview image shows, for readers who cannot see it (required with an image)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = PaperQuerySet.as_manager()

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = [models.F("year").desc(nulls_last=True), "title"]
        indexes = [
            # The list's orders, over published papers: a page's ids are read from these
            # alone, the rows it skips included (views.NearerEndPaginator); the first, the
            # default order (newest first), also serves the paper page's previous/next.
            # PostgreSQL reads an expression from an index alone only when the columns it
            # is made of are in the index too, hence those included (not on SQLite).
            models.Index(
                list_period().desc(),
                "title",
                "id",
                name="paper_newest_published",
                include=["year", "month", "priority"],
                condition=Q(published=True),
            ),
            # (Ascending is nulls last on PostgreSQL, as the order puts unknown years.)
            models.Index(
                "year", "month", "title", "id", name="paper_oldest", condition=Q(published=True)
            ),
            models.Index(
                Lower("title"), "title", "id", name="paper_by_title", condition=Q(published=True)
            ),
            # Every facet count, the year chart and the result count read only these
            # columns: the index answers them without reading the wide rows (abstracts),
            # a search's thousands of matches included (found by id in it).
            models.Index(
                fields=["published", "year", "venue", "entry_type", "featured", "id"],
                name="paper_facet_columns",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="paper_year_range",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="paper_month_range",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(doi="") | Q(doi__regex=DOI_PATTERN),
                name="paper_doi_format",
                violation_error_message=_("That is not a DOI."),
            ),
            models.CheckConstraint(
                condition=Q(arxiv_id="") | Q(arxiv_id__regex=ARXIV_PATTERN),
                name="paper_arxiv_id_format",
                violation_error_message=_("That is not an arXiv identifier."),
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=MIN_PRIORITY, priority__lte=MAX_PRIORITY),
                name="paper_priority_range",
                violation_error_message=format_lazy(
                    _("The priority must be between {low} and {high}."),
                    low=MIN_PRIORITY,
                    high=MAX_PRIORITY,
                ),
            ),
            models.CheckConstraint(
                condition=Q(preview_image="") | ~Q(preview_alt=""),
                name="paper_preview_has_alt",
                violation_error_message=_("Describe the preview image (its alt text)."),
            ),
            models.CheckConstraint(
                condition=~Q(citation_key=""),
                name="paper_citation_key_not_empty",
                violation_error_message=_("A paper needs a citation key."),
            ),
            # DOIs are case-insensitive: 10.1/ABC and 10.1/abc are one paper.
            models.UniqueConstraint(
                Lower("doi"),
                condition=~Q(doi=""),
                name="paper_unique_doi",
                violation_error_message=_("Another paper already has this DOI."),
            ),
            models.UniqueConstraint(
                "arxiv_id",
                condition=~Q(arxiv_id=""),
                name="paper_unique_arxiv_id",
                violation_error_message=_("Another paper already has this arXiv id."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Paper, self.title, instance=self, max_length=80)
        if not self.citation_key:
            self.citation_key = generate_citation_key(self)
            self.citation_key_was_generated = True
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bibliography:paper-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.citation_key,)

    def clean(self):
        if self.preview_image and not self.preview_alt.strip():
            raise ValidationError(
                {
                    "preview_alt": _(
                        "Describe the preview image: readers who cannot see it get this."
                    )
                }
            )
        # Runs before the constraint checks, so an empty key is filled in rather than refused.
        # The admin regenerates it once the authors are saved (see PaperAdmin.save_related).
        if not self.citation_key:
            self.citation_key = generate_citation_key(self)
            self.citation_key_was_generated = True

    @property
    def published_month(self) -> datetime.date | None:
        """The first day of the month the paper appeared, when its year and month are known:
        what the paper page writes as "May 2022" (in the visitor's language: "Mai 2022")."""
        if self.year and self.month and MIN_YEAR <= self.year <= MAX_YEAR and 1 <= self.month <= 12:
            return datetime.date(self.year, self.month, 1)
        return None

    @property
    def ordered_authorships(self):
        """Authorships in byline order; uses the prefetch of `for_list()` when present."""
        return sorted(self.authorships.all(), key=lambda authorship: authorship.position)

    @property
    def listed_authors(self):
        """Authors whose place in the byline is known, in order (what exports write)."""
        return [a.author for a in self.ordered_authorships if a.order_known]

    @property
    def byline_is_partial(self):
        """True when the known authors are not the whole list ('et al.')."""
        return self.authors_partial or any(not a.order_known for a in self.ordered_authorships)

    @property
    def ordered_links(self):
        """The paper's typed links in the editor's order; uses the prefetch of `for_list()`."""
        return sorted(self.links.all(), key=lambda link: (link.position, link.pk))

    @property
    def pdf_href(self):
        """Where the PDF is: the imported `pdf_url`, else the first PDF link (a URL or a
        hosted file). What Highwire's citation_pdf_url and the JSON-LD point to."""
        if self.pdf_url:
            return self.pdf_url
        return next((link.href for link in self.ordered_links if link.kind == "pdf"), "")

    @property
    def abstract_paragraphs(self):
        return [p.strip() for p in self.abstract.split("\n\n") if p.strip()]

    @property
    def container_title(self):
        """The journal or proceedings the paper appeared in, as a citation names it."""
        if self.booktitle:
            return self.booktitle
        return self.venue.name if self.venue else ""

    @property
    def arxiv_url(self) -> str:
        """The preprint's arXiv abstract page, or "" when the paper has no arXiv id."""
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def doi_url(self) -> str:
        """The DOI as a link (https://doi.org/...), or "" when the paper has no DOI."""
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def service_links(self) -> list[tuple[str, str]]:
        """(service, URL) of the paper's page at each service whose id it has."""
        return [
            (label, url.format(getattr(self, column)))
            for column, (_pattern, label, url) in SERVICE_IDENTIFIERS.items()
            if getattr(self, column)
        ]

    @property
    def extra_fields_dict(self) -> dict:
        """`extra_fields`, or {} when something other than a JSON object was stored there
        (the admin form refuses one, a shell or SQL write need not)."""
        return self.extra_fields if isinstance(self.extra_fields, dict) else {}


class ContributionRoleQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def built_in(self, slug):
        """A built-in role, made again if an editor or a database flush removed it."""
        name, symbol, order = ContributionRole.BUILT_IN[slug]
        role, _ = self.get_or_create(
            slug=slug, defaults={"name": name, "symbol": symbol, "order": order}
        )
        return role


class ContributionRole(models.Model):
    """What a mark in a byline means: '*' equal contribution, '†' corresponding author, or
    one an editor defines. Pages show each role's symbol after the name and a legend of the
    roles present."""

    # The built-in roles (made by migration 0201, and in fixtures/seed.json); the role filter
    # finds them by these slugs.
    EQUAL_CONTRIBUTION = "equal-contribution"
    CORRESPONDING_AUTHOR = "corresponding-author"
    BUILT_IN = {
        EQUAL_CONTRIBUTION: ("equal contribution", "*", 1),
        CORRESPONDING_AUTHOR: ("corresponding author", "†", 2),
    }

    name = models.CharField(
        max_length=100,
        unique=True,
        help_text=_("As the legend says it, e.g. 'equal contribution'."),
        verbose_name=_("name"),
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text=_("Names the role in fixtures."),
        verbose_name=_("slug"),
    )
    symbol = models.CharField(
        max_length=4,
        unique=True,
        help_text=_("The mark after an author's name, e.g. '*', '†' or '‡'."),
        verbose_name=_("symbol"),
    )
    description = models.TextField(
        blank=True, help_text=_("Optional; for editors."), verbose_name=_("description")
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text=_("Place in the legend."), verbose_name=_("order")
    )

    objects = ContributionRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution role")
        verbose_name_plural = _("contribution roles")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(symbol=""), name="contribution_role_symbol"),
        ]

    def __str__(self):
        return f"{self.symbol} {self.name}"

    def natural_key(self):
        return (self.slug,)

    @staticmethod
    def in_legend_order(roles):
        """`roles` sorted as the legend lists them (`Meta.ordering`, for roles already
        fetched)."""
        return sorted(roles, key=lambda role: (role.order, role.name))

    @property
    def label(self) -> str:
        return self.label_for(self.slug, self.name)

    @classmethod
    def label_for(cls, slug: str, name: str) -> str:
        """The name as pages show it: a built-in role's in the visitor's language while an
        editor has not renamed it, else the name as the editor wrote it."""
        built_in = cls.BUILT_IN.get(slug)
        if built_in and name == built_in[0]:
            return BUILT_IN_ROLE_LABELS[slug]
        return name


# What the built-in roles are called on the pages (ContributionRole.label): the names in
# the database stay English, the data of every language.
BUILT_IN_ROLE_LABELS = {
    ContributionRole.EQUAL_CONTRIBUTION: _("equal contribution"),
    ContributionRole.CORRESPONDING_AUTHOR: _("corresponding author"),
}


class AuthorshipQuerySet(models.QuerySet):
    def get_by_natural_key(self, citation_key, position):
        return self.get(paper__citation_key=citation_key, position=position)


class Authorship(models.Model):
    """One author's place on one paper."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="authorships", verbose_name=_("paper")
    )
    # PROTECT: deleting a person must never silently shorten a paper's byline.
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="authorships", verbose_name=_("author")
    )
    position = models.PositiveSmallIntegerField(
        help_text=_("1 for the first author."), verbose_name=_("position")
    )
    roles = models.ManyToManyField(
        ContributionRole,
        blank=True,
        related_name="authorships",
        help_text=_("Marks after the name: equal contribution, corresponding author..."),
        verbose_name=_("roles"),
    )
    order_known = models.BooleanField(
        _("place in byline known"),
        default=True,
        help_text=(
            _(
                "Untick for a co-author the source names only as 'incl.': the person is listed "
                "on the paper but not written into exported bylines."
            )
        ),
    )

    objects = AuthorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("authorship")
        verbose_name_plural = _("authorships")
        ordering = ["paper", "position"]
        # (paper, position) and (paper, author) are indexed by their unique constraints;
        # this one serves an author's papers and the author facet's grouped count.
        indexes = [models.Index(fields=["author", "paper"], name="authorship_author_paper")]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "position"],
                name="authorship_unique_position",
                violation_error_message=_("Two authors cannot share a position on one paper."),
            ),
            models.UniqueConstraint(
                fields=["paper", "author"],
                name="authorship_unique_author",
                violation_error_message=_("This author is already on the paper."),
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="authorship_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.author}"

    def natural_key(self):
        return (*self.paper.natural_key(), self.position)

    natural_key.dependencies = [
        "bibliography.paper",
        "bibliography.author",
        "bibliography.contributionrole",
    ]

    @property
    def role_list(self):
        """The roles in legend order; uses the prefetch of `for_list()` when present."""
        return ContributionRole.in_legend_order(self.roles.all())


class PaperLink(models.Model):
    """One button under a paper: a typed link to a URL, or a file hosted by the site.

    The paper's `url` (its landing page, which citations carry), `pdf_url` and `code_url`
    are bibliographic fields the BibTeX import fills and the exports write; links are the
    editor's curated extras (slides, a poster, a video, an uploaded PDF...), site-only.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        SUPPLEMENT = "supplement", _("Supplement")
        CODE = "code", _("Code")
        DATASET = "dataset", _("Data set")
        SLIDES = "slides", _("Slides")
        POSTER = "poster", _("Poster")
        VIDEO = "video", _("Video")
        PROJECT = "project", _("Project page")
        BLOG = "blog", _("Blog post")
        LANDING = "landing", _("Landing page")
        CUSTOM = "custom", _("Custom (give a label)")

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="links", verbose_name=_("paper")
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.PDF, verbose_name=_("kind")
    )
    label = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("The button's text; required for a custom link, else the kind's name."),
        verbose_name=_("label"),
    )
    url = WebURLField(_("URL"), max_length=500, blank=True, help_text=_("A link, or..."))
    file = models.FileField(
        max_length=200,
        blank=True,
        upload_to=document_upload_to,
        validators=[validate_document],
        help_text=_("...a file the site hosts: a PDF or an image (checked by content)."),
        verbose_name=_("file"),
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Order of the buttons."), verbose_name=_("position")
    )

    class Meta:
        verbose_name = _("paper link")
        verbose_name_plural = _("paper links")
        ordering = ["paper", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="paperlink_url_or_file",
                violation_error_message=_("Give either a URL or a file (one of the two)."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="custom") | ~Q(label=""),
                name="paperlink_custom_has_label",
                violation_error_message=_("A custom link needs a label."),
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        # The constraints' own rules, said on the field the editor has to change.
        if bool(self.url) == bool(self.file):
            raise ValidationError(
                {"url": _("Give either a URL or a file to upload (one of the two).")}
            )
        if self.kind == self.Kind.CUSTOM and not self.label.strip():
            raise ValidationError({"label": _("A custom link needs a label (the button's text).")})
        # Google Scholar is told this file is the paper's PDF (see Paper.pdf_href).
        new_file = self.file and not self.file._committed
        if self.kind == self.Kind.PDF and new_file and document_format(self.file) != "pdf":
            raise ValidationError({"file": _("A PDF link's file must be a PDF.")})

    @property
    def text(self):
        """What the button says (a kind's name in the reader's language)."""
        return self.label or str(self.get_kind_display())

    @property
    def href(self):
        return self.file.url if self.file else self.url
