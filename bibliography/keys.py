"""Generated identifiers (URL slugs, BibTeX citation keys) and the rules that keep them unique."""

import re
import unicodedata
from collections.abc import Container

from django.utils.text import slugify

# Words a citation key skips when it picks the first word of a title (as Google Scholar does).
KEY_STOPWORDS = {"a", "an", "the", "on", "of", "in", "to", "for", "and", "with", "at", "by"}


def ascii_letters(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`, accents folded (Laurençon -> laurencon)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def slug_base(model, text: str, max_length: int = 100) -> str:
    """`text` as a slug of at most `max_length` characters, cut after a whole word (a word
    longer than that is cut); the model's name if none is left. Slugs already stored keep
    their form: they are addresses someone may have shared."""
    slug = slugify(text)
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rindex("-")] if "-" in cut else cut[:max_length]
    return slug.strip("-") or model._meta.model_name


def unique_slug(model, text: str, *, instance=None, max_length: int = 100) -> str:
    """A slug for `text` that no other row of `model` has, with -2, -3... on collision."""
    base = slug_base(model, text, max_length)
    others = model._default_manager.all()
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    return numbered(base, taken)


def numbered(base: str, taken: Container[str], *, ignore_case: bool = False) -> str:
    """`base`, or the first of base-2, base-3... that `taken` does not hold.

    With `ignore_case`, `taken` holds lower-case names and a candidate is looked up in
    lower case (BibTeX compares keys without case).
    """
    candidate, counter = base, 2
    while (candidate.lower() if ignore_case else candidate) in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def citation_key_base(family_name: str, year: int | None, title: str) -> str:
    """`family + year + first significant title word`, e.g. biderman2022datasheet."""
    words = [ascii_letters(word) for word in re.split(r"[\s\-:/]+", title)]
    first_word = next((w for w in words if w and w not in KEY_STOPWORDS), "") or next(
        (w for w in words if w), "untitled"
    )
    return f"{ascii_letters(family_name) or 'anon'}{year or ''}{first_word}"


def generate_citation_key(paper) -> str:
    """A key for `paper` that no other paper uses: the base, then base+a, base+b...

    For papers an editor saves without a key. The importer keeps each entry's own key
    and gives a taken one a letter by the same rule (`lettered`).
    """
    first = None
    if paper.pk:
        first = paper.authorships.select_related("author").order_by("position").first()
    base = citation_key_base(first.author.family_name if first else "", paper.year, paper.title)
    others = type(paper)._default_manager.filter(citation_key__startswith=base)
    if paper.pk:
        others = others.exclude(pk=paper.pk)
    taken = set(others.values_list("citation_key", flat=True))
    return base if base not in taken else lettered(base, taken)


def lettered(base: str, taken: Container[str]) -> str:
    """The first of base+a, base+b ... base+z, then base2, base3... that `taken` does not hold
    (how BibTeX users tell apart an author's papers of one year: knuth1984a, knuth1984b)."""
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    counter = 2
    while f"{base}{counter}" in taken:
        counter += 1
    return f"{base}{counter}"
