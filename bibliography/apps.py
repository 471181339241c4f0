from django.apps import AppConfig


class BibliographyConfig(AppConfig):
    """The one app: papers, authors, venues, awards, their pages and citations."""

    name = "bibliography"
    verbose_name = "Bibliography"

    def ready(self):
        # Connect the data-version bump to every database connection (caching.py) and
        # the search document's refresh to the saves that change it (search.py).
        from bibliography import caching, search  # noqa: F401
