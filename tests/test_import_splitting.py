"""The fast road of bibliography/importing/splitting.py cuts a source as bibtexparser does.

`split_blocks` must give exactly the blocks of bibtexparser's Splitter (implicit comments
aside): the same types, keys, fields, values, line numbers and repeated keys, on every
file of the corpus (tests/data/corpus/), on hand-written tricky text and on random edits of
it. Where the fast road gives up, the Splitter itself answers, so only the fast road's
answers can differ; the large TUGboat file must take the fast road (it is why it exists).
"""

import random

import pytest
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
from bibtexparser.splitter import Splitter

from bibliography.importing.splitting import _FastSplitter, _NotClean, split_blocks
from tests.vendored import CORPUS, vendored_file, vendored_files

CORPUS_FILES = vendored_files(CORPUS)
TUGBOAT = vendored_file(CORPUS / "scale" / "tugboat-biber.bib")


def describe(block):
    """Everything the importer (or a reader) can see of a block, as plain data."""
    if isinstance(block, DuplicateFieldKeyBlock):
        return ("fields repeated", sorted(block.duplicate_keys), describe(block.ignore_error_block))
    if isinstance(block, DuplicateBlockKeyBlock):
        return ("key repeated", block.key, describe(block.ignore_error_block))
    if isinstance(block, Entry):
        fields = [(f.start_line, f.key, f.value) for f in block.fields]
        return ("entry", block.start_line, block.entry_type, block.key, block.raw, fields)
    if isinstance(block, String):
        return ("string", block.start_line, block.key, block.value, block.raw)
    if isinstance(block, ExplicitComment):
        return ("comment", block.start_line, block.comment, block.raw)
    if isinstance(block, Preamble):
        return ("preamble", block.start_line, block.value, block.raw)
    if isinstance(block, ParsingFailedBlock):
        return ("failed", block.start_line, block.raw, block.error.abort_reason)
    raise AssertionError(f"unexpected block {block!r}")


def described(blocks):
    return [describe(block) for block in blocks if not isinstance(block, ImplicitComment)]


def bibtexparser_blocks(text):
    return described(Splitter(text).split().blocks)


def assert_same_blocks(text):
    assert described(split_blocks(text)) == bibtexparser_blocks(text)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: str(path.relative_to(CORPUS)))
def test_corpus_file_is_cut_as_bibtexparser_cuts_it(path):
    assert_same_blocks(path.read_text(encoding="utf-8", errors="replace"))


def test_the_scale_file_takes_the_fast_road():
    text = TUGBOAT.read_text(encoding="utf-8")
    blocks = _FastSplitter(text).split()
    assert sum(isinstance(block, Entry) for block in blocks) == 3644
    assert described(blocks) == bibtexparser_blocks(text)


TRICKY = [
    "",
    "no blocks at all, just text",
    "@article{key,\n  title = {A {Nested} Title},\n  year = 2020,\n}\n",
    '@article{key, title = "Quoted, with = signs and {braces"}, year = "20" # "21"}',
    '@article{key, title = "A {"} quote inside", author = "O{\\"o}"}',
    '@article{key, title = "escaped \\" quote", note = {escaped \\} brace}}',
    "@article{key, title = {Line\\\nafter a backslash-newline},\n year = 1999}",
    "@article{key}",
    "@article{key,}",
    "@article{key, title = {T}, title = {Twice}, Title = {Case}}",
    "@article{a, title = {One}}\n@article{a, title = {Same key}}",
    '@string{jan = {January}}\n@STRING{ ACM = "Assoc. {"} Comp." }\n@article{k, journal = acm}',
    '@string{ x = {a} # "b" }',
    '@comment{a comment {with braces} and "quotes}\n@article{k, title = {T}}',
    "@commentary{not really a comment}",
    '@preamble{ "\\newcommand{\\noopsort}[1]{}" }',
    "@article(key, title = {Parenthesised})",
    "@article{key, title = {Unclosed\n@article{next, title = {Fine}}",
    '@article{key, title = "Unclosed quote\n@article{next, title = {Fine}}',
    "@article{key, title = {Email me@example.org{x}}, year = 2000}",
    "@article{key, title = {T} year = 2000}",
    "@article{key, title}",
    "@article{key title = {T}}",
    "@article{key, = {no key}}",
    "@article{key, title = {T}} trailing text @misc{m, note = {n}}",
    "@{empty type, title = {T}}",
    "  @ article {key, title = {T}}",
    "@article{key, title = {T},\n  abstract = {Over\n several\n lines}\n}",
    "@article{key, title = {T}, note = a = b}",
    "@article{key, title = {T}\n",
    '@article{key, title = "T}',
    "@article{key, title = {{{{deep}}}}, x = {}}",
    "\\@article{key, title = {T}}",
    "@article{key, title = {T}}}}} @book{b, title = {B}}",
    "\r\n@article{key,\r\n title = {Windows},\r\n}\r\n",
    '@article{key, title = "ends in a backslash\\", note = "n"}',
    '@article{key, title = "ends in {"}", note = "n"}',
    "@article{key, title = {ends in \\}, note = {n}}",
    '@article{key, title = "{"}", note = {n}}',
    "@article{key, title = {a \\{ b}, note = {n}}",
    '@article{key, title = {}, note = "", year = 2000 }',
    "@article{key,\n\ttitle\t=\t{Tabs}\t,\n}",
    "@article{key, ti tle = {Space in a key}}",
    '@article{key, title = {T} # {U}, note = x # "y"}',
    "@article{key, title = {@ at line end\n@}}",
    '@article{key, title = "multi\nline\\\nwith a backslash-newline"}\n@misc{m, note = {line}}',
    "@article{key, title = {\u00a0nbsp\u00a0}, note = \u2028x\u2028}",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_is_cut_as_bibtexparser_cuts_it(text):
    assert_same_blocks(text)


def test_random_edits_are_cut_as_bibtexparser_cuts_them():
    """Small corruptions of real entries: any difference is a bug in the fast road."""
    tugboat = TUGBOAT.read_text(encoding="utf-8")
    start = tugboat.index("\n@Article", 40000)
    base = "\n".join(TRICKY[2:8]) + tugboat[start : tugboat.index("\n@Article", start + 1500)]
    alphabet = '{}",=@\\\n #()a ,}{"'
    generator = random.Random(5)
    fast = 0
    for _ in range(1500):
        text = list(base)
        for _ in range(generator.randint(1, 4)):
            at = generator.randrange(len(text))
            if generator.random() < 0.5:
                text.insert(at, generator.choice(alphabet))
            else:
                del text[at]
        text = "".join(text)
        assert_same_blocks(text)
        try:
            _FastSplitter(text).split()
            fast += 1
        except _NotClean:
            pass
    # Most edits must stay on the fast road, or the comparison above tests the Splitter only.
    assert fast > 300, fast
