"""System checks on the data already stored (`manage.py check --database default`, and
every `migrate`): values that the forms and the importer refuse today but older code let in."""

import re

from django.apps import apps
from django.core import checks
from django.db import DatabaseError, connections
from django.db.models import Q

from bibliography.models import WEB_URL_SCHEMES, WebURLField

# What a shown link may start with (the rest of validate_web_url is about form, not safety).
_SAFE_URL_START = r"^(" + "|".join(WEB_URL_SCHEMES) + r")://"
# Enough rows to act on; a check that listed 100,000 papers would help nobody.
MAX_REPORTED = 20


@checks.register(checks.Tags.database)
def check_stored_urls(app_configs=None, databases=None, **kwargs):
    """Warn about each stored link that is not an http(s) address (`javascript:`, `data:`...).

    Pages, feeds, meta tags and exports carry these links; the admin form refuses such a
    value, so opening the record and saving it with a web address (or none) mends it.
    """
    messages = []
    for alias in databases or ():
        for model in apps.get_app_config("bibliography").get_models():
            url_fields = [f.name for f in model._meta.fields if isinstance(f, WebURLField)]
            if not url_fields:
                continue
            unsafe = Q()
            for name in url_fields:
                unsafe |= ~Q(**{name: ""}) & ~Q(**{f"{name}__iregex": _SAFE_URL_START})
            try:
                if model._meta.db_table not in connections[alias].introspection.table_names():
                    continue  # not migrated yet: nothing stored
                rows = list(
                    model._default_manager.using(alias)
                    .filter(unsafe)
                    .order_by("pk")
                    .values_list("pk", *url_fields)[: MAX_REPORTED + 1]
                )
            except DatabaseError:
                continue  # the database is not there yet; migrate reports that itself
            for pk, *values in rows[:MAX_REPORTED]:
                bad = [
                    f"{name} {value[:60]!r}"
                    for name, value in zip(url_fields, values, strict=True)
                    if value and not re.match(_SAFE_URL_START, value, re.IGNORECASE)
                ]
                messages.append(
                    checks.Warning(
                        f"{model._meta.verbose_name} {pk} has a link that is not an http(s) "
                        f"address: {', '.join(bad)}.",
                        hint="Edit it in the admin and give a web address (or none).",
                        obj=f"{model._meta.label} {pk} (database {alias!r})",
                        id="bibliography.W002",
                    )
                )
            if len(rows) > MAX_REPORTED:
                messages.append(
                    checks.Warning(
                        f"More {model._meta.verbose_name_plural} have such links; only the "
                        f"first {MAX_REPORTED} are listed.",
                        obj=f"{model._meta.label} (database {alias!r})",
                        id="bibliography.W002",
                    )
                )
    return messages
