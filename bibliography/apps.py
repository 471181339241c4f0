from django.apps import AppConfig


class BibliographyConfig(AppConfig):
    """The one app: papers, authors, venues, awards, their pages and citations."""

    name = "bibliography"
    verbose_name = "Bibliography"

    def ready(self):
        # Connects the data-version bump to every database connection (see caching.py).
        from bibliography import caching  # noqa: F401
