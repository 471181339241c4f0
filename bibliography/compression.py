"""Public HTML sent gzip-compressed, and nothing that carries a secret (BREACH).

A compressed response whose body holds a secret next to text an attacker chooses (a search
term echoed in the page) leaks the secret through its length. Public pages hold none: no
CSRF token, no user, no message. So only responses to anonymous visitors that set no cookie,
used no CSRF token, are HTML and lie outside the admin are compressed; the admin and the
login page never are. Static files are compressed ahead of time by whitenoise.
"""

from django.middleware.gzip import GZipMiddleware


class PublicPageGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if is_public_html(request, response):
            return super().process_response(request, response)
        return response


def is_public_html(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not request.path.startswith("/admin/")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token is in the page
        and not response.cookies
        and not (user is not None and user.is_authenticated)
    )
