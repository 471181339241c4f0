"""The site's URLs plus the benchmark's reference view."""

from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path(
        "bench/reference/",
        TemplateView.as_view(template_name="bench/reference.html"),
        name="bench-reference",
    ),
    path("", include("site_config.urls")),
]
