"""The admin's "Import BibTeX" page: upload or paste, preview the plan, confirm to apply.

The text is kept between preview and confirm as the user's pending upload (pending.py;
a hidden field would have to travel back through the 2.5 MB form-field limit), and the
confirm form carries its digest, so what is applied is exactly what was previewed; the
plan is made again on confirm, against the database as it is then, with the user's
permissions (planning.ImportPermissions): adding papers opens the page, changing existing
ones needs change permission, new authors and venues their add permissions.

The page takes what it can preview and import within a web worker's timeout (settings
BIBTEX_IMPORT_WEB_MAX_BYTES, _ENTRIES and _NAMES); larger files are sent to
manage.py import_bibtex.
"""

import hashlib
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DatabaseError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bibliography.importing import (
    ImportPermissions,
    ImportRefused,
    Source,
    SourceError,
    apply_plan,
    check_link_base,
    decode_bytes,
    pending,
    prepare_import,
)
from bibliography.importing.sources import (
    USE_THE_COMMAND,
    WorkLimits,
    check_web_size,
    human_size,
    web_max_bytes,
)

# The session holds only the pending upload's token (pending.py), never the text.
SESSION_KEY = "bibtex_import"
# Room for the form's other fields and multipart framing around the file itself.
REQUEST_OVERHEAD_BYTES = 64 * 1024


class UploadForm(forms.Form):
    """A .bib file or pasted BibTeX, one of the two."""

    file = forms.FileField(label=_("BibTeX file"), required=False)
    text = forms.CharField(
        label=_("or paste BibTeX"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100, "spellcheck": "false"}),
    )
    link_base = forms.CharField(
        label=_("Address of the site"),
        required=False,
        max_length=200,
        help_text=_(
            "For an al-folio file: the site it comes from (e.g. https://you.github.io). "
            "Its paths such as pdf={paper.pdf} become links under it (/assets/pdf/paper.pdf); "
            "without it they are left out and listed."
        ),
    )

    def clean_link_base(self):
        return _checked_link_base(self.cleaned_data["link_base"])

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError(_("Give a file or pasted text, not both."))
        if not upload and not text.strip():
            raise forms.ValidationError(_("Choose a .bib file or paste BibTeX."))
        try:
            if upload:
                check_web_size(upload.name, upload.size)
                cleaned["name"] = upload.name
                cleaned["source_text"], cleaned["notes"] = decode_bytes(upload.name, upload.read())
            else:
                check_web_size("The pasted text", len(text.encode()))
                cleaned["name"], cleaned["source_text"], cleaned["notes"] = (
                    gettext("pasted text"),
                    text,
                    [],
                )
        except SourceError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


def _checked_link_base(value: str) -> str:
    value = value.strip()
    if refusal := check_link_base(value):
        raise forms.ValidationError(refusal)
    return value


class ConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
    link_base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    skip_invalid = forms.BooleanField(
        required=False,
        label=_("Import the other entries and leave out the ones with errors"),
    )

    def clean_link_base(self):
        return _checked_link_base(self.cleaned_data["link_base"])


def _digest(text: str, link_base: str) -> str:
    """What the preview showed: the text and the site address its links were made with."""
    return hashlib.sha256(f"{link_base}\n{text}".encode()).hexdigest()


def refuse_oversized_posts(view):
    """Wrap the import page (its `admin_view()`) so that a POST too large to import is refused
    from its Content-Length alone, before anything reads the body.

    Django's CSRF check would otherwise read all of it (spooling a file to disk) before the
    view could say no, so the CSRF middleware is told to skip this view: the check still runs,
    after this one, in the csrf_protect that `admin_view()` puts around the view. Pasted text
    over DATA_UPLOAD_MAX_MEMORY_SIZE, which Django answers with a bare 400, gets a message too.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            content_length = int(request.META.get("CONTENT_LENGTH") or 0)
            if content_length > web_max_bytes() + REQUEST_OVERHEAD_BYTES:
                return _refuse(
                    request,
                    gettext("The upload is %(size)s; the limit is %(limit)s.")
                    % {"size": human_size(content_length), "limit": human_size(web_max_bytes())}
                    + f" {USE_THE_COMMAND}",
                )
            try:
                request.POST  # noqa: B018 (parsed here, where its one error can be answered)
            except RequestDataTooBig:
                return _refuse(
                    request,
                    gettext(
                        "That BibTeX is too long to paste (the limit is %(limit)s); "
                        "upload it as a file."
                    )
                    % {"limit": human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
                )
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True
    return wrapper


def _refuse(request, message: str):
    messages.error(request, message)
    return redirect("admin:bibliography_paper_import_bibtex")


def import_bibtex_view(request, model_admin):
    """GET: the form. POST: a preview of the plan, or (with `confirm`) the import itself."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": gettext("Import BibTeX"),
        "max_size": human_size(web_max_bytes()),
        "limits": WorkLimits.for_web(),
    }
    template = "admin/bibliography/paper/import_bibtex.html"
    if request.method != "POST":
        return TemplateResponse(request, template, {**context, "form": UploadForm()})
    if "cancel" in request.POST:
        _forget_pending(request)
        messages.info(request, gettext("Import cancelled; nothing was written."))
        return redirect("admin:bibliography_paper_import_bibtex")
    if "confirm" in request.POST:
        return _confirm(request, model_admin, context, template)

    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, template, {**context, "form": form})
    source = Source(form.cleaned_data["name"], form.cleaned_data["source_text"])
    source.notes = form.cleaned_data["notes"]
    _forget_pending(request)  # one pending upload per user: this one replaces it
    link_base = form.cleaned_data["link_base"]
    try:
        plan = _plan(request, source, link_base)
        token = pending.save(request.user.pk, source.name, source.text) if plan.has_changes else ""
    except SourceError as error:
        form.add_error(None, str(error))
        return TemplateResponse(request, template, {**context, "form": form})
    except OSError as error:
        form.add_error(
            None,
            gettext("The upload could not be kept for the preview (%(why)s).")
            % {"why": error.strerror},
        )
        return TemplateResponse(request, template, {**context, "form": form})
    if token:
        request.session[SESSION_KEY] = {"token": token}
    confirm = ConfirmForm(
        initial={"digest": _digest(source.text, link_base), "link_base": link_base}
    )
    return TemplateResponse(
        request, template, {**context, "plan": plan, "confirm_form": confirm, "source": source}
    )


def _plan(request, source: Source, link_base: str):
    """The plan of `source` for this user, within the page's limits (SourceError past them)."""
    return prepare_import(
        [source],
        permissions=ImportPermissions.of(request.user),
        limits=WorkLimits.for_web(),
        link_base=link_base,
    )


def _forget_pending(request) -> None:
    pending.discard(request.user.pk)
    request.session.pop(SESSION_KEY, None)


def _confirm(request, model_admin, context, template):
    token = (request.session.get(SESSION_KEY) or {}).get("token", "")
    stored = pending.load(request.user.pk, token)
    form = ConfirmForm(request.POST)
    valid = stored and form.is_valid()
    link_base = form.cleaned_data["link_base"] if valid else ""
    if not valid or form.cleaned_data["digest"] != _digest(stored.text, link_base):
        messages.error(
            request, gettext("That preview has expired (or was replaced); upload it again.")
        )
        return redirect("admin:bibliography_paper_import_bibtex")
    skip_invalid = form.cleaned_data["skip_invalid"]
    source = Source(stored.name, stored.text)
    try:
        with transaction.atomic():
            plan = _plan(request, source, link_base)
            result = apply_plan(plan, skip_invalid=skip_invalid)
    except ImportRefused as error:
        messages.error(
            request,
            gettext("%(error)s. Tick the box to import the other entries.") % {"error": error},
        )
        confirm = ConfirmForm(
            initial={"digest": form.cleaned_data["digest"], "link_base": link_base}
        )
        return TemplateResponse(
            request, template, {**context, "plan": plan, "confirm_form": confirm, "source": source}
        )
    except (SourceError, DatabaseError) as error:
        messages.error(request, gettext("Nothing was imported: %(error)s") % {"error": error})
        return redirect("admin:bibliography_paper_import_bibtex")
    _forget_pending(request)
    messages.success(
        request,
        gettext("BibTeX imported from %(source)s: %(summary)s.")
        % {"source": source.name, "summary": result.summary()},
    )
    if model_admin.has_view_or_change_permission(request):
        return redirect(reverse("admin:bibliography_paper_changelist"))
    return redirect("admin:bibliography_paper_import_bibtex")  # an add-only editor's page
