"""The sitemap: the list and the people, venue and award indexes, every published paper,
and every author, venue, award and topic that has one. Nothing only drafts reach is listed.

Rendering it reads every published paper (about a second at 10,000), so it is served
from the cache while the data version stays the same (`cached_sitemap`).
"""

import hashlib

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.core.cache import cache
from django.urls import reverse

from bibliography import throttling
from bibliography.caching import PAGE_TIMEOUT, data_version
from bibliography.models import Author, Award, Paper, Topic, Venue


class PaperListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return [
            "bibliography:paper-list",
            "bibliography:author-list",
            "bibliography:venue-list",
            "bibliography:award-list",
        ]

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


def cached_sitemap(request):
    """`/sitemap.xml`, rendered once per data version, site address and page.

    The key holds only what the sitemap depends on: any other query parameter is the same
    sitemap, and an unusable page number is Django's 404, rendered but never stored.
    """
    page = request.GET.get("p", "1")
    page = str(int(page)) if page.isascii() and page.isdigit() else page
    origin = f"{request.scheme}://{request.get_host()}"
    digest = hashlib.sha256(f"{data_version()}\n{origin}\n{page}".encode()).hexdigest()
    key = f"sitemap:{digest}"
    response = cache.get(key)
    if response is None:
        refused = throttling.count_costly_request(request)
        if refused:
            return refused
        response = sitemap(request, sitemaps=SITEMAPS)
        response.render()
        if response.status_code == 200:
            cache.set(key, response, PAGE_TIMEOUT)
    return response
