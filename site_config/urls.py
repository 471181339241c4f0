"""Project URLs: the admin, the health check and the bibliography app. No business logic here."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from bibliography.health import healthz
from bibliography.uploads import serve_upload

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("bibliography.api.urls")),
    # The footer's language switcher posts here. Without a CSRF token: the cached public
    # pages are the same for every visitor and carry none, and the worst a forged post can
    # do is choose a visitor's language (Django's view only redirects to this site).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("bibliography.urls")),
]
# Uploaded files in development (static() adds nothing unless DEBUG); production serves
# MEDIA_ROOT from the web server or object storage (README, "Uploaded files").
urlpatterns += static(settings.MEDIA_URL, view=serve_upload, document_root=settings.MEDIA_ROOT)

# Error pages in the site's design that need neither the request nor the database.
handler400 = "bibliography.errors.bad_request"
handler500 = "bibliography.errors.server_error"
