"""The commands a file defines for itself in its `@preamble`, used in its fields.

Bibliographies kept for years define their own shorthands there (iridia's
`\\providecommand{\\rpackage}[1]{{#1}}`, `\\proglang`, `\\MaxMinAntSystem`) and write
`title = {The \\rpackage{irace} Package}`. Such a title is the package's name, not LaTeX to
keep as written. A definition is read, never run: its body is put in place of each use, its
`#1`... replaced by the use's arguments, once (what the body holds is not expanded again, so
no definition can loop or grow without end), and the text is then decoded like any other.
A definition this does not follow (optional arguments, TeX primitives) is left alone: its
uses stay as written and the importer notes them, as it does any unknown command. Nor does
a preamble redefine what the decoder knows (`\\url`, `\\emph`, `\\"`): a fallback such as
`\\providecommand{\\url}[1]{\\texttt{#1}}` must not turn addresses into font commands.
"""

import re
from dataclasses import dataclass

from bibliography.importing.latex import is_known_command

# `\newcommand{\name}[2]{body}`, `\providecommand\name{body}`, `\renewcommand*{\name}...`.
_DEFINITION = re.compile(
    r"\\(?:provide|new|renew)command\*?\s*(?:\{\s*\\([A-Za-z]+)\s*\}|\\([A-Za-z]+))"
    r"\s*(?:\[\s*([1-9])\s*\])?\s*(?=\{)"
)
# `\def\name{body}`: without parameters only (a parameter text is TeX, not a signature).
_DEF = re.compile(r"\\def\s*\\([A-Za-z]+)\s*(?=\{)")
_PARAMETER = re.compile(r"#([1-9#])")
# A value may grow by this many times (and at least this many characters) through
# definitions before it is left as written: uses repeated in a field stay bounded.
GROWTH_RATIO, GROWTH_FLOOR = 4, 2000


@dataclass(frozen=True)
class Definition:
    arguments: int
    body: str


def _group(text: str, start: int) -> tuple[str, int] | None:
    """The inside of the `{...}` at `start` and the position after it, or None."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
        index += 1
    return None


def read_definitions(preamble: str, into: dict[str, Definition]) -> None:
    """Add the commands that `preamble` (a @preamble's raw value) defines to `into`."""
    for pattern in (_DEFINITION, _DEF):
        for match in pattern.finditer(preamble):
            body = _group(preamble, match.end())
            if body is None:
                continue
            if pattern is _DEF:
                name, arguments = match.group(1), 0
            else:
                name = match.group(1) or match.group(2)
                # (`[1][default]` does not match: optional arguments are not followed.)
                arguments = int(match.group(3) or 0)
            if not is_known_command(name):
                into.setdefault(name, Definition(arguments, body[0]))


_USE = re.compile(r"\\([A-Za-z]+)")


def expand_definitions(value: str, definitions: dict[str, Definition]) -> str:
    """`value` with each use of a defined command replaced by its body, once."""
    if "\\" not in value or not definitions:
        return value
    out, pos = [], 0
    for match in _USE.finditer(value):
        if match.start() < pos:
            continue  # inside arguments already taken
        definition = definitions.get(match.group(1))
        if definition is None:
            continue
        arguments, end = [], match.end()
        for _ in range(definition.arguments):
            while end < len(value) and value[end] in " \t\n":
                end += 1
            group = _group(value, end) if value.startswith("{", end) else None
            if group is None:
                break
            arguments.append(group[0])
            end = group[1]
        if len(arguments) < definition.arguments:
            continue  # not used as defined: kept as written
        body = _substitute(definition.body, arguments)
        # A brace group keeps the body a unit (and ends a control word: `\TUB{}s`).
        out += [value[pos : match.start()], "{", body, "}"]
        pos = end
    if not out:
        return value
    out.append(value[pos:])
    expanded = "".join(out)
    if len(expanded) > max(GROWTH_FLOOR, GROWTH_RATIO * len(value)):
        return value
    return expanded


def _substitute(body: str, arguments: list[str]) -> str:
    """The body with `#1`... as the arguments (one not declared is empty) and `##` as `#`."""

    def parameter(match: re.Match) -> str:
        if match.group(1) == "#":
            return "#"
        number = int(match.group(1))
        return arguments[number - 1] if number <= len(arguments) else ""

    return _PARAMETER.sub(parameter, body)
