"""The embeddable list (`/embed/`) and the snippet that puts it on another site.

`/embed/` takes the list's parameters (`/embed/?author=SLUG&year=2022`) and shows those
papers compactly, grouped by year, for a frame on a page of one of the origins in
settings.EMBED_ALLOWED_ORIGINS (`security.frameable_by_embedders`). In the frame,
static/js/embed-frame.js reports the list's height to the page around it; there,
static/js/embed.js (loaded from this site, no inline script) sizes the frame to it. The
admin's "Embed on another site" page (on the papers list) writes the snippet for a list.
"""

from django.conf import settings
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.generic import TemplateView

from bibliography.caching import known_parameters
from bibliography.filters import PaperFilter, filter_papers
from bibliography.security import frameable_by_embedders
from bibliography.site_title import site_title
from bibliography.views import PaperBrowseView

# What an embedded list shows per page: a department page lists a member's recent work.
EMBED_PAGE_SIZE = 50
# The frame's height before the script sizes it, and where it has no script.
FALLBACK_HEIGHT = 600
HOST_SCRIPT = "js/embed.js"


@method_decorator(frameable_by_embedders, name="dispatch")
class EmbedView(PaperBrowseView):
    """The list's papers for its parameters, compact: titles, bylines, venues, by year."""

    template_name = "bibliography/embed.html"
    paginate_by = EMBED_PAGE_SIZE

    def get_context_data(self, **kwargs):
        # Not the browse page's context: no facets, chart or chips to compute.
        context = TemplateView.get_context_data(self, **kwargs)
        papers, filterset = filter_papers(self.request.GET)
        page, page_notice = self.paginate(papers)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            papers=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            notices=filterset.notices() + ([page_notice] if page_notice else []),
            list_query=query.urlencode(),
        )
        return context


def snippet(embed_url: str, script_url: str, title: str) -> str:
    """The HTML another site pastes: the frame, and the script that sizes it."""
    return format_html(
        '<iframe data-publications-embed src="{}" title="{}" width="{}" height="{}" '
        'loading="lazy"></iframe>\n<script src="{}" async></script>',
        embed_url,
        title,
        FALLBACK_HEIGHT,
        FALLBACK_HEIGHT,
        script_url,
    )


def list_parameters(text: str) -> QueryDict:
    """The list parameters in what an editor pasted: a list page's address or its query
    string (`?author=stella&year=2022`); anything else in it is dropped."""
    query = text.strip().split("?", 1)[1] if "?" in text else text.strip()
    return known_parameters(QueryDict(query.split("#", 1)[0]), PaperFilter.base_filters)


def embed_snippet_view(request, model_admin):
    """The admin page with the copy-paste snippet for the list the editor chose (behind
    the admin's login: PaperAdmin.get_urls)."""
    pasted = request.GET.get("list", "")[:2000]
    parameters = list_parameters(pasted)
    _, filterset = filter_papers(parameters)
    embed_url = request.build_absolute_uri(reverse("bibliography:embed"))
    if parameters:
        embed_url += f"?{parameters.urlencode()}"
    # The unhashed name: a snippet pasted today must still load after the next deploy.
    script_url = request.build_absolute_uri(settings.STATIC_URL + HOST_SCRIPT)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": gettext("Embed on another site"),
        "pasted": pasted,
        "notices": filterset.notices(),
        "embed_url": embed_url,
        "snippet": snippet(embed_url, script_url, site_title()),
        "allowed_origins": settings.EMBED_ALLOWED_ORIGINS,
    }
    return TemplateResponse(request, "admin/bibliography/paper/embed.html", context)
