from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class BibliographyConfig(AppConfig):
    """The one app: papers, authors, venues, awards, their pages and citations."""

    name = "bibliography"
    verbose_name = _("Bibliography")

    def ready(self):
        # security registers the deploy check on TRUSTED_PROXY_COUNT; checks, those of the
        # stored data (manage.py check --database default).
        from bibliography import checks, security, triggers  # noqa: F401

        # Every `migrate` (and `flush`) ends with the current triggers (see triggers.py).
        pre_migrate.connect(triggers.remove_before_migrate, sender=self)
        post_migrate.connect(triggers.install_after_migrate, sender=self)
