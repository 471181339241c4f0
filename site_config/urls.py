"""Project URLs: the admin, the health check and the bibliography app. No business logic here."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from bibliography.health import healthz
from bibliography.uploads import serve_upload

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("bibliography.api.urls")),
    path("", include("bibliography.urls")),
]
# Uploaded files in development (static() adds nothing unless DEBUG); production serves
# MEDIA_ROOT from the web server or object storage (README, "Uploaded files").
urlpatterns += static(settings.MEDIA_URL, view=serve_upload, document_root=settings.MEDIA_ROOT)

# Error pages in the site's design that need neither the request nor the database.
handler400 = "bibliography.errors.bad_request"
handler500 = "bibliography.errors.server_error"
