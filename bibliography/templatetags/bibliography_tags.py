"""Template helpers for showing papers."""

from dataclasses import dataclass, field

from django import template

register = template.Library()


@dataclass
class Byline:
    """A paper's byline as pages show it: the authors in order, "et al." when the list
    goes on, and the co-authors whose place is unknown as "(incl. X, Y)".

    With a limit, a long byline shows its first authors, then any site owner further
    down (after an ellipsis), then how many are left out.
    """

    listed: list
    included: list
    partial: bool
    owners_further: list = field(default_factory=list)
    not_shown: int = 0


@register.simple_tag
def byline(paper, limit=None) -> Byline:
    """Split `paper`'s authorships (from the for_list() prefetch: no query) for display."""
    authorships = paper.ordered_authorships
    listed = [a for a in authorships if a.order_known]
    result = Byline(
        listed=listed,
        included=[a for a in authorships if not a.order_known],
        partial=paper.byline_is_partial,
    )
    if limit and len(listed) > limit + 1:
        result.listed = listed[:limit]
        result.owners_further = [a for a in listed[limit:] if a.author.is_site_owner]
        result.not_shown = len(listed) - limit - len(result.owners_further)
    return result
