"""Settings the benchmark serves the site with: production-like, plain HTTP on 127.0.0.1.

It adds one URL, /bench/reference/, a tiny template with no database work: the yardstick
every page's throughput is compared with. It exists only under these settings.
"""

from site_config.settings import *  # noqa: F403
from site_config.settings import BASE_DIR, TEMPLATES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
# Keep connections between requests, as a production deployment does.
for database in DATABASES.values():  # noqa: F405
    database["CONN_MAX_AGE"] = 600
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
PAGE_CACHE_STATUS_HEADER = True  # X-Cache: hit|miss, counted by bench/distinct.py
