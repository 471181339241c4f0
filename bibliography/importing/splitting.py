"""A source cut into BibTeX blocks: bibtexparser's Splitter, with a faster road for clean files.

The Splitter walks the text one mark at a time (brace, quote, comma, `=`, newline) in
Python: 320,000 marks and ~0.5 s for the 3,644 entries of the TUGboat file. `split_blocks`
reads the same grammar with one regular-expression match per field (or per key, value part
or block where a field is not plain), ~0.3 s for that file. It returns the blocks the
Splitter would (types, keys, fields, line numbers, repeated keys) for sources made only of
`{`-delimited blocks that the Splitter reads without an error. Anything else (a block the
Splitter would abort and recover from, a `(`-delimited block, an `@` inside a block that
could start another) ends the fast road and the whole source goes to the Splitter, so its
error reports and its recovery stay bibtexparser's own. tests/test_import_splitting.py
holds the two to the same blocks on every file of the corpus (tests/data/), on tricky text and on
random edits of it.

The rules mirrored here are bibtexparser 2.1's `splitter.py`: a mark is a character not
preceded by a backslash; inside `"..."` only `"` counts (and `{"}` is a quote character);
inside `{...}` only braces count; a line counts when its newline is a mark.
"""

import logging
import re
from bisect import bisect_left
from contextlib import contextmanager

from bibtexparser.library import Library
from bibtexparser.model import (
    Block,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    Field,
    Preamble,
    String,
)
from bibtexparser.splitter import Splitter

# A block start, as the Splitter defines it: `@type` then `{` or `(`.
_BLOCK_START = re.compile(r"@[\w]*( |\t)*(?=[{(])")
_OR_BLOCK_START = r"|@[\w]*(?: |\t)*(?=[{(])"
# The marks that matter in each state; a block start in any of them ends the fast road.
_KEY_END = re.compile(r'(?<!\\)[{}",=]' + _OR_BLOCK_START)
_VALUE_MARK = re.compile(r'(?<!\\)[{}",]' + _OR_BLOCK_START)
_QUOTE_MARK = re.compile(r'(?<!\\)"' + _OR_BLOCK_START)
_BRACE_MARK = re.compile(r"(?<!\\)[{}]" + _OR_BLOCK_START)
_NEWLINE_MARK = re.compile(r"(?<!\\)\n")
# Most fields in one match: `key = "text"`, `key = {text}` or `key = token`, then `,` or `}`.
# No `@` anywhere, no `{` or `}` inside braces, no `"` inside quotes, and no backslash or
# `{` just before the closing delimiter (`\"`, `\}` and `{"}` do not close); any other
# field takes the general road below.
_PLAIN_FIELD = re.compile(
    r'\s*([^\s{}",=@\\]+)\s*(=)\s*'
    r'("(?:[^"@]*[^"@\\{])?"|\{(?:[^{}@]*[^{}@\\])?\}|[^\s{}",=@\\#]+)'
    r"\s*([,}])"
)


# A block start that is not @string, @comment or @preamble: where an entry begins.
_ENTRY_START = re.compile(r"@(?!(?:string|comment|preamble)\b)[\w]*[ \t]*[{(]", re.IGNORECASE)


def count_entries(text: str, *, stop_after: int) -> int:
    """How many entries `text` starts, counted up to `stop_after` + 1 and no further.

    A quick count of block starts, as the Splitter sees them (an `@` inside a value counts
    too, so it errs on the high side), for limits to be checked before anything is parsed.
    """
    found = 0
    for _match in _ENTRY_START.finditer(text):
        found += 1
        if found > stop_after:
            break
    return found


class _NotClean(Exception):
    """The fast road does not read this source the way the Splitter would; use the Splitter."""


def split_blocks(text: str) -> list[Block]:
    """The blocks of one source, as bibtexparser's Splitter cuts them (implicit comments aside).

    Free text between blocks (implicit comments) is left out on the fast road: it is
    never data.
    """
    try:
        return _FastSplitter(text).split()
    except _NotClean:
        with _quiet_splitter():
            return Splitter(text).split().blocks


@contextmanager
def _quiet_splitter():
    """The splitter logs each failed block; the importer reports them, with the file name."""
    splitter_log = logging.getLogger("bibtexparser.splitter")
    level = splitter_log.level
    splitter_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splitter_log.setLevel(level)


class _FastSplitter:
    def __init__(self, text: str):
        # The Splitter reads the text after an added newline and counts lines from -1.
        self.text = f"\n{text}"
        self.newlines = [match.start() for match in _NEWLINE_MARK.finditer(self.text)]

    def line(self, position: int) -> int:
        """The Splitter's line number for a mark at `position` (newline marks before it, -1)."""
        return bisect_left(self.newlines, position) - 1

    def split(self) -> list[Block]:
        text = self.text
        library = Library()
        position = 0
        while (start := _BLOCK_START.search(text, position)) is not None:
            if text[start.end()] != "{":
                raise _NotClean
            kind = start.group(0).lower()
            if kind.startswith("@comment"):
                end = self.closing_brace(start.end() + 1)
                block = ExplicitComment(
                    start_line=self.line(start.start()),
                    comment=text[start.end() + 1 : end].strip(),
                    raw=text[start.start() : end + 1],
                )
                position = end + 1
            elif kind.startswith("@preamble"):
                end = self.closing_brace(start.end() + 1)
                block = Preamble(
                    start_line=self.line(start.start()),
                    value=text[start.end() + 1 : end],
                    raw=text[start.start() : end + 1],
                )
                position = end + 1
            elif kind.startswith("@string"):
                block, position = self.string(start)
            else:
                block, position = self.entry(start, kind)
            library.add(block, fail_on_duplicate_key=False)
        return library.blocks

    def string(self, start: re.Match) -> tuple[String, int]:
        text = self.text
        equals = _KEY_END.search(text, start.end() + 1)
        if equals is None or equals.group(0) != "=":
            raise _NotClean
        end = self.closing_brace(equals.end())
        block = String(
            start_line=self.line(start.start()),
            key=text[start.end() + 1 : equals.start()].strip(),
            value=text[equals.end() : end].strip(),
            raw=text[start.start() : end + 1],
        )
        return block, end + 1

    def entry(self, start: re.Match, kind: str) -> tuple[Block, int]:
        text = self.text
        after_key = _KEY_END.search(text, start.end() + 1)
        if after_key is None or after_key.group(0) not in ",}":
            raise _NotClean
        key = text[start.end() + 1 : after_key.start()].strip()
        if after_key.group(0) == "}":  # an entry with a key and no fields (RefTeX writes them)
            fields, end, repeated = [], after_key.end(), set()
        else:
            fields, end, repeated = self.fields(after_key.end())
        entry = Entry(
            start_line=self.line(start.start()),
            entry_type=kind[1:].strip(),
            key=key,
            fields=fields,
            raw=text[start.start() : end],
        )
        if repeated:
            return DuplicateFieldKeyBlock(duplicate_keys=repeated, entry=entry), end
        return entry, end

    def fields(self, key_start: int) -> tuple[list[Field], int, set[str]]:
        """The fields from `key_start` to the entry's closing brace, and the index after it."""
        text = self.text
        fields, keys, repeated = [], set(), set()
        while True:
            plain = _PLAIN_FIELD.match(text, key_start)
            if plain is not None:
                key = plain.group(1)
                if key in keys:
                    repeated.add(key)
                keys.add(key)
                fields.append(
                    Field(start_line=self.line(plain.start(2)), key=key, value=plain.group(3))
                )
                if plain.group(4) == "}":
                    return fields, plain.end(), repeated
                key_start = plain.end()
                continue
            equals = _KEY_END.search(text, key_start)
            if equals is None:
                raise _NotClean
            mark = equals.group(0)
            if mark == "}" and not text[key_start : equals.start()].strip():
                return fields, equals.end(), repeated
            if mark != "=":
                raise _NotClean
            value_end = self.value_end(equals.end())
            key = text[key_start : equals.start()].strip()
            if key in keys:
                repeated.add(key)
            keys.add(key)
            fields.append(
                Field(
                    start_line=self.line(equals.start()),
                    key=key,
                    value=text[equals.end() : value_end].strip(),
                )
            )
            # After a comma the next key starts; a closing brace ends the entry next round.
            key_start = value_end + 1 if text[value_end] == "," else value_end

    def value_end(self, position: int) -> int:
        """Where the value starting at `position` ends: the index of its `,` or closing `}`."""
        text = self.text
        while True:
            mark = _VALUE_MARK.search(text, position)
            if mark is None:
                raise _NotClean
            char = mark.group(0)
            if char == '"':
                position = self.quote_end(mark.end())
            elif char == "{":
                position = self.closing_brace(mark.end()) + 1
            elif char in ",}":
                return mark.start()
            else:
                raise _NotClean

    def quote_end(self, position: int) -> int:
        """The index after the `"` that closes a quoted part opened just before `position`."""
        text = self.text
        while True:
            mark = _QUOTE_MARK.search(text, position)
            if mark is None or mark.group(0) != '"':
                raise _NotClean
            at = mark.start()
            # `{"}` is a quote character inside a quoted value, not its end.
            if at + 2 < len(text) and text[at - 1] == "{" and text[at + 1] == "}":
                position = mark.end()
                continue
            return mark.end()

    def closing_brace(self, position: int) -> int:
        """The index of the `}` that closes a group opened just before `position`."""
        text = self.text
        depth = 0
        while True:
            mark = _BRACE_MARK.search(text, position)
            if mark is None or mark.group(0) not in "{}":
                raise _NotClean
            if mark.group(0) == "{":
                depth += 1
            elif depth:
                depth -= 1
            else:
                return mark.start()
            position = mark.end()
