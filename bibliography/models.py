"""The bibliography: papers, their ordered authors, venues and awards.

Rules that must always hold (year range, identifier formats, unique keys) are
database constraints, so no code path (admin, importer, shell) can break them;
the same patterns are field validators so forms show a clear message first.
"""

import re

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

from bibliography.keys import generate_citation_key, unique_slug

MIN_YEAR = 1500
MAX_YEAR = 2100

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
# Links are written into pages, feeds, Highwire meta tags and exports: only web addresses,
# never `javascript:`, `data:` or `vbscript:` (nor ftp:, which Django's URLField allows).
WEB_URL_SCHEMES = ("http", "https")
validate_web_url = URLValidator(
    schemes=list(WEB_URL_SCHEMES),
    message="Enter a valid web address starting with http:// or https://.",
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


class AuthorQuerySet(PublicByPaperQuerySet):
    paper_lookup = "authorships__author"


class AwardQuerySet(PublicByPaperQuerySet):
    paper_lookup = "awards"


class Venue(models.Model):
    """Where papers appear: a conference, workshop, journal, preprint server or blog."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", "Conference"
        WORKSHOP = "workshop", "Workshop"
        JOURNAL = "journal", "Journal"
        PREPRINT = "preprint", "Preprint server"
        BLOG = "blog", "Blog or forum"
        OTHER = "other", "Other"

    name = models.CharField(
        max_length=300,
        help_text="Full name, e.g. 'Transactions of the Association for Computational Linguistics'",
    )
    short_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="The tag shown beside papers, e.g. 'TACL' or 'NeurIPS Datasets and Benchmarks'.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    url = WebURLField("URL", max_length=500, blank=True, help_text="The venue's home page.")
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="Used in the venue's URL; made from the name when empty.",
    )

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["short_name", "name"]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Venue, self.short_name or self.name, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bibliography:venue-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def label(self):
        """The short tag when there is one, the full name otherwise."""
        return self.short_name or self.name


class Author(models.Model):
    """A person (or a corporate body) who wrote papers.

    Names are kept in their BibTeX parts so that "van der Berg" and "Jr." survive
    an export: `particle` is the lower-case "von" part, `suffix` the "Jr." part.
    """

    given_name = models.CharField(max_length=200, blank=True, help_text="e.g. 'Stella'.")
    particle = models.CharField(
        max_length=50, blank=True, help_text="Lower-case name particle, e.g. 'van der' or 'de'."
    )
    family_name = models.CharField(
        max_length=200,
        help_text="e.g. 'Biderman'. For a corporate body, its whole name ('BigScience Workshop')",
    )
    suffix = models.CharField(max_length=20, blank=True, help_text="e.g. 'Jr.' or 'III'.")
    display_name = models.CharField(
        max_length=300,
        blank=True,
        help_text="How pages show the name; left empty, it is built from the parts.",
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="Used in the author's URL; made from the name when empty.",
    )
    orcid = models.CharField(
        "ORCID iD", max_length=19, blank=True, validators=[validate_orcid], help_text="Optional."
    )
    homepage = WebURLField(max_length=500, blank=True, help_text="Optional.")
    is_site_owner = models.BooleanField(
        "site owner",
        default=False,
        help_text="Highlight this person in author lists (the researcher or lab members).",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orcid="") | Q(orcid__regex=ORCID_PATTERN),
                name="author_orcid_format",
                violation_error_message="Enter an ORCID iD such as 0000-0002-1825-0097.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bibliography:author-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def name(self):
        """The name as pages show it: the display name, or 'Given von Family, Jr.'."""
        return person_name(
            self.given_name, self.particle, self.family_name, self.suffix, self.display_name
        )


def person_name(given_name, particle, family_name, suffix, display_name="") -> str:
    """`Author.name` from the parts alone, for rows fetched with values()."""
    if display_name:
        return display_name
    name = " ".join(part for part in (given_name, particle, family_name) if part)
    return f"{name}, {suffix}" if suffix else name


class Award(models.Model):
    """A distinction a paper received: a best-paper award, an oral, a spotlight."""

    class Kind(models.TextChoices):
        AWARD = "award", "Award"
        ORAL = "oral", "Oral presentation"
        SPOTLIGHT = "spotlight", "Spotlight"
        OTHER = "other", "Other distinction"

    name = models.CharField(max_length=200, help_text="e.g. 'Outstanding Paper Award'.")
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="Used in the award's URL; made from the name when empty.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AWARD)
    description = models.TextField(blank=True, help_text="Optional.")

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Award, self.name, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bibliography:award-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


def list_period():
    """A paper's year and month as one integer, 202403 for March 2024, that sorts the way
    the list does (newest first is this, descending): an unknown month counts as 0 and an
    unknown year as -1, so they come after every known one.

    One key, so that one index (`paper_newest`) serves the list's first page and the
    previous/next links of the paper page with range scans. The constants are written
    into the SQL, not passed as parameters: SQLite uses an index on an expression only
    when the query repeats it literally.
    """
    return ExpressionWrapper(
        Func(F("year"), template="COALESCE(%(expressions)s, -1) * 100")
        + Func(F("month"), template="COALESCE(%(expressions)s, 0)"),
        output_field=models.IntegerField(),
    )


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
                queryset=Authorship.objects.select_related("author").order_by("position"),
            ),
            "awards",
        )


class Paper(models.Model):
    """One work: its bibliographic record, the owner's citation text and its links."""

    class EntryType(models.TextChoices):
        # Values are the BibTeX entry types they are written as.
        ARTICLE = "article", "Journal article"
        INPROCEEDINGS = "inproceedings", "Conference or workshop paper"
        INCOLLECTION = "incollection", "Chapter in a collection"
        BOOK = "book", "Book"
        INBOOK = "inbook", "Part of a book"
        PHDTHESIS = "phdthesis", "PhD thesis"
        MASTERSTHESIS = "mastersthesis", "Master's thesis"
        TECHREPORT = "techreport", "Technical report"
        PROCEEDINGS = "proceedings", "Proceedings"
        MANUAL = "manual", "Manual"
        BOOKLET = "booklet", "Booklet"
        UNPUBLISHED = "unpublished", "Unpublished"
        MISC = "misc", "Other (preprint, post, software)"

    title = models.CharField(max_length=1000, help_text="The paper's real title, as published.")
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="Used in the paper's URL; made from the name when empty.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        help_text="Leave empty when no source gives it.",
    )
    month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="1-12; optional.",
    )
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="papers"
    )
    entry_type = models.CharField(
        max_length=20, choices=EntryType.choices, default=EntryType.MISC, db_index=True
    )
    abstract = models.TextField(blank=True, help_text="Paragraphs separated by a blank line.")
    citation_text = models.TextField(
        blank=True, help_text="The owner's own citation, kept verbatim as she wrote it."
    )
    citation_key = models.CharField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="BibTeX key; left empty, it is made as family name + year + first title word.",
    )
    doi = DOIField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text="e.g. 10.18653/v1/2022.bigscience-1.9",
    )
    arxiv_id = ArxivIdField(
        "arXiv id",
        max_length=40,
        blank=True,
        validators=[validate_arxiv_id],
        help_text="e.g. 2204.06745",
    )
    arxiv_primary_class = models.CharField(
        "arXiv primary class", max_length=40, blank=True, help_text="e.g. cs.CL"
    )
    url = WebURLField("URL", max_length=500, blank=True, help_text="The paper's landing page.")
    pdf_url = WebURLField("PDF URL", max_length=500, blank=True)
    code_url = WebURLField("code URL", max_length=500, blank=True)
    booktitle = models.CharField(
        max_length=500,
        blank=True,
        help_text="Proceedings title, when it differs from the venue's name.",
    )
    publisher = models.CharField(max_length=300, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    number = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True, help_text="e.g. 95-136")
    extra_fields = models.JSONField(
        default=dict,
        blank=True,
        help_text="Other BibTeX fields (editor, series, address, note...) kept from an import.",
    )
    authors_partial = models.BooleanField(
        "author list is partial",
        default=False,
        help_text="The list of authors goes on ('et al.'; BibTeX writes 'and others').",
    )
    awards = models.ManyToManyField(Award, blank=True, related_name="papers")
    published = models.BooleanField(default=True, help_text="Untick to keep the paper a draft.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = [models.F("year").desc(nulls_last=True), "title"]
        indexes = [
            # The list's default order (newest first) and the paper page's previous/next.
            models.Index(list_period().desc(), "title", "id", name="paper_newest"),
            # Every facet count, the year chart and the result count read only these
            # columns: the index answers them without reading the wide rows (abstracts).
            models.Index(
                fields=["published", "year", "venue", "entry_type", "id"], name="paper_facets"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="paper_year_range",
                violation_error_message=f"The year must be between {MIN_YEAR} and {MAX_YEAR}.",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="paper_month_range",
                violation_error_message="The month must be between 1 and 12.",
            ),
            models.CheckConstraint(
                condition=Q(doi="") | Q(doi__regex=DOI_PATTERN),
                name="paper_doi_format",
                violation_error_message="That is not a DOI.",
            ),
            models.CheckConstraint(
                condition=Q(arxiv_id="") | Q(arxiv_id__regex=ARXIV_PATTERN),
                name="paper_arxiv_id_format",
                violation_error_message="That is not an arXiv identifier.",
            ),
            models.CheckConstraint(
                condition=~Q(citation_key=""),
                name="paper_citation_key_not_empty",
                violation_error_message="A paper needs a citation key.",
            ),
            # DOIs are case-insensitive: 10.1/ABC and 10.1/abc are one paper.
            models.UniqueConstraint(
                Lower("doi"),
                condition=~Q(doi=""),
                name="paper_unique_doi",
                violation_error_message="Another paper already has this DOI.",
            ),
            models.UniqueConstraint(
                "arxiv_id",
                condition=~Q(arxiv_id=""),
                name="paper_unique_arxiv_id",
                violation_error_message="Another paper already has this arXiv id.",
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
        # Runs before the constraint checks, so an empty key is filled in rather than refused.
        # The admin regenerates it once the authors are saved (see PaperAdmin.save_related).
        if not self.citation_key:
            self.citation_key = generate_citation_key(self)
            self.citation_key_was_generated = True

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
    def extra_fields_dict(self) -> dict:
        """`extra_fields`, or {} when something other than a JSON object was stored there
        (the admin form refuses one, a shell or SQL write need not)."""
        return self.extra_fields if isinstance(self.extra_fields, dict) else {}


class AuthorshipQuerySet(models.QuerySet):
    def get_by_natural_key(self, citation_key, position):
        return self.get(paper__citation_key=citation_key, position=position)


class Authorship(models.Model):
    """One author's place on one paper."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    # PROTECT: deleting a person must never silently shorten a paper's byline.
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveSmallIntegerField(help_text="1 for the first author.")
    equal_contribution = models.BooleanField(
        default=False, help_text="Marked * : contributed equally with the other marked authors."
    )
    order_known = models.BooleanField(
        "place in byline known",
        default=True,
        help_text=(
            "Untick for a co-author the source names only as 'incl.': the person is listed "
            "on the paper but not written into exported bylines."
        ),
    )

    objects = AuthorshipQuerySet.as_manager()

    class Meta:
        ordering = ["paper", "position"]
        # (paper, position) and (paper, author) are indexed by their unique constraints;
        # this one serves an author's papers and the author facet's grouped count.
        indexes = [models.Index(fields=["author", "paper"], name="authorship_author_paper")]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "position"],
                name="authorship_unique_position",
                violation_error_message="Two authors cannot share a position on one paper.",
            ),
            models.UniqueConstraint(
                fields=["paper", "author"],
                name="authorship_unique_author",
                violation_error_message="This author is already on the paper.",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="authorship_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.author}"

    def natural_key(self):
        return (*self.paper.natural_key(), self.position)

    natural_key.dependencies = ["bibliography.paper", "bibliography.author"]
