"""The read API's URLs, version 1: included at /api/v1/ under the `api-v1` namespace."""

from django.urls import path, re_path

from bibliography.api import views

app_name = "api-v1"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
    path("papers/", views.PaperListView.as_view(), name="paper-list"),
    path("papers/<slug:slug>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path("authors/", views.AuthorListView.as_view(), name="author-list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("venues/", views.VenueListView.as_view(), name="venue-list"),
    path("venues/<slug:slug>/", views.VenueDetailView.as_view(), name="venue-detail"),
    path("awards/", views.AwardListView.as_view(), name="award-list"),
    path("awards/<slug:slug>/", views.AwardDetailView.as_view(), name="award-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    # Last: anything else ending in a slash (without one, Django first redirects to it).
    re_path(r"^[\s\S]*/$", views.NotFoundView.as_view(), name="not-found"),
]
