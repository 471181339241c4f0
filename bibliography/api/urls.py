"""The read API's URLs, version 1: included at /api/v1/ under the `api-v1` namespace."""

from django.urls import path, re_path

from bibliography.api import representations, views

app_name = "api-v1"


def list_and_detail(
    plural: str, noun: str, represent, objects, detail_view=views.ResourceDetailView
) -> list:
    """The list (`NOUN-list`) and one-object (`NOUN-detail`) URLs of a kind of object,
    `objects()` its public ones, `represent(obj, absolute)` one of them as JSON."""
    shown = {"represent": represent, "objects": objects}
    return [
        path(f"{plural}/", views.ResourceListView.as_view(**shown), name=f"{noun}-list"),
        path(
            f"{plural}/<slug:slug>/",
            detail_view.as_view(noun=noun, **shown),
            name=f"{noun}-detail",
        ),
    ]


urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
    # The paper list reads the list page's filters; one paper is a resource like the others.
    path("papers/", views.PaperListView.as_view(), name="paper-list"),
    path(
        "papers/<slug:slug>/",
        views.ResourceDetailView.as_view(
            noun="paper",
            represent=representations.paper,
            objects=views.published_papers_in_full,
        ),
        name="paper-detail",
    ),
    *list_and_detail(
        "authors",
        "author",
        representations.author,
        representations.public_authors,
        views.AuthorDetailView,
    ),
    *list_and_detail("venues", "venue", representations.venue, representations.public_venues),
    *list_and_detail("awards", "award", representations.award, representations.public_awards),
    *list_and_detail("topics", "topic", representations.topic, representations.public_topics),
    # Last: anything else ending in a slash (without one, Django first redirects to it).
    re_path(r"^[\s\S]*/$", views.NotFoundView.as_view(), name="not-found"),
]
