"""Security headers Django 5.2 does not set itself, and the client address for login throttling.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy (and HSTS over HTTPS), and XFrameOptionsMiddleware sends
X-Frame-Options; the Content-Security-Policy is ours because 5.2 has none built in.
"""

from django.conf import settings


def build_policy(directives: dict[str, list[str]]) -> str:
    """`{"default-src": ["'self'"], ...}` -> "default-src 'self'; ..." (a directive with no
    sources, such as upgrade-insecure-requests, is written alone)."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` to every response that has no policy of its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # Django's debug error pages (DEBUG only, never in production) are built on inline
        # styles and scripts; under the policy they would be unreadable.
        if settings.DEBUG and response.status_code >= 400:
            return response
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


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
