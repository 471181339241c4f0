"""Which authors a citation names, and how a family-first name is written, for every format.

A byline can be partial: some co-authors are known only as "incl." (`order_known` is
False) and the source may say the list goes on (`authors_partial`). The exports name
every known person, those with a known place first in byline order and then the
"incl." ones, so that nobody listed on the paper (often the site's owner) vanishes
from a citation; each format then says "et al." the way it can (`Paper.byline_is_partial`):
BibTeX `and others`, a RIS note, the style's et-al. in the formatted citations.
CSL-JSON and the Highwire tags have no way to say it and only list the names.
"""

from bibliography.citations.latex import one_line
from bibliography.models import Author, Paper


def cited_authors(paper: Paper) -> list[Author]:
    """The positioned authors in byline order, then the "incl." co-authors."""
    authorships = sorted(paper.ordered_authorships, key=lambda a: not a.order_known)
    return [authorship.author for authorship in authorships]


def family_first(author: Author) -> str:
    """`von Family, Given, Suffix` (RIS's form, and Google Scholar's for `citation_author`).

    The comma tells a reader where the family name ends, so "Le Scao, Teven" and
    "de Melo, Gerard" are not split at their last word.
    """
    family = " ".join(one_line(p) for p in (author.particle, author.family_name) if p.strip())
    parts = [family, one_line(author.given_name)]
    if author.suffix.strip():
        parts.append(one_line(author.suffix))
    return ", ".join(parts).rstrip(", ") if len(parts) == 2 else ", ".join(parts)


def is_organization(author: Author) -> bool:
    """A corporate body, not a person known by family name only.

    The editor says so (`Author.is_organization`: "EleutherAI"); and a name with no given
    name, particle or suffix is a body when it has several words, as BibTeX reads it (a
    braced `{BigScience Workshop}`). A single word ("Laurençon", "Jernite", as sources
    name co-authors) is otherwise a person's family name.
    """
    if author.is_organization:
        return True
    bare = not (author.given_name.strip() or author.particle.strip() or author.suffix.strip())
    return bare and " " in one_line(author.family_name)
