"""Project URLs: the admin, the health check and the bibliography app. No business logic here."""

from django.contrib import admin
from django.urls import include, path

from bibliography.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("bibliography.urls")),
]

# Error pages in the site's design that need neither the request nor the database.
handler400 = "bibliography.errors.bad_request"
handler500 = "bibliography.errors.server_error"
