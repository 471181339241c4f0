"""Project URLs: the admin and the bibliography app. No business logic here."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("bibliography.urls")),
]
