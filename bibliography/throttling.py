"""The limits on costly anonymous requests: list exports with entries to write and sitemap
renders (EXPORT_RATE_LIMIT), and API pages not in the cache (API_RATE_LIMIT).

Exports and the sitemap are served from stored output (`citations/entry_cache.py`,
`sitemaps.py`), API pages from the page cache (`caching.py`); what an address can still make
a worker do is write what is not stored yet. Each address (as `security.client_ip` sees it,
behind TRUSTED_PROXY_COUNT proxies) may make so many such requests per limit, e.g. "30/10m"
(30 per 10 minutes); the next one answers 429 with `Retry-After` until the window ends.
Requests served from storage alone are never counted, nor refused.

The counts live in Django's default cache: per worker with the local-memory cache (each
of N workers allows the limit), across workers and machines with a shared cache.
"""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.translation import gettext

from bibliography.errors import render_error
from bibliography.security import client_ip

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(value: str, setting: str = "EXPORT_RATE_LIMIT") -> tuple[int, int] | None:
    """ "30/10m" -> (30, 600): requests allowed per window of seconds; "off" -> None."""
    if value.strip().lower() in ("off", "none", "0"):
        return None
    match = _RATE_RE.match(value)
    if not match or int(match[1]) == 0 or match[2] == "0":
        raise ImproperlyConfigured(
            f"{setting} must look like 30/10m (requests / period in s, m, h or d), "
            f"or off; not {value!r}."
        )
    return int(match[1]), int(match[2] or 1) * _UNIT_SECONDS[match[3]]


def seconds_to_wait(request, setting: str = "EXPORT_RATE_LIMIT") -> int | None:
    """Count one costly request from the request's address against the limit named by
    `setting` (each limit counts on its own): None while it is within the limit, else the
    seconds until the address may ask again."""
    rate = parse_rate(getattr(settings, setting), setting)
    if rate is None:
        return None
    limit, window = rate
    now = int(time.time())
    window_start = now - now % window
    address = client_ip(request) or "unknown"
    key = f"costly-requests:{setting}:{window}:{window_start}:{address}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count <= limit:
        return None
    return max(1, window_start + window - now)


def count_costly_request(request) -> HttpResponse | None:
    """Count one costly export or sitemap request from the request's address: None while it
    is within EXPORT_RATE_LIMIT, else the 429 response to send instead."""
    wait = seconds_to_wait(request)
    if wait is None:
        return None
    response = render_error(
        "429.html", 429, gettext("Too many downloads from your address. Please try again later.")
    )
    response["Retry-After"] = str(wait)
    return response


# A malformed setting stops start-up (`manage.py check`, the first request) with its name.
parse_rate(settings.EXPORT_RATE_LIMIT)
parse_rate(settings.API_RATE_LIMIT, "API_RATE_LIMIT")
