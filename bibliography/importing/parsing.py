"""Several BibTeX sources read as one library, the way BibTeX reads them.

bibtexparser 2's Splitter cuts each source into blocks (and keeps what it cannot read
in failed blocks, with their line numbers; splitting.py). The rest is done here rather
than by bibtexparser's middlewares, which resolve a macro only when it is a field's
whole value: `@string` macros (case-insensitive, defined in any earlier file), `#`
concatenation, the month macros, and crossref inheritance across files.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext, ngettext

from bibliography.importing.preamble import Definition, expand_definitions, read_definitions
from bibliography.importing.splitting import split_blocks
from bibliography.months import MACRO_TEXT

# Fields a crossref'ing entry never takes from its parent.
NOT_INHERITED = {"crossref", "ids", "key", "xdata", "related", "entryset"}
# Parent types whose `title` becomes the child's `booktitle` when it has none (biblatex's rule).
CONTAINER_TYPES = {"proceedings", "book", "collection", "mvbook", "mvproceedings", "reference"}
MAX_CROSSREF_DEPTH = 8
# Real titles nest braces a few levels deep ({\"{o}}, {{BERT}}); a value nested deeper than this
# is broken or hostile, and decoding it would cost time quadratic in the depth.
MAX_BRACE_DEPTH = 50
# `@string` macros can double a value at each line: 40 lines `@string{sN = sN-1 # sN-1}` would
# ask for 2^40 characters. Every value built from a macro is capped (BibTeX's own pool holds
# tens of thousands of characters), and so is the text of the whole library, macros,
# expanded fields and inherited crossref fields counted each time they are used: at most
# EXPANSION_RATIO times the size of the sources, or EXPANSION_FLOOR characters for small ones.
EXPANSION_RATIO = 10
EXPANSION_FLOOR = 1_000_000


def max_value_chars() -> int:
    """The longest value a macro or field may expand to (setting BIBTEX_IMPORT_MAX_FIELD_CHARS)."""
    return settings.BIBTEX_IMPORT_MAX_FIELD_CHARS


@dataclass
class Source:
    """One file (or pasted text) to import, already decoded to text."""

    name: str
    text: str
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedEntry:
    """An entry with its macros expanded and crossref resolved; values are still LaTeX."""

    key: str
    entry_type: str
    fields: dict[str, str]
    source: str
    line: int
    notes: list[str] = field(default_factory=list)
    # How many entries took fields from this one through their `crossref`.
    crossref_children: int = 0

    @property
    def where(self) -> str:
        return gettext("%(source)s, line %(line)s") % {"source": self.source, "line": self.line}

    @property
    def is_crossref_parent(self) -> bool:
        """A `@proceedings`/`@book` without authors that is here only to be crossref'd."""
        return (
            self.crossref_children > 0
            and self.entry_type in CONTAINER_TYPES
            and not self.fields.get("author")
        )


@dataclass
class BlockProblem:
    """A block that could not be read at all, and why."""

    source: str
    line: int
    reason: str
    key: str = ""

    @property
    def where(self) -> str:
        return gettext("%(source)s, line %(line)s") % {"source": self.source, "line": self.line}


@dataclass
class ParsedLibrary:
    entries: list[ParsedEntry]
    problems: list[BlockProblem]
    # Blocks of any kind BibTeX recognises (entries, macros, comments, preambles, failures):
    # a source with none of them is not BibTeX at all.
    block_counts: dict[str, int]


class ExpansionTooLong(ValueError):
    """A value, or the library's text as a whole, would grow past its limit; nothing was built."""


class _Budget:
    """What expansion may still build: the per-value cap and what is left of the library's."""

    def __init__(self, sources: list[Source]):
        self.per_value = max_value_chars()
        size = sum(len(source.text) for source in sources)
        self.left = max(EXPANSION_FLOOR, EXPANSION_RATIO * size)

    def check(self, length: int, what: str) -> None:
        """ExpansionTooLong unless `length` more characters fit."""
        if length > self.left:
            raise ExpansionTooLong(
                gettext(
                    "%(what)s would take the import's expanded text past %(ratio)s times the "
                    "size of its files; @string macros are used too often or too long"
                )
                % {"what": what, "ratio": EXPANSION_RATIO}
            )

    def spend(self, length: int, what: str) -> None:
        self.check(length, what)
        self.left -= length


_TOKEN_END = re.compile(r'[\s#,{}"=()]')


def split_value(raw: str) -> Iterator[tuple[str, str]]:
    """Cut a raw field value into ('literal', text) and ('macro', name) parts at `#`.

    One part at a time, so that expansion can stop at the first that makes the value too
    long (a long `a # a # a ...` chain is never listed whole). Raises ValueError for an
    unbalanced value.
    """
    if "#" not in raw and raw:
        # The common case, one part: the splitter has already checked its braces.
        first, last = raw[0], raw[-1]
        if (first == "{" and last == "}") or (first == '"' and last == '"' and len(raw) > 1):
            yield ("literal", raw[1:-1])
            return
        if raw.isdigit():
            yield ("literal", raw)
            return
        if not _TOKEN_END.search(raw):
            yield ("macro", raw)
            return
    pos, length = 0, len(raw)
    while pos < length:
        char = raw[pos]
        if char.isspace() or char == "#":
            pos += 1
        elif char == "{":
            depth, start = 0, pos
            while pos < length:
                if raw[pos] == "\\":
                    pos += 2
                    continue
                if raw[pos] == "{":
                    depth += 1
                elif raw[pos] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                pos += 1
            if depth != 0:
                raise ValueError(gettext("a `{` is never closed"))
            yield ("literal", raw[start + 1 : pos])
            pos += 1
        elif char == '"':
            depth, start = 0, pos
            pos += 1
            while pos < length and not (raw[pos] == '"' and depth == 0):
                if raw[pos] == "\\":
                    pos += 2
                    continue
                if raw[pos] == "{":
                    depth += 1
                elif raw[pos] == "}":
                    depth -= 1
                pos += 1
            if pos >= length:
                raise ValueError(gettext('a `"` is never closed'))
            yield ("literal", raw[start + 1 : pos])
            pos += 1
        else:
            match = _TOKEN_END.search(raw, pos)
            end = match.start() if match else length
            if end == pos:
                raise ValueError(gettext("unexpected `%(char)s`") % {"char": char})
            token = raw[pos:end]
            yield ("literal", token) if token.isdigit() else ("macro", token)
            pos = end


def check_nesting(text: str) -> None:
    """ValueError when braces nest deeper than MAX_BRACE_DEPTH in `text`."""
    if text.count("{") > MAX_BRACE_DEPTH and (depth := brace_depth(text)) > MAX_BRACE_DEPTH:
        raise ValueError(
            gettext("braces nested %(depth)s deep; the limit is %(limit)s")
            % {"depth": intcomma(depth), "limit": MAX_BRACE_DEPTH}
        )


def brace_depth(text: str) -> int:
    """How deeply `{` groups nest in `text` (escaped braces, \\{ and \\}, do not count)."""
    depth = deepest = 0
    for match in _BRACE_TOKEN.finditer(text):
        if match.group() == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif match.group() == "}":
            depth -= 1
    return deepest


_BRACE_TOKEN = re.compile(r"\\.|[{}]", re.DOTALL)


def expand_value(
    raw: str, macros: dict[str, str], missing: list[str], *, refused=None, budget=None
) -> str:
    """The value of a field: literals and macros joined; undefined macro names kept as text.

    The length is added up before anything is joined: ExpansionTooLong names the macro that
    would take the value past max_value_chars(), or past what is left of `budget` (which the
    caller spends once the value is used), and a macro in `refused` (name -> why).
    """
    limit = max_value_chars()
    pieces, length = [], 0
    for kind, text in split_value(raw):
        if kind == "literal":
            pieces.append(text)
            length += len(text)
            continue
        name = text.lower()
        if refused and name in refused:
            raise ExpansionTooLong(
                gettext("macro `%(macro)s` was refused (%(why)s)")
                % {"macro": text, "why": refused[name]}
            )
        value = macros.get(name)
        if value is None:
            value = MACRO_TEXT.get(name)
        if value is None:
            missing.append(text)
            value = text
        length += len(value)
        if length > limit:
            raise ExpansionTooLong(
                gettext(
                    "macro `%(macro)s` takes the value past %(limit)s characters "
                    "(setting BIBTEX_IMPORT_MAX_FIELD_CHARS)"
                )
                % {"macro": text, "limit": intcomma(limit)}
            )
        pieces.append(value)
    if budget is not None:
        budget.check(length, gettext("the value"))
    return "".join(pieces)


def _first_line(raw: str | None) -> str:
    line = (raw or "").strip().splitlines()[0] if (raw or "").strip() else ""
    return line[:80] + ("…" if len(line) > 80 else "")


_KEY_IN_RAW = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]*)")


def _failed_block_problem(source: str, block: ParsingFailedBlock) -> BlockProblem:
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error or gettext("unreadable block"))
    match = _KEY_IN_RAW.match((block.raw or "").lstrip())
    return BlockProblem(
        source=source,
        line=(block.start_line or 0) + 1,
        reason=gettext("Could not read `%(block)s`: %(why)s")
        % {"block": _first_line(block.raw), "why": reason},
        key=match.group(1) if match else "",
    )


def parse_sources(sources: list[Source]) -> ParsedLibrary:
    """Read the sources in order as one library (macros and crossrefs span files)."""
    macros: dict[str, str] = {}
    # Macros whose value was refused, and why: what uses them is refused in turn.
    refused: dict[str, str] = {}
    budget = _Budget(sources)
    raw_entries: list[tuple[Entry, str, list[str]]] = []
    problems: list[BlockProblem] = []
    counts = {source.name: 0 for source in sources}
    definitions: dict[str, Definition] = {}

    for source in sources:
        blocks = split_blocks(source.text)
        for block in blocks:
            if not isinstance(block, ImplicitComment):
                counts[source.name] += 1
            notes: list[str] = []
            while isinstance(block, (DuplicateFieldKeyBlock, DuplicateBlockKeyBlock)):
                if isinstance(block, DuplicateFieldKeyBlock):
                    # BibTeX keeps the first value of a repeated field and warns.
                    keys = ", ".join(sorted(block.duplicate_keys))
                    notes.append(
                        ngettext(
                            "field(s) %(fields)s given twice; the first value is kept",
                            "field(s) %(fields)s given twice; the first value is kept",
                            len(block.duplicate_keys),
                        )
                        % {"fields": keys}
                    )
                # A repeated entry key is not an unreadable block: the planner deals with it.
                block = block.ignore_error_block
            if isinstance(block, String):
                _define_macro(block, source.name, macros, refused, budget, problems)
            elif isinstance(block, Entry):
                raw_entries.append((block, source.name, notes))
            elif isinstance(block, ParsingFailedBlock):
                problems.append(_failed_block_problem(source.name, block))
            elif isinstance(block, Preamble):
                # LaTeX for the document, never run; the commands it defines are read.
                read_definitions(str(block.value), definitions)
            elif isinstance(block, (ExplicitComment, ImplicitComment)):
                continue

    entries = []
    expander = _Expander(macros, refused, budget, definitions)
    for block, source_name, notes in raw_entries:
        entry = _expand_entry(block, source_name, notes, expander, budget, problems)
        if entry is not None:
            entries.append(entry)
    refused_entries = resolve_crossrefs(entries, budget)
    for entry, reason in refused_entries:
        problems.append(BlockProblem(entry.source, entry.line, reason, key=entry.key))
    if refused_entries:
        refused_ids = {id(entry) for entry, _reason in refused_entries}
        entries = [entry for entry in entries if id(entry) not in refused_ids]
    return ParsedLibrary(entries=entries, problems=problems, block_counts=counts)


def _define_macro(block: String, source: str, macros, refused, budget, problems) -> None:
    name = block.key.strip().lower()
    line = (block.start_line or 0) + 1
    try:
        value = expand_value(str(block.value), macros, [], refused=refused, budget=budget)
        budget.spend(len(value), f"@string {block.key}")
    except ValueError as error:
        if isinstance(error, ExpansionTooLong):
            refused[name] = gettext("@string %(macro)s at %(source)s, line %(line)s") % {
                "macro": block.key,
                "source": source,
                "line": line,
            }
            macros.pop(name, None)
        problems.append(BlockProblem(source, line, f"@string {block.key}: {error}", key=block.key))
        return
    refused.pop(name, None)
    macros[name] = value


class _Expander:
    """expand_value, the @preamble's commands (preamble.py) and check_nesting, once per
    distinct raw value.

    Macros are all defined before the first entry is expanded, so a raw value always
    expands to the same text; a file repeats many (journal macros, ISSNs, publishers).
    """

    def __init__(
        self,
        macros: dict[str, str],
        refused: dict[str, str],
        budget: _Budget,
        definitions: dict[str, Definition],
    ):
        self.definitions = definitions
        self.macros = macros
        self.refused = refused
        self.budget = budget
        self.done: dict[str, tuple[str, tuple[str, ...]]] = {}

    def __call__(self, raw: str, missing: list[str]) -> str:
        known = self.done.get(raw)
        if known is None:
            names: list[str] = []
            # Checked against the budget before it is built (and cached).
            value = expand_value(raw, self.macros, names, refused=self.refused, budget=self.budget)
            # After expansion: an @string macro or a @preamble command can carry the
            # nesting too.
            value = expand_definitions(value, self.definitions)
            check_nesting(value)
            known = self.done[raw] = (value, tuple(names))
        missing.extend(known[1])
        return known[0]


def _expand_entry(
    block: Entry, source, notes, expand: _Expander, budget: _Budget, problems
) -> ParsedEntry | None:
    line = (block.start_line or 0) + 1
    fields: dict[str, str] = {}
    missing: list[str] = []
    for entry_field in block.fields:
        name = entry_field.key.strip().lower()
        if name in fields:
            continue
        try:
            fields[name] = expand(str(entry_field.value), missing)
            # Counted at each use: a cached value still becomes this entry's own text later.
            budget.spend(len(fields[name]), gettext("field `%(field)s`") % {"field": name})
        except ValueError as error:
            problems.append(
                BlockProblem(
                    source,
                    (entry_field.start_line or block.start_line or 0) + 1,
                    gettext("field `%(field)s` of @%(type)s{%(key)s}: %(why)s")
                    % {"field": name, "type": block.entry_type, "key": block.key, "why": error},
                    key=block.key,
                )
            )
            return None
    if missing:
        names = ", ".join(sorted(set(missing)))
        notes.append(
            ngettext(
                "undefined @string macro(s) %(macros)s, kept as written",
                "undefined @string macro(s) %(macros)s, kept as written",
                len(set(missing)),
            )
            % {"macros": names}
        )
    return ParsedEntry(
        key=block.key.strip(),
        entry_type=block.entry_type.strip().lower(),
        fields=fields,
        source=source,
        line=line,
        notes=notes,
    )


def resolve_crossrefs(
    entries: list[ParsedEntry], budget: _Budget | None = None
) -> list[tuple[ParsedEntry, str]]:
    """Fill each entry's missing fields from the entry its `crossref` names (cascading).

    Chains are followed MAX_CROSSREF_DEPTH deep and stop at a loop. The inherited text
    counts against `budget`: an entry it does not fit is returned with the reason, unchanged.
    """
    refused = []
    by_key = {}
    for entry in entries:
        by_key.setdefault(entry.key.lower(), entry)
    for entry in entries:
        target = entry.fields.get("crossref", "").strip().strip("{}").strip()
        if not target:
            continue
        chain, parent, seen = [], by_key.get(target.lower()), {entry.key.lower()}
        while parent is not None and parent.key.lower() not in seen:
            if len(chain) >= MAX_CROSSREF_DEPTH:
                break
            chain.append(parent)
            seen.add(parent.key.lower())
            next_key = parent.fields.get("crossref", "").strip().lower()
            parent = by_key.get(next_key) if next_key else None
        if parent is not None and parent.key.lower() in seen:
            entry.notes.append(gettext("crossref chain loops back on itself; stopped at the loop"))
        if not chain:
            entry.notes.append(
                gettext("crossref `%(key)s` names no entry in the import; kept as a field")
                % {"key": target}
            )
            continue
        inherited: dict[str, str] = {}
        for ancestor in chain:
            for name, value in ancestor.fields.items():
                if name not in NOT_INHERITED and name not in entry.fields:
                    inherited.setdefault(name, value)
            if (
                ancestor.entry_type in CONTAINER_TYPES
                and "booktitle" not in entry.fields
                and "title" in ancestor.fields
            ):
                inherited.setdefault("booktitle", ancestor.fields["title"])
        if budget is not None:
            try:
                budget.spend(
                    sum(map(len, inherited.values())),
                    gettext("crossref `%(key)s`") % {"key": target},
                )
            except ExpansionTooLong as error:
                refused.append((entry, f"@{entry.entry_type}{{{entry.key}}}: {error}"))
                continue
        entry.fields.update(inherited)
        chain[0].crossref_children += 1
        del entry.fields["crossref"]
        entry.notes.append(gettext("fields inherited from crossref `%(key)s`") % {"key": target})
    return refused
