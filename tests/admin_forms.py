"""The admin as a browser sees it: page names, and a page read back into the data a browser
would submit."""

from django import forms
from django.urls import reverse

PAPER_CHANGELIST = "admin:bibliography_paper_changelist"
BYLINE = "authorships"  # the inline's prefix: Authorship.paper's related name


def change_url(paper):
    return reverse("admin:bibliography_paper_change", args=[paper.pk])


def admin_form_data(response) -> dict:
    """What a browser submits from an admin form page (the model form and every inline
    formset, management forms included) when the editor changes nothing."""
    context = response.context
    page_forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        page_forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in page_forms:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(bound.field, forms.ModelMultipleChoiceField):
                data[bound.html_name] = [str(item) for item in value or ()]
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data
