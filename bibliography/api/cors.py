"""Cross-origin reads of the API (CORS) by pages of the origins in settings.API_CORS_ORIGINS.

Only reads, never with credentials (the API is public data and sets no cookie): a listed
origin gets `Access-Control-Allow-Origin` naming it, and its preflight (OPTIONS, sent when a
script adds a header such as If-None-Match) the methods and headers it may use. Any other
origin gets no CORS header, so its browser keeps the response from its script. Every API
response says `Vary: Origin`, since the header differs by the asking origin.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# What a script may send: If-None-Match for its cached copy's ETag.
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since"
# What a script may read beyond the safelisted headers.
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"
# A day: the preflight answer only changes with the settings.
PREFLIGHT_MAX_AGE = str(24 * 60 * 60)


def listed_origin(request) -> str | None:
    """The request's Origin when it is one of API_CORS_ORIGINS, else None."""
    origin = request.headers.get("Origin", "").lower()
    return origin if origin and origin in settings.API_CORS_ORIGINS else None


def with_cors_headers(request, response):
    origin = listed_origin(request)
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    patch_vary_headers(response, ["Origin"])
    return response


def preflight_response(request) -> HttpResponse:
    """The answer to OPTIONS: 204, with the permissions when the origin is listed."""
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    if listed_origin(request):
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return with_cors_headers(request, response)
