"""Carrying out an import plan: bulk inserts in one transaction, all or nothing."""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from bibliography.citations import entry_cache
from bibliography.importing.planning import (
    CREATE,
    SKIP,
    UPDATE,
    ImportPlan,
    award_key,
    topic_key,
    venue_key,
)
from bibliography.importing.site_fields import preview_description
from bibliography.keys import numbered, slug_base
from bibliography.models import (
    Author,
    Authorship,
    Award,
    ContributionRole,
    Paper,
    PaperLink,
    Topic,
    Venue,
)

BATCH_SIZE = 500


class ImportRefused(Exception):
    """The plan has errors and the caller asked for all or nothing."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    authors_created: int = 0
    venues_created: int = 0
    awards_created: int = 0
    topics_created: int = 0

    def summary(self) -> str:
        text = gettext(
            "%(created)s created, %(updated)s updated, %(skipped)s skipped as duplicates, "
            "%(failed)s failed; %(authors)s new authors, %(venues)s new venues"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "failed": self.failed,
            "authors": self.authors_created,
            "venues": self.venues_created,
        }
        if self.awards_created:
            text += gettext(", %(awards)s new awards") % {"awards": self.awards_created}
        if self.topics_created:
            text += gettext(", %(topics)s new topics") % {"topics": self.topics_created}
        return text


class _SlugMaker:
    """unique_slug's rule against slugs loaded once."""

    def __init__(self, model, max_length: int = 100):
        self.taken = set(model._default_manager.values_list("slug", flat=True))
        self.model = model
        self.max_length = max_length

    def __call__(self, text: str) -> str:
        slug = numbered(slug_base(self.model, text, self.max_length), self.taken)
        self.taken.add(slug)
        return slug


def apply_plan(plan: ImportPlan, *, skip_invalid: bool = False) -> ImportResult:
    """Write the plan's creates and updates; refuse a plan with errors unless `skip_invalid`."""
    errors = plan.errors
    if errors and not skip_invalid:
        raise ImportRefused(
            ngettext(
                "%(count)s entries cannot be imported; nothing was written",
                "%(count)s entries cannot be imported; nothing was written",
                len(errors),
            )
            % {"count": len(errors)}
        )
    result = ImportResult(skipped=plan.count(SKIP), failed=len(errors), updated=plan.count(UPDATE))
    creates = [item for item in plan.items if item.action == CREATE]
    updates = [item for item in plan.items if item.action == UPDATE]
    if not creates and not updates:
        return result

    with transaction.atomic():
        venue_ids = _venue_ids(plan, creates, updates, result)
        author_ids = _author_ids(plan, creates, result)
        paper_slug = _SlugMaker(Paper, max_length=80)
        papers = []
        for item in creates:
            paper = Paper(**item.data.paper)
            paper.slug = paper_slug(paper.title)
            if item.data.venue_name:
                paper.venue_id = venue_ids[venue_key(item.data.venue_name)]
            if item.data.site.preview_image:
                # Stored resized under a generated name as the row goes in (ThumbnailField).
                paper.preview_image = ContentFile(item.data.site.preview_image, name="preview")
                paper.preview_alt = preview_description(paper.title)
            papers.append(paper)
        reserved = _reserve_ids(Paper, len(papers))
        if reserved:
            # Bylines first (foreign keys are checked at commit): the paper-row search trigger
            # (triggers.py) then finds each paper's names as the row goes in, whereas bylines
            # added after their papers make the byline trigger rewrite every new paper row a
            # second time (about 0.5 s of the TUGboat file's 4 s). SQLite has no sequence to
            # take ids from: there the papers go first.
            for paper, pk in zip(papers, reserved, strict=True):
                paper.pk = pk
            Authorship.objects.bulk_create(
                _bylines(creates, papers, author_ids), batch_size=BATCH_SIZE
            )
            Paper.objects.bulk_create(papers, batch_size=BATCH_SIZE)
        else:
            Paper.objects.bulk_create(papers, batch_size=BATCH_SIZE)
            Authorship.objects.bulk_create(
                _bylines(creates, papers, author_ids), batch_size=BATCH_SIZE
            )
        _add_site_data(plan, creates, papers, result)
        _apply_updates(updates, venue_ids)
        entry_cache.store_after_commit(
            [paper.pk for paper in papers] + [item.existing_id for item in updates]
        )
    result.created = len(papers)
    return result


def _reserve_ids(model, count: int) -> list[int] | None:
    """On PostgreSQL, `count` new ids taken from the model's sequence; None elsewhere."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _bylines(creates, papers, author_ids) -> list[Authorship]:
    return [
        Authorship(
            paper_id=paper.pk,
            author_id=author_ids[person.match_key],
            position=position,
            order_known=True,
        )
        for item, paper in zip(creates, papers, strict=True)
        for position, person in enumerate(item.data.authors, start=1)
    ]


def _venue_ids(plan, creates, updates, result) -> dict[str, int]:
    ids = dict(plan.existing.venues)
    wanted = {}
    for item in creates:
        if item.data.venue_name:
            wanted.setdefault(venue_key(item.data.venue_name), item.data)
    for item in updates:
        if "venue" in item.changes:
            wanted.setdefault(venue_key(item.changes["venue"]), item.data)
    missing = [(key, data) for key, data in wanted.items() if key not in ids]
    if missing:
        slug = _SlugMaker(Venue)
        short_name_limit = Venue._meta.get_field("short_name").max_length
        venues = [
            Venue(
                name=data.venue_name,
                kind=data.venue_kind,
                slug=slug(data.venue_name),
                # al-folio's `abbr` badge; a venue that exists keeps the short name it has.
                short_name=data.site.venue_short_name[:short_name_limit],
            )
            for _key, data in missing
        ]
        Venue.objects.bulk_create(venues, batch_size=BATCH_SIZE)
        ids.update({key: venue.pk for (key, _data), venue in zip(missing, venues, strict=True)})
        result.venues_created = len(venues)
    return ids


def _author_ids(plan, creates, result) -> dict[str, int]:
    ids = dict(plan.existing.authors)
    missing = {}
    for item in creates:
        for person in item.data.authors:
            if person.match_key not in ids:
                missing.setdefault(person.match_key, person)
    if missing:
        slug = _SlugMaker(Author)
        authors = []
        for person in missing.values():
            author = Author(
                given_name=person.given_name,
                particle=person.particle,
                family_name=person.family_name,
                suffix=person.suffix,
            )
            author.slug = slug(author.name)
            authors.append(author)
        Author.objects.bulk_create(authors, batch_size=BATCH_SIZE)
        ids.update({key: author.pk for key, author in zip(missing, authors, strict=True)})
        result.authors_created = len(authors)
    return ids


def _add_site_data(plan, creates, papers, result) -> None:
    """The new papers' contribution roles, awards, topics and typed links (al-folio's
    marks, `award`, `keywords` and buttons): a few bulk inserts, whatever the count."""
    role_ids: dict = {}
    role_rows = []
    marked = [pair for pair in zip(creates, papers, strict=True) if any(pair[0].data.author_roles)]
    authorships = (
        {
            (row.paper_id, row.position): row.pk
            for row in Authorship.objects.filter(paper__in=[paper for _item, paper in marked]).only(
                "pk", "paper", "position"
            )
        }
        if marked
        else {}
    )
    for item, paper in marked:
        for position, roles in enumerate(item.data.author_roles, start=1):
            for role in roles:
                if isinstance(role, str):  # a built-in role, made again if it was removed
                    if role not in role_ids:
                        role_ids[role] = ContributionRole.objects.built_in(role).pk
                    role = role_ids[role]
                role_rows.append(
                    Authorship.roles.through(
                        authorship_id=authorships[(paper.pk, position)], contributionrole_id=role
                    )
                )
    Authorship.roles.through.objects.bulk_create(role_rows, batch_size=BATCH_SIZE)

    pairs = list(zip(creates, papers, strict=True))
    result.awards_created = _add_named(
        Award,
        Paper.awards.through,
        plan.existing.awards,
        [
            (
                paper.pk,
                award_key(name, paper.venue_id, paper.year),
                {
                    "name": name,
                    "description": description,
                    "venue_id": paper.venue_id,
                    "year": paper.year,
                },
            )
            for item, paper in pairs
            for name, description in item.data.site.awards
        ],
    )
    result.topics_created = _add_named(
        Topic,
        Paper.topics.through,
        plan.existing.topics,
        [
            (paper.pk, topic_key(name), {"name": name})
            for item, paper in pairs
            for name in item.data.site.topics
        ],
    )
    PaperLink.objects.bulk_create(
        [
            PaperLink(paper_id=paper.pk, kind=kind, url=url, position=position)
            for item, paper in zip(creates, papers, strict=True)
            for position, (kind, url) in enumerate(item.data.site.links, start=1)
        ],
        batch_size=BATCH_SIZE,
    )


def _add_named(model, through, existing: dict, wanted: list[tuple]) -> int:
    """The rows of `model` (awards, topics) that the new papers name and the database lacks,
    and each paper's link to its row; returns how many rows were new.

    `wanted` holds (paper id, the row's key as planning.award_key/topic_key make it, the
    fields of the row to create if the key is new); `existing` maps keys to ids.
    """
    if not wanted:
        return 0
    ids = dict(existing)
    new_rows: dict = {}
    slug = None
    for _paper_id, key, fields in wanted:
        if key not in ids and key not in new_rows:
            slug = slug or _SlugMaker(model)
            new_rows[key] = model(slug=slug(fields["name"]), **fields)
    model.objects.bulk_create(new_rows.values(), batch_size=BATCH_SIZE)
    ids.update({key: row.pk for key, row in new_rows.items()})
    column = f"{model._meta.model_name}_id"
    links = dict.fromkeys((paper_id, ids[key]) for paper_id, key, _fields in wanted)
    through.objects.bulk_create(
        [through(paper_id=paper_id, **{column: pk}) for paper_id, pk in links],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    return len(new_rows)


def _apply_updates(updates, venue_ids) -> None:
    """Fill in empty columns of matched papers: one bulk_update per set of columns."""
    now = timezone.now()
    groups: dict[tuple, list[Paper]] = {}
    for item in updates:
        paper = Paper(pk=item.existing_id, updated_at=now)
        columns = []
        for column, value in item.changes.items():
            if column == "venue":
                paper.venue_id = venue_ids[venue_key(value)]
                columns.append("venue")
            else:
                setattr(paper, column, value)
                columns.append(column)
        groups.setdefault(tuple(sorted(columns)), []).append(paper)
    for columns, papers in groups.items():
        Paper.objects.bulk_update(papers, [*columns, "updated_at"], batch_size=BATCH_SIZE)
