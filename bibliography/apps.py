from django.apps import AppConfig


class BibliographyConfig(AppConfig):
    """The one app: papers, authors, venues, awards, their pages and citations."""

    name = "bibliography"
    verbose_name = "Bibliography"

    def ready(self):
        # caching connects the data-version bump to every database connection; checks
        # registers the checks of the stored data (manage.py check --database default).
        from bibliography import caching, checks  # noqa: F401
