from django.apps import AppConfig


class BibliographyConfig(AppConfig):
    """The one app: papers, authors, venues, awards, their pages and citations."""

    name = "bibliography"
    verbose_name = "Bibliography"

    def ready(self):
        # caching connects the data-version bump to every database connection (see caching.py);
        # security registers the deploy check on TRUSTED_PROXY_COUNT.
        from bibliography import caching, security  # noqa: F401
