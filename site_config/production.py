"""Production settings: `DJANGO_SETTINGS_MODULE=site_config.production` (what `make serve` uses).

Everything in settings.py, plus: DEBUG off, a real SECRET_KEY required, HTTPS only (secure
cookies, HSTS, redirect to https), whitenoise's compressed static files with hashed names,
and logs on stderr. Every variable is in `.env.example`; the README's "Production" section
walks through them.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import BASE_DIR, MIDDLEWARE, STORAGES, env_bool, env_number

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set (or is the development key). Production needs a long random "
        "secret of its own, e.g. from: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

# HTTPS only. Behind a reverse proxy that terminates TLS, gunicorn already trusts
# X-Forwarded-Proto from 127.0.0.1 (its FORWARDED_ALLOW_IPS); for a proxy on another machine,
# set SECURE_PROXY_SSL_HEADER to the header it sets (e.g. X-Forwarded-Proto), and make sure
# the proxy overwrites that header, or a client could claim HTTPS itself.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# HSTS: browsers use only HTTPS for this host for a year. `preload` is opt-in: it asks for
# the domain (and every subdomain) to be built into browsers as HTTPS-only, which is hard to
# undo, so it is sent only when HSTS_PRELOAD says so; Django's reminder is silenced.
SECURE_HSTS_SECONDS = env_number("HSTS_SECONDS", "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# whitenoise serves the collected static files from gunicorn, right after the security headers.
MIDDLEWARE.insert(
    MIDDLEWARE.index("bibliography.security.SecurityHeadersMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
STORAGES = {
    **STORAGES,
    # collectstatic writes hashed names (site.3f2a1c.css) and gzip/brotli copies;
    # whitenoise serves them with far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
}
