"""Several BibTeX sources read as one library, the way BibTeX reads them.

bibtexparser 2's Splitter cuts each source into blocks (and keeps what it cannot
read in failed blocks, with their line numbers); splitting.py takes a faster road to
the same blocks for clean files. The rest is done here rather than by bibtexparser's
middlewares, which resolve a macro only when it is a field's whole value: `@string`
macros (case-insensitive, defined in any earlier file), `#` concatenation, the month
macros, and crossref inheritance across files.
"""

import re
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

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}"


@dataclass
class BlockProblem:
    """A block that could not be read at all, and why."""

    source: str
    line: int
    reason: str
    key: str = ""

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}"


@dataclass
class ParsedLibrary:
    entries: list[ParsedEntry]
    problems: list[BlockProblem]
    # Blocks of any kind BibTeX recognises (entries, macros, comments, preambles, failures):
    # a source with none of them is not BibTeX at all.
    block_counts: dict[str, int]


class UndefinedMacro(Exception):
    pass


_TOKEN_END = re.compile(r'[\s#,{}"=()]')


def split_value(raw: str) -> list[tuple[str, str]]:
    """Cut a raw field value into ('literal', text) and ('macro', name) parts at `#`.

    Raises ValueError for an unbalanced value.
    """
    if "#" not in raw and raw:
        # The common case, one part: the splitter has already checked its braces.
        first, last = raw[0], raw[-1]
        if (first == "{" and last == "}") or (first == '"' and last == '"' and len(raw) > 1):
            return [("literal", raw[1:-1])]
        if raw.isdigit():
            return [("literal", raw)]
        if not _TOKEN_END.search(raw):
            return [("macro", raw)]
    parts = []
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
                raise ValueError("a `{` is never closed")
            parts.append(("literal", raw[start + 1 : pos]))
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
                raise ValueError('a `"` is never closed')
            parts.append(("literal", raw[start + 1 : pos]))
            pos += 1
        else:
            match = _TOKEN_END.search(raw, pos)
            end = match.start() if match else length
            if end == pos:
                raise ValueError(f"unexpected `{char}`")
            token = raw[pos:end]
            parts.append(("literal", token) if token.isdigit() else ("macro", token))
            pos = end
    return parts


def check_nesting(text: str) -> None:
    """ValueError when braces nest deeper than MAX_BRACE_DEPTH in `text`."""
    if text.count("{") > MAX_BRACE_DEPTH and (depth := brace_depth(text)) > MAX_BRACE_DEPTH:
        raise ValueError(f"braces nested {depth:,} deep; the limit is {MAX_BRACE_DEPTH}")


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


def expand_value(raw: str, macros: dict[str, str], missing: list[str]) -> str:
    """The value of a field: literals and macros joined; undefined macro names kept as text."""
    pieces = []
    for kind, text in split_value(raw):
        if kind == "literal":
            pieces.append(text)
            continue
        value = macros.get(text.lower())
        if value is None:
            value = MACRO_TEXT.get(text.lower())
        if value is None:
            missing.append(text)
            value = text
        pieces.append(value)
    return "".join(pieces)


def _first_line(raw: str | None) -> str:
    line = (raw or "").strip().splitlines()[0] if (raw or "").strip() else ""
    return line[:80] + ("…" if len(line) > 80 else "")


_KEY_IN_RAW = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]*)")


def _failed_block_problem(source: str, block: ParsingFailedBlock) -> BlockProblem:
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error or "unreadable block")
    match = _KEY_IN_RAW.match((block.raw or "").lstrip())
    return BlockProblem(
        source=source,
        line=(block.start_line or 0) + 1,
        reason=f"Could not read `{_first_line(block.raw)}`: {reason}",
        key=match.group(1) if match else "",
    )


def parse_sources(sources: list[Source]) -> ParsedLibrary:
    """Read the sources in order as one library (macros and crossrefs span files)."""
    macros: dict[str, str] = {}
    raw_entries: list[tuple[Entry, str, list[str]]] = []
    problems: list[BlockProblem] = []
    counts = {source.name: 0 for source in sources}

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
                    notes.append(f"field(s) {keys} given twice; the first value is kept")
                # A repeated entry key is not an unreadable block: the planner deals with it.
                block = block.ignore_error_block
            if isinstance(block, String):
                _define_macro(block, source.name, macros, problems)
            elif isinstance(block, Entry):
                raw_entries.append((block, source.name, notes))
            elif isinstance(block, ParsingFailedBlock):
                problems.append(_failed_block_problem(source.name, block))
            elif isinstance(block, (Preamble, ExplicitComment, ImplicitComment)):
                continue  # LaTeX for the document, not data: never run

    entries = []
    expander = _Expander(macros)
    for block, source_name, notes in raw_entries:
        entry = _expand_entry(block, source_name, notes, expander, problems)
        if entry is not None:
            entries.append(entry)
    resolve_crossrefs(entries)
    return ParsedLibrary(entries=entries, problems=problems, block_counts=counts)


def _define_macro(block: String, source: str, macros: dict, problems: list) -> None:
    missing: list[str] = []
    try:
        macros[block.key.strip().lower()] = expand_value(str(block.value), macros, missing)
    except ValueError as error:
        problems.append(
            BlockProblem(source, (block.start_line or 0) + 1, f"@string {block.key}: {error}")
        )


class _Expander:
    """expand_value and check_nesting, once per distinct raw value.

    Macros are all defined before the first entry is expanded, so a raw value always
    expands to the same text; a file repeats many (journal macros, ISSNs, publishers).
    """

    def __init__(self, macros: dict[str, str]):
        self.macros = macros
        self.done: dict[str, tuple[str, tuple[str, ...]]] = {}

    def __call__(self, raw: str, missing: list[str]) -> str:
        known = self.done.get(raw)
        if known is None:
            names: list[str] = []
            value = expand_value(raw, self.macros, names)
            # After expansion: an @string macro can carry the nesting too.
            check_nesting(value)
            known = self.done[raw] = (value, tuple(names))
        missing.extend(known[1])
        return known[0]


def _expand_entry(block: Entry, source, notes, expand: _Expander, problems) -> ParsedEntry | None:
    line = (block.start_line or 0) + 1
    fields: dict[str, str] = {}
    missing: list[str] = []
    for entry_field in block.fields:
        name = entry_field.key.strip().lower()
        if name in fields:
            continue
        try:
            fields[name] = expand(str(entry_field.value), missing)
        except ValueError as error:
            problems.append(
                BlockProblem(
                    source,
                    (entry_field.start_line or block.start_line or 0) + 1,
                    f"field `{name}` of @{block.entry_type}{{{block.key}}}: {error}",
                    key=block.key,
                )
            )
            return None
    if missing:
        names = ", ".join(sorted(set(missing)))
        notes.append(f"undefined @string macro(s) {names}, kept as written")
    return ParsedEntry(
        key=block.key.strip(),
        entry_type=block.entry_type.strip().lower(),
        fields=fields,
        source=source,
        line=line,
        notes=notes,
    )


def resolve_crossrefs(entries: list[ParsedEntry]) -> None:
    """Fill each entry's missing fields from the entry its `crossref` names (cascading)."""
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
            entry.notes.append("crossref chain loops back on itself; stopped at the loop")
        if not chain:
            entry.notes.append(f"crossref `{target}` names no entry in the import; kept as a field")
            continue
        for ancestor in chain:
            for name, value in ancestor.fields.items():
                if name not in NOT_INHERITED and name not in entry.fields:
                    entry.fields[name] = value
            if (
                ancestor.entry_type in CONTAINER_TYPES
                and "booktitle" not in entry.fields
                and "title" in ancestor.fields
            ):
                entry.fields["booktitle"] = ancestor.fields["title"]
        del entry.fields["crossref"]
        entry.notes.append(f"fields inherited from crossref `{target}`")
