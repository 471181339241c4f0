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

# Django takes the error handlers from the root URLconf: the site's own, so that the
# benchmark sees what production serves (a 503 page while the database is down).
handler400 = "bibliography.errors.bad_request"
handler500 = "bibliography.errors.server_error"
