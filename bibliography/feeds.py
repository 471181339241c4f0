"""The Atom feed of the newest published papers."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join

from bibliography.models import Paper
from bibliography.site_title import site_title

FEED_LENGTH = 30


class NewestPapersFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{site_title()}: newest papers"

    def subtitle(self):
        return "The newest papers on the publication list."

    def link(self):
        return reverse("bibliography:paper-list")

    def items(self):
        # Newest by publication date; among papers of the same date, the latest added first.
        return (
            Paper.objects.published()
            .for_list()
            .order_by(
                F("year").desc(nulls_last=True),
                F("month").desc(nulls_last=True),
                "-created_at",
            )[:FEED_LENGTH]
        )

    def item_title(self, paper):
        return str(paper)

    def item_description(self, paper):
        """The byline, venue and year, then the abstract's paragraphs, as the HTML that Atom's
        `<summary type="html">` holds: every piece is escaped, so editor text such as
        "<svg onload=...>" or "p < 0.05" reaches a feed reader as the text it is."""
        byline = ", ".join(author.name for author in paper.listed_authors)
        if paper.byline_is_partial:
            byline = f"{byline}, et al." if byline else "et al."
        venue = paper.venue.label if paper.venue else ""
        head = " · ".join(p for p in (byline, venue, str(paper.year or "")) if p)
        paragraphs = [p for p in (head, *paper.abstract_paragraphs) if p]
        return format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))

    def item_author_name(self, paper):
        names = [author.name for author in paper.listed_authors]
        return ", ".join(names[:3]) + (" et al." if len(names) > 3 else "") if names else None

    def item_pubdate(self, paper):
        return paper.created_at

    def item_updateddate(self, paper):
        return paper.updated_at

    def item_categories(self, paper):
        return [paper.venue.label] if paper.venue else []
