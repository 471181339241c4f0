"""`manage.py load_seed`: load the seed works once, never over an editor's changes."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bibliography.citations import entry_cache
from bibliography.models import Paper


class Command(BaseCommand):
    help = (
        "Load fixtures/seed.json when the bibliography has no papers yet. `make run` calls it on "
        "every start, so it must neither duplicate the seed nor undo edits made in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the seed even over existing papers (seed records are reset to the seed).",
        )

    def handle(self, *args, force=False, **options):
        if Paper.objects.exists() and not force:
            self.stdout.write("The bibliography already has papers: seed not loaded (--force).")
            return
        call_command("loaddata", "seed", verbosity=0)
        # loaddata is no admin save: render the citations now, not on a visitor's first view.
        entry_cache.store_after_commit(Paper.objects.values_list("pk", flat=True))
        self.stdout.write(self.style.SUCCESS(f"Seed loaded: {Paper.objects.count()} papers."))
