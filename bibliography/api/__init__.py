"""The read API, version 1 (`/api/v1/`): the public data as JSON, for other sites' scripts,
the embed and a static build.

`representations.py` turns model objects into the JSON objects (the one place that says
what a paper, an author, a venue, an award or a topic looks like outside the site's pages),
`openapi.py` describes them and the parameters (served at `/api/v1/openapi.json`),
`views.py` answers the requests: the list's own filters (`filters.py`), the page cache and
conditional GETs (`caching.py`), the cost limit (`throttling.py`) and CORS (`cors.py`).

Written on Django alone rather than with Django REST framework or django-ninja: the API is
read-only, its filtering must be the list's FilterSet (not a framework's second parser),
its caching the data-version page cache, its rate limit the exports' one; a framework would
have brought its own of each, to be switched off, for five GET resources.
"""
