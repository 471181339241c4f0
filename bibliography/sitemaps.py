"""The sitemap: the list, every published paper, and every author, venue, award and topic
that has one. Nothing that only drafts reach is listed."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bibliography.models import Author, Award, Paper, Topic, Venue


class PaperListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return ["bibliography:paper-list"]

    def location(self, item):
        return reverse(item)


class PaperSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Paper.objects.published().order_by("pk")

    def lastmod(self, paper):
        return paper.updated_at


class _ScopeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5


class AuthorSitemap(_ScopeSitemap):
    def items(self):
        return Author.objects.public().order_by("pk")


class VenueSitemap(_ScopeSitemap):
    def items(self):
        return Venue.objects.public().order_by("pk")


class AwardSitemap(_ScopeSitemap):
    def items(self):
        return Award.objects.public().order_by("pk")


class TopicSitemap(_ScopeSitemap):
    def items(self):
        return Topic.objects.public().order_by("pk")


SITEMAPS = {
    "list": PaperListSitemap,
    "papers": PaperSitemap,
    "authors": AuthorSitemap,
    "venues": VenueSitemap,
    "awards": AwardSitemap,
    "topics": TopicSitemap,
}
