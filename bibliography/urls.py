"""Public URLs of the bibliography, all named under the `bibliography` namespace."""

from django.urls import path

from bibliography import views

app_name = "bibliography"

urlpatterns = [
    path("", views.PaperListView.as_view(), name="paper-list"),
    path("papers/<slug:slug>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("venues/<slug:slug>/", views.VenueDetailView.as_view(), name="venue-detail"),
    path("awards/<slug:slug>/", views.AwardDetailView.as_view(), name="award-detail"),
]
