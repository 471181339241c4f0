"""Public pages. Thin: querysets come from the models' managers."""

from django.views.generic import DetailView, ListView

from bibliography.models import Author, Award, Paper, Venue


class PaperListView(ListView):
    template_name = "bibliography/paper_list.html"
    paginate_by = 25

    def get_queryset(self):
        return Paper.objects.published().for_list()


class PaperDetailView(DetailView):
    template_name = "bibliography/paper_detail.html"

    def get_queryset(self):
        return Paper.objects.published().for_list()


class AuthorDetailView(DetailView):
    model = Author
    template_name = "bibliography/author_detail.html"


class VenueDetailView(DetailView):
    model = Venue
    template_name = "bibliography/venue_detail.html"


class AwardDetailView(DetailView):
    model = Award
    template_name = "bibliography/award_detail.html"
