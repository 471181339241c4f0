"""Settings for the bibliography site, read from the environment.

Every variable is listed with its default in `.env.example`. The defaults give a
development site on a SQLite file in the project; production overrides live in
`site_config/production.py`.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; accepts 1/0, true/false, yes/no, on/off."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_number(name: str, default: str, kind: type = int):
    """Read a number; a value that is not one stops start-up with the variable's name."""
    value = os.environ.get(name, "").strip() or default
    try:
        return kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated variable into a list, dropping empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# scheme://host[:port], the host a name, an IPv4 address or a bracketed IPv6 address.
_ORIGIN = re.compile(r"^https?://([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$")


def env_origins(name: str) -> list[str]:
    """Read a comma-separated list of web origins (`https://dept.example.edu`, with a port
    when it is not the scheme's). They are written into response headers, so anything else
    (a path, a wildcard, a `;`) stops start-up with the variable's name."""
    origins = [origin.lower().rstrip("/") for origin in env_list(name, "")]
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise ImproperlyConfigured(
                f"{name}: {origin!r} is not an origin such as https://dept.example.edu "
                f"(scheme, host and an optional port; no path, no wildcard)."
            )
    return origins


DEBUG = env_bool("DEBUG", True)
# The development key is only ever used with DEBUG on; production.py refuses to start without
# a real SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-development-only-key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # intcomma: counts written as the visitor's language writes numbers (1,234 / 1.234).
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "bibliography",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but for the security headers: compresses what every later middleware wrote.
    "bibliography.compression.PublicPageGZipMiddleware",
    "bibliography.security.SecurityHeadersMiddleware",
    "bibliography.security.UncountedProxyWarningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language: the switcher's cookie, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bibliography.routers.ReplicaReadsMiddleware",
    # Needs the user, and must answer before the CSRF check (a view hook) reads the body.
    "bibliography.security.ImportUploadGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site_config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bibliography.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "site_config.wsgi.application"
ASGI_APPLICATION = "site_config.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Reads of public pages may go to a PostgreSQL streaming replica (bibliography/routers.py);
# the admin and every write use the primary, DATABASE_URL.
if replica_url := os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # The test run has one database; the replica alias reads it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["bibliography.routers.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The list's order indexes include the columns their sort key is made of, which PostgreSQL
# needs to read a page's ids from the index alone; SQLite builds them without (models.Paper).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Rendered pages and citations (bibliography/caching.py). By default in each worker's memory,
# least recently used first out: Django's default keeps 300 entries, and a crawler walking the
# paper pages pushed the list page out within seconds (at 100,000 papers rendering it again
# costs about a second; a list page is 50-200 KB, a paper page ~12 KB). With several workers
# or machines, CACHE_URL=redis://host:port/db gives them one shared cache instead.


def cache_settings(url: str, key_prefix: str, max_entries: int) -> dict:
    """The default cache for CACHE_URL: empty for local memory, or a Redis URL."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if url.split("://", 1)[0] in {"redis", "rediss", "unix"}:
        # Redis evicts by its own maxmemory-policy (allkeys-lru): MAX_ENTRIES does not apply.
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must be empty (local memory) or a redis://, rediss:// or unix:// URL,"
        f" not {url!r}."
    )


CACHES = {
    "default": cache_settings(
        os.environ.get("CACHE_URL", "").strip(),
        os.environ.get("CACHE_KEY_PREFIX", "bibliography"),
        env_number("CACHE_MAX_ENTRIES", "2000"),
    )
}

# Full-text search (bibliography/search.py) uses PostgreSQL's; SQLite keeps a simpler match.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
    # A random page read costs little more than a sequential one on an SSD or from the cache.
    # PostgreSQL's default (4) assumes spinning disks: for a common search word it read every
    # paper's search document (0.6 s at 100,000 papers) rather than the GIN index (0.2 s).
    for database in DATABASES.values():
        database.setdefault("OPTIONS", {}).setdefault("options", "-c random_page_cost=1.1")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages the site speaks (README, "Languages"): each needs locale/<code>/LC_MESSAGES.
# A visitor gets the one the footer's switcher chose (a cookie), else the first of their
# browser's Accept-Language that is here, else LANGUAGE_CODE. The URLs stay the same in
# every language; the page cache keys each page on its language (bibliography/caching.py).
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en").strip() or "en"
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language cookie lives as long as a year, is sent only to this site, and scripts
# have no use for it.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files editors upload (hosted PDFs, slides, preview images, photos; bibliography/uploads.py).
# They go through STORAGES["default"]: a deployment can point it at object storage (e.g.
# django-storages' S3 backend) instead; see the README's "Uploaded files".
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "").strip() or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The largest file an editor may upload, in bytes (50 MB).
UPLOAD_MAX_BYTES = env_number("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024))
# Show each paper's preview image in the lists (off: a plain text list).
SITE_THUMBNAILS = env_bool("SITE_THUMBNAILS", False)
# Render a paper's citations (BibTeX, RIS, CSL-JSON, the four styles) as it is saved in the
# admin or imported, rather than on its first view (bibliography/citations/entry_cache.py).
CITATIONS_RENDER_ON_WRITE = env_bool("CITATIONS_RENDER_ON_WRITE", True)
# Set only by `manage.py build_static` (bibliography/static_build.py) while it renders: lists
# on one page (a file server cannot answer ?page=2) and the home page's in-browser filter.
STATIC_BUILD = False
# `loaddata seed` finds the seed works (fixtures/seed.json, see fixtures/README.md).
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# What the pages call the site; empty: made from the site owners' names (the Author records
# with the site-owner flag), "Stella Biderman: publications" (bibliography/site_title.py).
SITE_TITLE = os.environ.get("SITE_TITLE", "").strip()

# Security headers, in development too, so the browser tests run under the production policy.
# No 'unsafe-inline' anywhere: scripts and styles come from our static files only (the admin
# of Django 5.2 works under this policy too, see tests/test_security.py).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features no page here uses are off for the site and anything it could embed;
# interest-cohort and browsing-topics keep visitors out of the browsers' ad-interest groups.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Only editors have sessions (the public pages set no cookie). An admin session ends after
# SESSION_IDLE_MINUTES without a request; each request starts the count again.
SESSION_COOKIE_AGE = env_number("SESSION_IDLE_MINUTES", "120") * 60
SESSION_SAVE_EVERY_REQUEST = True
# The site's only login is the admin's: anything asking for one goes there, and back to it.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Password guessing (bibliography/security.py): django-axes locks a user name out from one
# address after LOGIN_FAILURE_LIMIT failed logins, and an address out for every user name
# after LOGIN_ADDRESS_FAILURE_LIMIT (password spraying), for LOGIN_LOCKOUT_HOURS; 429 with
# Retry-After.
AUTHENTICATION_BACKENDS = [
    # Needs the request: in tests log in with client.force_login, not client.login.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_number("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = env_number("LOGIN_LOCKOUT_HOURS", "1", float)
LOGIN_ADDRESS_FAILURE_LIMIT = env_number("LOGIN_ADDRESS_FAILURE_LIMIT", "20")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "bibliography.security.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bibliography.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "bibliography.security.client_ip"
# How many reverse proxies that append to X-Forwarded-For stand in front of the site (0: none,
# the header is ignored). Decides which address login throttling counts. Unset, it is 0 and
# `check --deploy` asks for it: behind a proxy every visitor would otherwise look like the
# proxy, and a stranger's wrong passwords lock the owner out.
TRUSTED_PROXY_COUNT = env_number("TRUSTED_PROXY_COUNT", "0")
TRUSTED_PROXY_COUNT_STATED = bool(os.environ.get("TRUSTED_PROXY_COUNT", "").strip())

# --- BibTeX import (bibliography/importing/; the README's "Security" says who may do what) ---
# The largest .bib file `manage.py import_bibtex` reads, in bytes.
BIBTEX_IMPORT_MAX_BYTES = env_number("BIBTEX_IMPORT_MAX_BYTES", str(20 * 1024 * 1024))
# What the admin's import page takes: files it previews and imports well within a web
# worker's 30 s timeout (larger ones are sent to the command), in bytes, in entries and in
# author names on the papers it creates (each a byline to write, often a new author).
BIBTEX_IMPORT_WEB_MAX_BYTES = env_number("BIBTEX_IMPORT_WEB_MAX_BYTES", str(2 * 1024 * 1024))
BIBTEX_IMPORT_WEB_MAX_ENTRIES = env_number("BIBTEX_IMPORT_WEB_MAX_ENTRIES", "5000")
BIBTEX_IMPORT_WEB_MAX_NAMES = env_number("BIBTEX_IMPORT_WEB_MAX_NAMES", "20000")
# The longest value an @string macro or a field may expand to, in characters.
BIBTEX_IMPORT_MAX_FIELD_CHARS = env_number("BIBTEX_IMPORT_MAX_FIELD_CHARS", "100000")
# Where a previewed upload waits for its confirmation (one file per user), and for how long.
BIBTEX_IMPORT_PENDING_DIR = Path(
    os.environ.get("BIBTEX_IMPORT_PENDING_DIR", "").strip() or BASE_DIR / "var" / "pending-imports"
)
BIBTEX_IMPORT_PENDING_SECONDS = env_number("BIBTEX_IMPORT_PENDING_SECONDS", "3600")

# Whole-list exports with entries still to write and sitemap renders one address may ask
# for, per period (s, m, h, d), before it gets 429 with Retry-After (bibliography/throttling.py);
# "off" for no limit. Counted in the default cache: per worker unless the cache is shared.
EXPORT_RATE_LIMIT = os.environ.get("EXPORT_RATE_LIMIT", "").strip() or "30/10m"

# --- Publishing elsewhere (the README's "Read API" and "Embed") ---
# Web pages from these origins may read the JSON API from their scripts (CORS); none by
# default. Comma-separated, e.g. https://dept.example.edu,https://lab.example.org
API_CORS_ORIGINS = env_origins("API_CORS_ORIGINS")
# API responses one address may make the site compute (a page not in the cache), per period
# (bibliography/throttling.py); "off" for no limit.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "").strip() or "300/10m"
# Pages from these origins may show /embed/ in a frame (Content-Security-Policy
# frame-ancestors); none by default, and every other page refuses to be framed anywhere.
EMBED_ALLOWED_ORIGINS = env_origins("EMBED_ALLOWED_ORIGINS")
# The longest list /papers.pdf and /papers.tex write (a longer one is refused: narrow it).
PUBLICATION_LIST_MAX_PAPERS = env_number("PUBLICATION_LIST_MAX_PAPERS", "2000")
