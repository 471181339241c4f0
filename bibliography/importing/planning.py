"""The import plan: what each entry would do (create, update, skip, error), and why.

Everything the plan needs from the database is loaded once into dicts
(`ExistingRecords`), so planning costs a fixed handful of queries however long the
file is. Duplicates are recognised, against the database and within the import,
by DOI, then arXiv id, then normalised title and year.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, cached_property

from django.utils.translation import gettext, ngettext, pgettext_lazy

from bibliography.importing.bylines import resolve_bylines
from bibliography.importing.latex import symbol_table
from bibliography.importing.mapping import EntryData, EntryError, map_entry
from bibliography.importing.marks import KnownRoles, fold, parse_legend, resolve_role
from bibliography.importing.names import name_match_key
from bibliography.importing.parsing import ParsedLibrary
from bibliography.keys import citation_key_base, lettered
from bibliography.models import (
    Author,
    AuthorNameVariant,
    Award,
    ContributionRole,
    Paper,
    Topic,
    Venue,
    person_name,
)
from bibliography.people import family_key

CREATE, UPDATE, SKIP, ERROR = "create", "update", "skip-duplicate", "error"
ACTIONS = (CREATE, UPDATE, SKIP, ERROR)
# What the admin's preview calls each action, in the editor's language.
ACTION_LABELS = {
    CREATE: pgettext_lazy("import action", "create"),
    UPDATE: pgettext_lazy("import action", "update"),
    SKIP: pgettext_lazy("import action", "skip-duplicate"),
    ERROR: pgettext_lazy("import action", "error"),
}

# Columns an import may fill on an existing paper when they are empty there.
# Curated values are never overwritten.
FILLABLE_COLUMNS = (
    "month", "booktitle", "publisher", "volume", "number", "pages", "doi", "arxiv_id",
    "arxiv_primary_class", "url", "pdf_url", "code_url", "abstract", "altmetric_id",
    "dimensions_id", "google_scholar_id", "inspire_id",
)  # fmt: skip

# What one version of a work says about where it appeared does not fit another version:
# a conference version's booktitle and pages must not land on the journal article.
TYPE_SPECIFIC_COLUMNS = {"booktitle", "volume", "number", "pages", "publisher"}

_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _math_symbol_names() -> dict[int, str]:
    """Each math symbol (⊕, ≤) as the name of its LaTeX command (oplus, leq), for str.translate."""
    names: dict[int, str] = {}
    for name, char in sorted(symbol_table().items(), key=lambda pair: (len(pair[0]), pair[0])):
        if len(char) == 1 and name.isalpha() and unicodedata.category(char) == "Sm":
            names.setdefault(ord(char), f" {name} ")
    return names


def title_key(title: str, year) -> tuple[str, int | None]:
    """Case, accents, punctuation and spacing do not make a different title; nor does a math
    symbol decoded on one copy and spelt as its command's name on another (DBLP writes one
    paper's title as `AC^0[oplus]` and as `$AC^0[\\oplus]$`)."""
    if not title.isascii():
        title = title.translate(_math_symbol_names())
    folded = unicodedata.normalize("NFKD", title)
    if not folded.isascii():
        folded = "".join(char for char in folded if not unicodedata.combining(char))
    return _NOT_WORD.sub("", folded.casefold()), year


def arxiv_key(arxiv_id: str) -> str:
    """Versions of one preprint are one work: 2204.06745v2 is 2204.06745."""
    return re.sub(r"v[0-9]+$", "", arxiv_id)


def venue_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


_DIGITS = re.compile(r"\d+")
# A paper's preprint, report, conference (often @incollection) and journal versions share a
# title and year, and a publication list shows them once; a book or a thesis of that
# title is another work.
PAPER_TYPES = {"article", "inproceedings", "incollection", "techreport", "misc", "unpublished"}


def same_work(one: dict, other: dict) -> bool:
    """Whether two records with one title and year are one work, as far as they tell.

    Different DOIs, arXiv ids or page ranges make them different works: a journal's
    "Calendar" in issue 1 and in issue 3 of a year share a title, not a text. So do
    a book and an article (see PAPER_TYPES).
    """
    types = {one["entry_type"], other["entry_type"]}
    if len(types) == 2 and not types <= PAPER_TYPES:
        return False
    for column in ("doi", "arxiv_id"):
        if one[column] and other[column] and one[column].lower() != other[column].lower():
            return False
    pages = _DIGITS.findall(one["pages"] or ""), _DIGITS.findall(other["pages"] or "")
    return not (pages[0] and pages[1] and pages[0] != pages[1])


# How alike two folded titles must be to name one work ("…: a survey" vs "… - a survey").
TITLE_AGREEMENT = 0.8


def titles_agree(one: str, other: str) -> bool:
    """Whether two titles can be one work's: equal once folded, one the other's start (a
    subtitle left off), or nearly the same letters."""
    one, other = title_key(one, None)[0], title_key(other, None)[0]
    if not one or not other or one.startswith(other) or other.startswith(one):
        return True
    return SequenceMatcher(None, one[:300], other[:300]).ratio() >= TITLE_AGREEMENT


def merge_into(first, duplicate) -> list[str]:
    """Fill the planned paper's empty columns from a later copy of it in the same import."""
    target, source = first.data.paper, duplicate.data.paper
    filled = []
    for column in FILLABLE_COLUMNS:
        if column in ("doi", "arxiv_id"):
            continue  # the planner adds identifiers: it knows which are taken
        if column in TYPE_SPECIFIC_COLUMNS and target["entry_type"] != source["entry_type"]:
            continue
        if target[column] in ("", None) and source[column] not in ("", None):
            target[column] = source[column]
            filled.append(column)
    if target["year"] is None and source["year"] is not None:
        target["year"] = source["year"]  # a title match with a year on one side only
        filled.append("year")
    for name, value in source["extra_fields"].items():
        if name not in target["extra_fields"]:
            target["extra_fields"][name] = value
            filled.append(name)
    if not first.data.venue_name and duplicate.data.venue_name:
        first.data.venue_name = duplicate.data.venue_name
        first.data.venue_kind = duplicate.data.venue_kind
        filled.append("venue")
    return filled


@dataclass
class ExistingPaper:
    id: int
    citation_key: str
    title: str
    values: dict
    venue_id: int | None
    extra_fields: dict


class ExistingRecords:
    """The database as the planner sees it: identifiers, titles, people and venues by key."""

    def __init__(self):
        columns = ("id", "citation_key", "title", "year", "venue_id", "extra_fields", "entry_type")
        self.papers: dict[int, ExistingPaper] = {}
        self.by_doi: dict[str, int] = {}
        self.by_arxiv: dict[str, int] = {}
        self.by_title: dict[tuple, list[int]] = {}
        # Folded title -> papers, whatever their year (for a year given on one side only).
        self.by_title_only: dict[str, list[int]] = {}
        self.citation_keys: set[str] = set()
        rows = Paper.objects.order_by("pk").values(*columns, *FILLABLE_COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            paper = ExistingPaper(
                id=row["id"],
                citation_key=row["citation_key"],
                title=row["title"],
                values={
                    column: row[column] for column in (*FILLABLE_COLUMNS, "entry_type", "year")
                },
                venue_id=row["venue_id"],
                extra_fields=row["extra_fields"] or {},
            )
            self.papers[paper.id] = paper
            self.citation_keys.add(paper.citation_key)
            if row["doi"]:
                self.by_doi.setdefault(row["doi"].lower(), paper.id)
            if row["arxiv_id"]:
                self.by_arxiv.setdefault(arxiv_key(row["arxiv_id"]), paper.id)
            key = title_key(row["title"], row["year"])
            self.by_title.setdefault(key, []).append(paper.id)
            self.by_title_only.setdefault(key[0], []).append(paper.id)

        self.authors: dict[str, int] = {}
        # Every spelling of each person by family name, for names spelt otherwise (bylines.py).
        self.spellings_by_family: dict[str, list[tuple[int, tuple]]] = {}
        self.author_names: dict[int, str] = {}
        author_rows = Author.objects.order_by("pk").values_list(
            "id", "given_name", "particle", "family_name", "suffix", "display_name"
        )
        for author_id, given, particle, family, suffix, display in author_rows:
            self.add_spelling(author_id, (given, particle, family, suffix))
            self.author_names[author_id] = person_name(given, particle, family, suffix, display)
        # Spellings an editor recorded for a person ("S. Biderman") are that person too;
        # an author's own name wins over another's variant.
        variant_rows = AuthorNameVariant.objects.order_by("pk").values_list(
            "author_id", "given_name", "particle", "family_name", "suffix"
        )
        for author_id, *name in variant_rows:
            self.add_spelling(author_id, tuple(name))

        self.venues: dict[str, int] = {}
        for venue_id, name in Venue.objects.order_by("pk").values_list("id", "name"):
            self.venues.setdefault(venue_key(name), venue_id)
        # A full name wins over someone else's short name, so short names go in second.
        for venue_id, short_name in Venue.objects.exclude(short_name="").values_list(
            "id", "short_name"
        ):
            self.venues.setdefault(venue_key(short_name), venue_id)

    def add_spelling(self, author_id: int, name: tuple) -> None:
        self.authors.setdefault(name_match_key(*name), author_id)
        family = family_key(name[1], name[2])
        self.spellings_by_family.setdefault(family, []).append((author_id, name))

    # Loaded when an entry first needs them: most files have no marks, awards or keywords.
    @cached_property
    def roles(self) -> KnownRoles:
        roles = ContributionRole.objects.values_list("id", "symbol", "name")
        return KnownRoles(
            by_symbol={symbol: pk for pk, symbol, _name in roles},
            by_name={fold(name): pk for pk, _symbol, name in roles},
        )

    @cached_property
    def awards(self) -> dict[tuple, int]:
        """An award is one name given by one venue in one year: (name, venue, year) -> id."""
        awards: dict[tuple, int] = {}
        for award_id, name, venue_id, year in Award.objects.order_by("pk").values_list(
            "id", "name", "venue_id", "year"
        ):
            awards.setdefault(award_key(name, venue_id, year), award_id)
        return awards

    @cached_property
    def topics(self) -> dict[str, int]:
        topics: dict[str, int] = {}
        for topic_id, name in Topic.objects.order_by("pk").values_list("id", "name"):
            topics.setdefault(topic_key(name), topic_id)
        return topics


def award_key(name: str, venue_id: int | None, year) -> tuple:
    return fold(name), venue_id, year


def topic_key(name: str) -> str:
    return name.casefold()


@dataclass(frozen=True)
class ImportPermissions:
    """What the person importing may do to the database beyond adding papers.

    The defaults are the command's: whoever runs manage.py may do anything already.
    """

    change_papers: bool = True
    view_papers: bool = True
    add_authors: bool = True
    add_venues: bool = True
    add_awards: bool = True
    add_topics: bool = True

    @classmethod
    def of(cls, user) -> "ImportPermissions":
        """A user's permissions, as the admin's change, view and add pages check them."""
        can_change = user.has_perm("bibliography.change_paper")
        return cls(
            change_papers=can_change,
            view_papers=can_change or user.has_perm("bibliography.view_paper"),
            add_authors=user.has_perm("bibliography.add_author"),
            add_venues=user.has_perm("bibliography.add_venue"),
            add_awards=user.has_perm("bibliography.add_award"),
            add_topics=user.has_perm("bibliography.add_topic"),
        )


@dataclass
class PlanItem:
    """One entry (or unreadable block) and what importing it would do."""

    action: str
    key: str
    source: str
    line: int
    title: str = ""
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    # Values the entry loses on the way in (see EntryData.warnings).
    warnings: list[str] = field(default_factory=list)
    data: EntryData | None = None
    existing_id: int | None = None
    changes: dict = field(default_factory=dict)

    @property
    def where(self) -> str:
        return gettext("%(source)s, line %(line)s") % {"source": self.source, "line": self.line}

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportPlan:
    items: list[PlanItem]
    # The database as planned against; applying reuses its authors and venues.
    existing: ExistingRecords | None = None
    # Remarks on the sources themselves (encoding fallbacks, empty files).
    notes: list[str] = field(default_factory=list)
    # Names taken as a known person though spelt otherwise, and names that may be someone
    # known (bylines.py): said once per name, not per entry.
    people: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(item.action for item in self.items)
        return {action: counter.get(action, 0) for action in ACTIONS}

    @property
    def count_pairs(self) -> list[tuple[str, int]]:
        """(action's label, how many) in a fixed order, for templates."""
        return [(ACTION_LABELS[action], number) for action, number in self.counts.items()]

    def counts_by_source(self) -> dict[str, dict[str, int]]:
        result: dict[str, Counter] = {}
        for item in self.items:
            result.setdefault(item.source, Counter())[item.action] += 1
        return {
            source: {action: counter.get(action, 0) for action in ACTIONS}
            for source, counter in result.items()
        }

    @property
    def errors(self) -> list[PlanItem]:
        return [item for item in self.items if item.action == ERROR]

    @property
    def new_bylines(self) -> int:
        """How many author places the papers it creates will have."""
        return sum(len(item.data.authors) for item in self.items if item.action == CREATE)

    @property
    def has_changes(self) -> bool:
        return any(item.action in (CREATE, UPDATE) for item in self.items)


class _Planner:
    def __init__(
        self,
        existing: ExistingRecords,
        permissions: ImportPermissions,
        with_crossref_parents: bool = False,
        link_base: str = "",
        preview_dir=None,
    ):
        self.link_base = link_base
        self.preview_dir = preview_dir
        self.existing = existing
        self.permissions = permissions
        self.with_crossref_parents = with_crossref_parents
        self.taken_keys = set(existing.citation_keys)
        # Works planned so far in this import: identifier -> the item that brings them.
        self.new_by_doi: dict[str, PlanItem] = {}
        self.new_by_arxiv: dict[str, PlanItem] = {}
        self.new_by_title: dict[tuple, list[PlanItem]] = {}
        self.new_by_title_only: dict[str, list[PlanItem]] = {}
        self.updated: dict[int, PlanItem] = {}
        self.people: list[str] = []

    def plan(self, library: ParsedLibrary) -> list[PlanItem]:
        items = [
            PlanItem(ERROR, problem.key, problem.source, problem.line, reason=problem.reason)
            for problem in library.problems
        ]
        for entry in library.entries:
            item = PlanItem(CREATE, entry.key, entry.source, entry.line)
            if entry.is_crossref_parent and not self.with_crossref_parents:
                item.action = SKIP
                item.title = entry.fields.get("title", "")[:200]
                item.reason = ngettext(
                    "crossref parent of %(count)s entries, which took its fields; not a paper "
                    "of its own (--with-crossref-parents imports it)",
                    "crossref parent of %(count)s entries, which took its fields; not a paper "
                    "of its own (--with-crossref-parents imports it)",
                    entry.crossref_children,
                ) % {"count": entry.crossref_children}
                items.append(item)
                continue
            try:
                item.data = map_entry(entry, link_base=self.link_base, preview_dir=self.preview_dir)
            except EntryError as error:
                item.action, item.reason = ERROR, str(error)
                item.title = entry.fields.get("title", "")[:200]
                item.notes = list(entry.notes)
                items.append(item)
                continue
            item.title = item.data.paper["title"]
            item.notes = item.data.notes
            item.warnings = item.data.warnings
            self.assign_roles(item.data)
            items.append(item)
        # Who each name is must be settled before duplicates and permissions are judged.
        mapped = [item for item in items if item.data is not None]
        self.people = resolve_bylines(mapped, self.existing)
        for item in mapped:
            self.place(item)
            if item.action == CREATE:
                self.check_site_permissions(item)
        order = {name: index for index, name in enumerate(library.block_counts)}
        items.sort(key=lambda item: (order.get(item.source, 0), item.line))
        return items

    def assign_roles(self, data: EntryData) -> None:
        """Each author's marks as contribution roles, read with the entry's legend."""
        legend = parse_legend(data.site.legend_text)
        data.author_roles = []
        for person in data.authors:
            roles = []
            for symbol in person.marks:
                role, problem = resolve_role(symbol, legend, self.existing.roles)
                if role is None:
                    name = f"{person.given_name} {person.family_name}".strip()
                    data.notes.append(
                        gettext("mark `%(mark)s` on %(name)s is not kept: %(why)s")
                        % {"mark": symbol, "name": name, "why": problem}
                    )
                elif role not in roles:
                    roles.append(role)
            data.author_roles.append(tuple(roles))

    def check_site_permissions(self, item: PlanItem) -> None:
        """Leave out (with a note) the new awards and topics this user may not add."""
        site, paper = item.data.site, item.data.paper
        if not self.permissions.add_awards:
            kept = []
            for name, description in site.awards:
                venue_id = self.existing.venues.get(venue_key(item.data.venue_name))
                if award_key(name, venue_id, paper["year"]) in self.existing.awards:
                    kept.append((name, description))
                else:
                    item.notes.append(
                        gettext("award `%(award)s` not added: you may not add awards")
                        % {"award": name[:60]}
                    )
            site.awards = kept
        if not self.permissions.add_topics:
            new = [t for t in site.topics if topic_key(t) not in self.existing.topics]
            if new:
                item.notes.append(
                    gettext("topics not added (you may not add topics): %(topics)s")
                    % {"topics": ", ".join(new[:5]) + (", ..." if len(new) > 5 else "")}
                )
                site.topics = [t for t in site.topics if t not in new]

    def place(self, item: PlanItem) -> None:
        paper = item.data.paper
        title = title_key(paper["title"], paper["year"])

        # Within the import first: the second copy of a work is a duplicate of the first.
        first, label = self.identifier_match(item, self.new_by_doi, self.new_by_arxiv, None)
        if first is None and title[0]:
            first, label = self.new_title_match(item, title), gettext("title and year")
            if first is not None and first.data.paper["year"] != paper["year"]:
                label = gettext("title (a year on one side only)")
        if first is not None:
            item.action = SKIP
            filled = merge_into(first, item) + self.take_identifiers(first, item)
            same = {"label": label, "key": first.key, "where": first.where}
            if filled:
                same["fields"] = ", ".join(filled)
                item.reason = (
                    gettext("same %(label)s as `%(key)s` (%(where)s); its %(fields)s added there")
                    % same
                )
            else:
                item.reason = gettext("same %(label)s as `%(key)s` (%(where)s)") % same
            return

        existing_id, label = self.identifier_match(
            item, self.existing.by_doi, self.existing.by_arxiv, self.existing.papers
        )
        if existing_id is None and title[0]:
            existing_id, label = self.existing_title_match(paper, title), gettext("title and year")
            if existing_id is not None and not self.existing.by_title.get(title):
                label = gettext("title (a year on one side only)")
        if existing_id is not None:
            self.match_existing(item, self.existing.papers[existing_id], label)
            return

        refusal = self.creation_refusal(item.data)
        if refusal:
            # Not indexed: a later copy of the work is judged on its own, not skipped for this.
            item.action, item.reason = ERROR, refusal
            return
        if not paper["citation_key"]:
            # Citavi and Mendeley write `@Article{,`: the key is made as the admin makes one.
            paper["citation_key"] = self.generated_key(item.data)
            item.key = paper["citation_key"]
            item.notes.append(
                gettext("entry has no citation key; imported as `%(key)s`") % {"key": item.key}
            )
        elif paper["citation_key"] in self.taken_keys:
            paper["citation_key"] = self.free_key(paper["citation_key"])
            item.notes.append(
                gettext("key `%(key)s` is taken; imported as `%(new)s`")
                % {"key": item.key, "new": paper["citation_key"]}
            )
        self.taken_keys.add(paper["citation_key"])
        self.index_identifiers(item)
        if title[0]:
            self.new_by_title.setdefault(title, []).append(item)
            self.new_by_title_only.setdefault(title[0], []).append(item)

    def identifier_match(self, item: PlanItem, by_doi, by_arxiv, papers):
        """(what has the entry's DOI or arXiv id, the label) from the indexes, or (None, "").

        `papers` is None for the indexes of this import (items), else the existing papers by
        id. An identifier whose holder has another title is not a match: chapters share
        their book's DOI, and a reference manager can copy one eprint onto several papers.
        The entry then leaves it out, with a warning, and is judged by its title.
        """
        paper = item.data.paper
        for column, label, index, key in (
            ("doi", "DOI", by_doi, paper["doi"].lower()),
            ("arxiv_id", gettext("arXiv id"), by_arxiv, arxiv_key(paper["arxiv_id"])),
        ):
            found = index.get(key) if key else None
            if found is None:
                continue
            holder = found if papers is None else papers[found]
            holder_title = holder.title
            if titles_agree(paper["title"], holder_title):
                return found, label
            holder_key = holder.key if papers is None else holder.citation_key
            named = holder_key if papers is not None or self.permissions.view_papers else "?"
            item.warnings.append(
                gettext(
                    "%(label)s %(value)s is also `%(key)s`'s, whose title differs: not merged; "
                    "the %(label)s is left out here and kept as an extra field"
                )
                % {"label": label, "value": paper[column], "key": named}
            )
            paper["extra_fields"][column] = paper[column]
            paper[column] = ""
        return None, ""

    def new_title_match(self, item: PlanItem, title: tuple) -> PlanItem | None:
        paper = item.data.paper
        candidates = list(self.new_by_title.get(title, ()))
        if not candidates:
            # "A title match with a year on one side only is a duplicate."
            candidates = [
                c
                for c in self.new_by_title_only.get(title[0], ())
                if (c.data.paper["year"] is None) != (paper["year"] is None)
            ]
        return next((c for c in candidates if same_work(paper, c.data.paper)), None)

    def existing_title_match(self, paper: dict, title: tuple) -> int | None:
        ids = self.existing.by_title.get(title, ())
        if not ids:
            ids = [
                pk
                for pk in self.existing.by_title_only.get(title[0], ())
                if (self.existing.papers[pk].values["year"] is None) != (paper["year"] is None)
            ]
        candidates = (self.existing.papers[pk] for pk in ids)
        match = next((c for c in candidates if same_work(paper, c.values)), None)
        return match.id if match else None

    def index_identifiers(self, item: PlanItem) -> None:
        paper = item.data.paper
        if paper["doi"]:
            self.new_by_doi[paper["doi"].lower()] = item
        if paper["arxiv_id"]:
            self.new_by_arxiv[arxiv_key(paper["arxiv_id"])] = item

    def is_taken(self, column: str, value: str) -> bool:
        if column == "doi":
            return value.lower() in self.existing.by_doi or value.lower() in self.new_by_doi
        key = arxiv_key(value)
        return key in self.existing.by_arxiv or key in self.new_by_arxiv

    def take_identifiers(self, first: PlanItem, duplicate: PlanItem) -> list[str]:
        """The duplicate's DOI and arXiv id, given to the planned paper that lacks them (and
        no other paper has): a second run then finds nothing to fill in."""
        target, source = first.data.paper, duplicate.data.paper
        taken = []
        for column in ("doi", "arxiv_id"):
            value = source[column]
            if value and not target[column] and not self.is_taken(column, value):
                target[column] = value
                taken.append(column)
        if taken:
            self.index_identifiers(first)
        return taken

    def creation_refusal(self, data: EntryData) -> str:
        """Why this user may not create the entry's paper (a new author or venue), or ""."""
        if not self.permissions.add_authors:
            new = [p for p in data.authors if p.match_key not in self.existing.authors]
            if new:
                names = ", ".join(f"{p.given_name} {p.family_name}".strip() for p in new[:3])
                return ngettext(
                    "needs %(count)s new author(s) (%(names)s); you may not add authors",
                    "needs %(count)s new author(s) (%(names)s); you may not add authors",
                    len(new),
                ) % {"count": len(new), "names": names + (", ..." if len(new) > 3 else "")}
        if not self.permissions.add_venues and self.is_new_venue(data.venue_name):
            return gettext("needs a new venue (%(venue)s); you may not add venues") % {
                "venue": data.venue_name[:80]
            }
        return ""

    def is_new_venue(self, name: str) -> bool:
        return bool(name) and venue_key(name) not in self.existing.venues

    def match_existing(self, item: PlanItem, paper: ExistingPaper, label: str) -> None:
        item.existing_id = paper.id
        if self.permissions.view_papers:
            described = gettext("same %(label)s as `%(key)s` (%(title)s)") % {
                "label": label,
                "key": paper.citation_key,
                "title": paper.title[:80],
            }
        else:
            # Neither its key nor its title: the paper may be a draft this user cannot see.
            described = gettext("matches an existing paper (same %(label)s)") % {"label": label}
        if paper.id in self.updated:
            item.action = SKIP
            item.reason = gettext("%(match)s, already updated by `%(key)s`") % {
                "match": described,
                "key": self.updated[paper.id].key,
            }
            return
        changes = {}
        new = item.data.paper
        for column in FILLABLE_COLUMNS:
            if new[column] in ("", None) or paper.values[column] not in ("", None):
                continue
            if column in TYPE_SPECIFIC_COLUMNS and new["entry_type"] != paper.values["entry_type"]:
                continue
            if column == "doi" and (
                new["doi"].lower() in self.existing.by_doi or new["doi"].lower() in self.new_by_doi
            ):
                continue  # another paper has it: filling it in would make two
            if column == "arxiv_id" and (
                arxiv_key(new["arxiv_id"]) in self.existing.by_arxiv
                or arxiv_key(new["arxiv_id"]) in self.new_by_arxiv
            ):
                continue
            changes[column] = new[column]
        extra = {k: v for k, v in new["extra_fields"].items() if k not in paper.extra_fields}
        if extra:
            changes["extra_fields"] = {**paper.extra_fields, **extra}
        if paper.venue_id is None and item.data.venue_name:
            if self.permissions.add_venues or not self.is_new_venue(item.data.venue_name):
                changes["venue"] = item.data.venue_name
            elif self.permissions.change_papers:
                item.notes.append(gettext("its venue is not filled in: you may not add venues"))
        if changes and not self.permissions.change_papers:
            item.action = SKIP
            item.reason = gettext("%(match)s; skip (you may not change this paper)") % {
                "match": described
            }
        elif changes:
            item.action = UPDATE
            item.changes = changes
            filled = ", ".join(sorted(changes))
            item.reason = gettext("%(match)s; fills in its empty %(fields)s") % {
                "match": described,
                "fields": filled,
            }
            self.updated[paper.id] = item
            # The identifiers it fills in are taken from now on: a later entry with one of
            # them is this work, not a new paper that the unique constraints would refuse.
            if "doi" in changes:
                self.existing.by_doi[changes["doi"].lower()] = paper.id
            if "arxiv_id" in changes:
                self.existing.by_arxiv[arxiv_key(changes["arxiv_id"])] = paper.id
        else:
            item.action = SKIP
            item.reason = described

    def generated_key(self, data: EntryData) -> str:
        """citation_key_base's key for the entry (the admin's rule), lettered when taken."""
        first = data.authors[0].family_name if data.authors else ""
        limit = Paper._meta.get_field("citation_key").max_length
        base = citation_key_base(first, data.paper["year"], data.paper["title"])[: limit - 3]
        return base if base not in self.taken_keys else lettered(base, self.taken_keys)

    def free_key(self, key: str) -> str:
        """`key` with the first of a, b, c... (then 2, 3...) that no paper uses."""
        limit = Paper._meta.get_field("citation_key").max_length
        return lettered(key[: limit - 3], self.taken_keys)


def build_plan(
    library: ParsedLibrary,
    existing: ExistingRecords | None = None,
    permissions: ImportPermissions | None = None,
    with_crossref_parents: bool = False,
    link_base: str = "",
    preview_dir=None,
) -> ImportPlan:
    """What importing `library` into the database as it is now would do, entry by entry."""
    existing = existing or ExistingRecords()
    planner = _Planner(
        existing,
        permissions or ImportPermissions(),
        with_crossref_parents,
        link_base,
        preview_dir,
    )
    items = planner.plan(library)
    return ImportPlan(items=items, existing=existing, people=planner.people)
