from django.apps import AppConfig


class BibliographyConfig(AppConfig):
    """The one app: papers, authors, venues, awards, their pages and citations."""

    name = "bibliography"
    verbose_name = "Bibliography"
