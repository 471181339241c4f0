"""Security headers Django 5.2 does not set itself, login throttling, and the guard on the
import page's uploads.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy (and HSTS over HTTPS), and XFrameOptionsMiddleware sends
X-Frame-Options; the Content-Security-Policy and the Permissions-Policy are ours because 5.2
has neither built in. No page may be framed, but the embed (`/embed/`), which the origins
the owner lists may frame (`frameable_by_embedders`).

Login throttling is django-axes with two limits (settings.py): LOGIN_FAILURE_LIMIT wrong
passwords for one user name from one address, and LOGIN_ADDRESS_FAILURE_LIMIT from one
address over all user names (password spraying). Both last LOGIN_LOCKOUT_HOURS and are
counted per client address, `client_ip()`, so a stranger never locks out the owner at
another address, as long as TRUSTED_PROXY_COUNT says how many proxies stand in front.
"""

import logging
from functools import wraps

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.core.exceptions import MiddlewareNotUsed, PermissionDenied
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse

from bibliography.models import Paper

logger = logging.getLogger(__name__)

# The admin page whose POSTs carry whole .bib files (bibliography/importing/admin_views.py).
IMPORT_URL_NAME = "admin:bibliography_paper_import_bibtex"


def build_policy(directives: dict[str, list[str]]) -> str:
    """`{"default-src": ["'self'"], ...}` -> "default-src 'self'; ..." (a directive with no
    sources, such as upgrade-insecure-requests, is written alone)."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def build_permissions_policy(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> "camera=(), fullscreen=(self)"."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class SecurityHeadersMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` and `settings.PERMISSIONS_POLICY` to every
    response that has none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(settings.CONTENT_SECURITY_POLICY)
        self.permissions = build_permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        # Django's debug error pages (DEBUG only, never in production) are built on inline
        # styles and scripts; under the policy they would be unreadable.
        if settings.DEBUG and response.status_code >= 400:
            return response
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def frameable_by_embedders(view):
    """Lets the pages of settings.EMBED_ALLOWED_ORIGINS show `view`'s responses in a frame:
    its Content-Security-Policy is the site's with those origins as `frame-ancestors`, and
    X-Frame-Options (which can only say DENY or SAMEORIGIN) is left off. With no origin
    listed nothing changes: DENY and frame-ancestors 'none', as on every other page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = settings.EMBED_ALLOWED_ORIGINS
        if origins:
            policy = {**settings.CONTENT_SECURITY_POLICY, "frame-ancestors": origins}
            response["Content-Security-Policy"] = build_policy(policy)
            response.xframe_options_exempt = True
        return response

    return wrapped


class ImportUploadGateMiddleware:
    """Answers a POST to the BibTeX import page from someone who may not import (the login
    page for a visitor, 403 for staff without "add paper") before anything reads its body.

    The import page refuses an oversized upload from its Content-Length alone, ahead of the
    CSRF check that would read the whole body; but that wrapper stands outside the admin's
    login check, so a stranger could make the server read (or refuse) uploads. This runs
    first, with the admin's own permission checks; the size refusal then only ever answers
    an editor who may import.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse(IMPORT_URL_NAME):
            if not admin.site.has_permission(request):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not admin.site.get_model_admin(Paper).has_add_permission(request):
                raise PermissionDenied
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The visitor's address, for django-axes (AXES_CLIENT_IP_CALLABLE).

    Behind TRUSTED_PROXY_COUNT reverse proxies it is that many places from the right of
    X-Forwarded-For: each proxy appends the address it saw, so the entries a client forges
    itself stay on the left. With no proxy configured the header is ignored entirely.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


class UncountedProxyWarningMiddleware:
    """Logs a warning, once per process, when a request arrives with X-Forwarded-For while
    TRUSTED_PROXY_COUNT is 0: behind a proxy every visitor then has the proxy's address, and
    a stranger's wrong passwords lock everyone out. (A client may send the header itself, so
    this can only warn; the operator says how many proxies there are.)"""

    def __init__(self, get_response):
        if settings.TRUSTED_PROXY_COUNT:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.warned = False

    def __call__(self, request):
        if not self.warned and "HTTP_X_FORWARDED_FOR" in request.META:
            self.warned = True
            logger.warning(
                "A request from %s came with X-Forwarded-For but TRUSTED_PROXY_COUNT is 0 "
                "(or unset): login throttling counts that address for every visitor behind "
                "it. If the site is behind a reverse proxy, set TRUSTED_PROXY_COUNT (1 for "
                "one proxy).",
                request.META.get("REMOTE_ADDR"),
            )
        return self.get_response(request)


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, **kwargs):
    """`check --deploy` (run by `make serve`) asks for TRUSTED_PROXY_COUNT to be set: behind
    a proxy, leaving it out makes every visitor one address to login throttling."""
    if settings.TRUSTED_PROXY_COUNT_STATED:
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXY_COUNT is not set.",
            hint=(
                "Set it in the environment to the number of reverse proxies in front of the "
                "site that append to X-Forwarded-For: 1 behind nginx or Caddy, 0 when clients "
                "connect to gunicorn directly. Otherwise a stranger's wrong passwords can lock "
                "the owner out, as every visitor looks like the proxy."
            ),
            id="bibliography.W001",
        )
    ]


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER) with a second limit per address.

    Axes locks a (user name, address) pair after AXES_FAILURE_LIMIT failures. A sprayer who
    tries one password on many user names never reaches that, so the failures from one
    address over all user names are counted too, against the higher
    LOGIN_ADDRESS_FAILURE_LIMIT, within the same cool-off. Both count the attempts axes
    already records; nothing else is stored.
    """

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_is_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (
            request is not None
            and not self.is_whitelisted(request, credentials)
            and self.address_is_locked(request)
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def address_is_locked(self, request) -> bool:
        """True when the request's address has LOGIN_ADDRESS_FAILURE_LIMIT recent failures."""
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        failures = recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
        return failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429 with Retry-After, the
    seconds until the cool-off ends (each failure during a lockout starts it again)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_failure_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "cooloff_timedelta": cool_off,
    }
    response = render(request, "lockout.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
