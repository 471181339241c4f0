"""Admin curation: everything an editor does to the bibliography, without code."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bibliography.citations import entry_cache
from bibliography.citations.bibtex import papers_to_bibtex
from bibliography.embed import embed_snippet_view
from bibliography.importing.admin_views import import_bibtex_view, refuse_oversized_posts
from bibliography.keys import generate_citation_key
from bibliography.models import (
    Author,
    AuthorNameVariant,
    Authorship,
    AuthorSlugRedirect,
    Award,
    ContributionRole,
    Paper,
    PaperLink,
    Topic,
    Venue,
)
from bibliography.people import MergeRefused, choose_kept, likely_duplicates, merge_authors
from bibliography.site_title import site_title

# The admin is named after the site ("Stella Biderman: publications"), read once as each
# page renders (not once per place the template shows it), so an owner or SITE_TITLE change
# shows at once.
_admin_context = admin.site.each_context


def _each_context_with_site_title(request):
    context = _admin_context(request)
    context["site_title"] = context["site_header"] = site_title(request)
    return context


admin.site.each_context = _each_context_with_site_title
admin.site.index_title = lazy(lambda: gettext("Curate %(site)s") % {"site": site_title()}, str)()


class BylineFormSet(BaseInlineFormSet):
    """The byline rows of one paper: clear messages for clashes, and reordering that saves.

    Django already refuses two rows with the same position or author; this names the rule
    in the editor's words (the constraint's own message) instead of "duplicate data".
    """

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and set(constraint.fields) == {
                self.fk.name,
                *unique_check,
            }:
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)

    def save_existing_objects(self, commit=True):
        # Saved row by row, a swap (Alpha 1 -> 2, Beta 2 -> 1) would hit the unique
        # (paper, position) constraint half way. Rows that move or change author, and rows
        # being removed, are taken out first; each moved row is then written back with its
        # new values (a save whose UPDATE finds no row INSERTs it under the same id).
        if commit:
            leaving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk
                and (form in self.deleted_forms or {"position", "author"} & set(form.changed_data))
            ]
            self.model._default_manager.filter(pk__in=leaving).delete()
        return super().save_existing_objects(commit)


class LenientAutocompleteMixin:
    """Django's autocomplete widget looks the submitted ids up to show them again; an id that
    is not a number ("abc") makes that lookup raise, a 500 instead of the form's own "Select a
    valid choice" error. Such values are left out of the lookup."""

    def optgroups(self, name, value, attr=None):
        pk = self.field.remote_field.model._meta.pk
        return super().optgroups(name, [v for v in value if _is_valid(pk, v)], attr)


def _is_valid(field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class LenientAutocompleteSelect(LenientAutocompleteMixin, AutocompleteSelect):
    pass


class LenientAutocompleteSelectMultiple(LenientAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class LenientAutocompleteAdminMixin:
    """Uses the lenient autocomplete widgets for the admin's `autocomplete_fields`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                LenientAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                LenientAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AuthorshipInline(LenientAutocompleteAdminMixin, admin.TabularInline):
    """The byline: one row per author, ordered by the editable position."""

    model = Authorship
    formset = BylineFormSet
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "roles", "order_known"]
    ordering = ["position"]
    # A handful of roles: boxes to tick, not a multiple select to ctrl-click.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


class PaperLinkInline(admin.TabularInline):
    """The paper's buttons: a URL or an uploaded file each, in the order of `position`."""

    model = PaperLink
    extra = 1
    fields = ["position", "kind", "label", "url", "file"]
    ordering = ["position", "pk"]


class PaperAdminForm(forms.ModelForm):
    """The paper form, with the checks a JSON field cannot make for itself."""

    def clean_extra_fields(self):
        value = self.cleaned_data["extra_fields"]
        if value in (None, ""):
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise forms.ValidationError(
                _(
                    'Write the extra fields as {"field name": "text", ...}, '
                    'e.g. {"note": "Invited talk", "series": "LNCS"}.'
                )
            )
        # The other text fields refuse NUL through Django's own validator; PostgreSQL cannot
        # store it, so a NUL here would be a server error on save.
        if any("\x00" in text for item in value.items() for text in item):
            raise forms.ValidationError(_("NUL characters are not allowed in the extra fields."))
        return value


@admin.register(Paper)
class PaperAdmin(LenientAutocompleteAdminMixin, admin.ModelAdmin):
    form = PaperAdminForm
    # No entry-type column: at 1366 px it pushed the first author and "published" out of
    # the table's box; the type is a filter in the sidebar.
    list_display = ["title", "year", "venue", "first_author", "published"]
    list_display_links = ["title"]
    list_filter = [
        "published",
        "featured",
        "year",
        "venue__kind",
        "entry_type",
        "awards",
        "topics",
        "venue",
    ]
    list_select_related = ["venue"]
    list_per_page = 50
    search_fields = [
        "title",
        "citation_key",
        "doi",
        "arxiv_id",
        "venue__name",
        "venue__short_name",
        "authorships__author__family_name",
        "authorships__author__given_name",
        "authorships__author__display_name",
    ]
    ordering = ["-year", "title"]
    sortable_by = ["title", "year", "venue", "published"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "awards", "topics"]
    inlines = [AuthorshipInline, PaperLinkInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish", "export_bibtex"]
    # The byline inline right after the "Authors" fieldset, not below every other field
    # (templates/admin/bibliography/paper/change_form.html).
    byline_after_fieldset = "Authors"

    class Media:
        # Column widths of the changelist: the title gets the room, not the venue's name.
        css = {"all": ["admin/bibliography/paper.css"]}

    fieldsets = [
        # Year and month share a line, so the byline inline below starts in the first screen.
        (
            None,
            {"fields": ["title", "slug", "published", "entry_type", ("year", "month"), "venue"]},
        ),
        (_("Authors"), {"fields": ["authors_partial"]}),
        (_("Text"), {"fields": ["abstract", "citation_text", "awards", "topics"]}),
        (
            _("On this site"),
            {
                "description": _("How the site presents the paper; never part of its citation."),
                "fields": [
                    "featured",
                    "featured_order",
                    "priority",
                    "preview_image",
                    "preview_alt",
                ],
            },
        ),
        (
            _("Identifiers and links"),
            {
                "fields": [
                    "citation_key",
                    "doi",
                    "arxiv_id",
                    "arxiv_primary_class",
                    "url",
                    "pdf_url",
                    "code_url",
                    "altmetric_id",
                    "dimensions_id",
                    "google_scholar_id",
                    "inspire_id",
                ]
            },
        ),
        (
            _("Publication details"),
            {"fields": ["booktitle", "publisher", "volume", "number", "pages", "extra_fields"]},
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        import_view = refuse_oversized_posts(
            self.admin_site.admin_view(lambda request: import_bibtex_view(request, self))
        )
        embed_view = self.admin_site.admin_view(lambda request: embed_snippet_view(request, self))
        return [
            path("import-bibtex/", import_view, name="bibliography_paper_import_bibtex"),
            path("embed/", embed_view, name="bibliography_paper_embed"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        # The changelist shows the first author of each row: fetch the bylines once.
        return super().get_queryset(request).prefetch_related("authorships__author")

    @admin.display(description=_("First author"))
    def first_author(self, paper):
        authorships = paper.ordered_authorships
        return authorships[0].author.name if authorships else "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        paper = form.instance
        # A key left empty was generated before the authors existed; make it again with them.
        if getattr(paper, "citation_key_was_generated", False):
            paper.citation_key = generate_citation_key(paper)
            paper.save(update_fields=["citation_key"])
        entry_cache.store_after_commit([paper.pk])

    @admin.action(description=_("Publish selected papers"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected papers (make drafts)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    @admin.action(description=_("Export selected as BibTeX"), permissions=["view"])
    def export_bibtex(self, request, queryset):
        """Download the selected papers (drafts too: the editor chose them) as one .bib file."""
        # A fresh queryset: the changelist's prefetch of the bylines would clash with for_list().
        papers = (
            Paper.objects.filter(pk__in=queryset.values("pk")).for_list().order_by(*self.ordering)
        )
        response = HttpResponse(
            papers_to_bibtex(papers), content_type="application/x-bibtex; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="selected-papers.bib"'
        return response

    def _set_published(self, request, queryset, published):
        count = queryset.update(published=published)
        if published:
            message = ngettext("%(count)d paper published.", "%(count)d papers published.", count)
        else:
            message = ngettext(
                "%(count)d paper made a draft.", "%(count)d papers made drafts.", count
            )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class PaperCountMixin:
    """Shows, and sorts by, how many papers (drafts included) each row is on."""

    paper_count_lookup = "papers"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(paper_count=Count(self.paper_count_lookup, distinct=True))
        )

    @admin.display(description=_("Papers"), ordering="paper_count")
    def paper_count(self, obj):
        return obj.paper_count


class AuthorPartInline(admin.TabularInline):
    """Rows that are part of an author's record (name variants, old slugs): whoever may
    change the author may edit them, without permissions of their own."""

    extra = 0

    def _may_change_author(self, request):
        return request.user.has_perm("bibliography.change_author")

    def has_view_permission(self, request, obj=None):
        return self._may_change_author(request) or request.user.has_perm("bibliography.view_author")

    def has_add_permission(self, request, obj=None):
        return self._may_change_author(request)

    def has_change_permission(self, request, obj=None):
        return self._may_change_author(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_change_author(request)


class AuthorNameVariantInline(AuthorPartInline):
    """Other spellings of the person's name, matched by imports (bibliography/people.py)."""

    model = AuthorNameVariant
    fields = ["given_name", "particle", "family_name", "suffix"]


class AuthorSlugRedirectInline(AuthorPartInline):
    """Old addresses of the author's page (left by merges); they redirect here."""

    model = AuthorSlugRedirect
    fields = ["old_slug"]


@admin.register(Author)
class AuthorAdmin(PaperCountMixin, admin.ModelAdmin):
    paper_count_lookup = "authorships"
    # Explicit: Meta.ordering is dropped from the count's GROUP BY query (autocomplete pages).
    ordering = ["family_name", "given_name"]
    list_display = ["__str__", "family_name", "given_name", "paper_count", "is_site_owner"]
    list_filter = ["is_site_owner"]
    search_fields = [
        "family_name",
        "given_name",
        "display_name",
        "orcid",
        "name_variants__family_name",
        "name_variants__given_name",
    ]
    prepopulated_fields = {"slug": ["given_name", "particle", "family_name"]}
    inlines = [AuthorNameVariantInline, AuthorSlugRedirectInline]
    actions = ["merge_selected"]
    change_list_template = "admin/bibliography/author/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "given_name",
                    "particle",
                    "family_name",
                    "suffix",
                    "is_organization",
                    "display_name",
                ]
            },
        ),
        (
            "Profile",
            {
                "fields": [
                    "slug",
                    "is_site_owner",
                    "position",
                    "affiliation",
                    "photo",
                    "orcid",
                    "homepage",
                ]
            },
        ),
    ]

    def get_urls(self):
        duplicates = self.admin_site.admin_view(self.duplicates_view)
        return [
            path("duplicates/", duplicates, name="bibliography_author_duplicates"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        context = {"can_merge": self.can_merge(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def can_merge(self, request) -> bool:
        """Merging changes one record and deletes the others."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def duplicates_view(self, request):
        """The likely duplicates report: pairs that may be one person, each with a merge button."""
        if not self.can_merge(request):
            raise PermissionDenied
        return self._tool_page(
            request, "duplicates", gettext("Likely duplicate authors"), pairs=likely_duplicates()
        )

    def _tool_page(self, request, name, title, **context):
        """One of the author admin's own pages (templates/admin/bibliography/author/)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **context,
        }
        return TemplateResponse(request, f"admin/bibliography/author/{name}.html", context)

    @admin.action(
        description=_("Merge selected authors into one"), permissions=["change", "delete"]
    )
    def merge_selected(self, request, queryset):
        """First a page to choose which record stays; then the merge (bibliography/people.py)."""
        authors = list(queryset.order_by("family_name", "given_name", "pk"))
        if len(authors) < 2:
            self.message_user(
                request, gettext("Choose at least two authors to merge."), messages.ERROR
            )
            return None
        keep_id = request.POST.get("keep")
        if keep_id is None:
            return self._merge_confirmation(request, authors)
        keep = next((a for a in authors if str(a.pk) == keep_id), None)
        if keep is None:
            self.message_user(request, gettext("Choose which author to keep."), messages.ERROR)
            return self._merge_confirmation(request, authors)
        try:
            merge_authors(authors, keep)
        except MergeRefused as refusal:
            self.message_user(
                request, gettext("Not merged: %(why)s") % {"why": refusal}, messages.ERROR
            )
            return None
        names = ", ".join(a.name for a in authors if a.pk != keep.pk)
        self.message_user(
            request,
            gettext("Merged %(names)s into %(kept)s.") % {"names": names, "kept": keep.name},
            messages.SUCCESS,
        )
        return None

    def _merge_confirmation(self, request, authors):
        counts = dict(
            Authorship.objects.filter(author__in=authors)
            .values_list("author")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for author in authors:
            author.byline_count = counts.get(author.pk, 0)
        return self._tool_page(
            request,
            "merge",
            gettext("Merge authors"),
            authors=authors,
            suggested=choose_kept(authors).pk,
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )


@admin.register(ContributionRole)
class ContributionRoleAdmin(admin.ModelAdmin):
    list_display = ["symbol", "name", "order", "slug"]
    list_display_links = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Venue)
class VenueAdmin(LenientAutocompleteAdminMixin, PaperCountMixin, admin.ModelAdmin):
    ordering = ["short_name", "name"]
    list_display = ["__str__", "name", "kind", "series", "paper_count"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["series"]
    list_select_related = ["series"]


@admin.register(Award)
class AwardAdmin(LenientAutocompleteAdminMixin, PaperCountMixin, admin.ModelAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "venue", "year", "paper_count"]
    list_filter = ["kind", "year"]
    search_fields = ["name", "venue__name", "venue__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["venue"]
    list_select_related = ["venue"]


@admin.register(Topic)
class TopicAdmin(PaperCountMixin, admin.ModelAdmin):
    ordering = ["name"]
    list_display = ["name", "slug", "paper_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
