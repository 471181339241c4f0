"""Citation downloads: one paper or the current list as BibTeX, RIS or CSL-JSON.

Placeholder until the citations work lands: every format answers 404.
"""

from django.http import Http404
from django.views import View


class PaperExportView(View):
    def get(self, request, slug, fmt):
        raise Http404("Exports are not available yet.")


class PaperListExportView(View):
    def get(self, request, fmt):
        raise Http404("Exports are not available yet.")
