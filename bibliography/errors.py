"""Error pages (handler400 / handler500 in site_config/urls.py) and the 503 for a database outage.

These pages are rendered without the request and its context processors, and without the
database: whatever broke the page must not break its error page too. If even the template
fails, a plain-text page stands in; a visitor never sees a traceback.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext

from bibliography.site_title import DEFAULT_TITLE

logger = logging.getLogger(__name__)

# What a client or a load balancer is told to wait before trying again, in seconds.
RETRY_AFTER_SECONDS = 30


def render_error(template_name: str, status: int, fallback: str) -> HttpResponse:
    """The error page `template_name`, or `fallback` as plain text if it cannot be rendered."""
    try:
        # No database here (this may be the outage's page): the setting or the default.
        title = settings.SITE_TITLE or DEFAULT_TITLE
        body = loader.render_to_string(template_name, {"SITE_TITLE": title})
        return HttpResponse(body, status=status)
    except Exception:
        logger.exception("The %s error page could not be rendered", status)
        return HttpResponse(fallback, status=status, content_type="text/plain; charset=utf-8")


def is_database_unavailable(error: BaseException | None) -> bool:
    """True for a lost or refused database connection, also when wrapped in another error."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def database_unavailable() -> HttpResponse:
    response = render_error(
        "503.html", 503, gettext("The site is briefly unavailable. Please try again in a minute.")
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception=None):
    """400, e.g. for a request to a host name not in ALLOWED_HOSTS."""
    return render_error("400.html", 400, gettext("Bad request."))


def server_error(request):
    """500, or 503 when the cause is the database being unreachable.

    Django calls this while it handles the exception (also one raised in a middleware), so the
    exception is still sys.exc_info(). It has been logged already (django.request).
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable()
    return render_error("500.html", 500, gettext("Server error. The error has been logged."))
