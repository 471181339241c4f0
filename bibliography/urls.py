"""Public URLs of the bibliography, all named under the `bibliography` namespace."""

from django.urls import path, register_converter
from django.views.generic import RedirectView, TemplateView

from bibliography import embed, exports, views
from bibliography.feeds import NewestPapersFeed
from bibliography.sitemaps import cached_sitemap


class ExportFormatConverter:
    """The file extensions citations are exported in: .bib, .ris and .json (CSL-JSON)."""

    regex = "bib|ris|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "export_format")

app_name = "bibliography"

urlpatterns = [
    path("", views.PaperListView.as_view(), name="paper-list"),
    path(
        "papers.<export_format:fmt>",
        exports.PaperListExportView.as_view(),
        name="paper-list-export",
    ),
    path("papers.pdf", exports.PublicationListPdfView.as_view(), name="paper-list-pdf"),
    path("papers.tex", exports.PublicationListLatexView.as_view(), name="paper-list-latex"),
    # The list of papers is the home page; /papers/ is where people guess it is.
    path(
        "papers/",
        RedirectView.as_view(
            pattern_name="bibliography:paper-list", permanent=True, query_string=True
        ),
        name="paper-index",
    ),
    path("papers/<slug:slug>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path(
        "papers/<slug:slug>.<export_format:fmt>",
        exports.PaperExportView.as_view(),
        name="paper-export",
    ),
    path("authors/", views.AuthorIndexView.as_view(), name="author-list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("venues/", views.VenueIndexView.as_view(), name="venue-list"),
    path("venues/<slug:slug>/", views.VenueDetailView.as_view(), name="venue-detail"),
    path("awards/", views.AwardIndexView.as_view(), name="award-list"),
    path("awards/<slug:slug>/", views.AwardDetailView.as_view(), name="award-detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("embed/", embed.EmbedView.as_view(), name="embed"),
    path("feed/", NewestPapersFeed(), name="feed"),
    path("sitemap.xml", cached_sitemap, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
