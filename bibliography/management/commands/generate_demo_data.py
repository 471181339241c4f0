"""`manage.py generate_demo_data --papers N [--seed S] [--clear-demo]`: bulk demo data.

The rows it makes are marked (see bibliography/demo_data.py) so that `--clear-demo` removes
them and nothing else.
"""

from django.core.management.base import BaseCommand, CommandError

from bibliography.demo_data import (
    DEMO_PREFIX,
    MAX_PAPERS,
    DemoGenerator,
    clear_demo_data,
    demo_papers,
)


class Command(BaseCommand):
    help = (
        "Generate N realistic demo papers (same seed, same data), or remove earlier demo data "
        f"with --clear-demo. Demo rows have slugs starting with '{DEMO_PREFIX}'; real papers "
        "are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--papers", type=int, help=f"How many papers to make (1 to {MAX_PAPERS:,})."
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--clear-demo",
            action="store_true",
            help="First delete the demo data an earlier run made (real papers stay).",
        )

    def handle(self, *args, papers, seed, clear_demo, **options):
        if papers is None and not clear_demo:
            raise CommandError(
                "Say how many papers to make with --papers N (or pass --clear-demo)."
            )
        if papers is not None and not 1 <= papers <= MAX_PAPERS:
            raise CommandError(f"--papers must be between 1 and {MAX_PAPERS:,}, not {papers:,}.")
        if not 0 <= seed < 2**32:
            raise CommandError(f"--seed must be between 0 and {2**32 - 1}, not {seed}.")

        if clear_demo:
            summary = clear_demo_data()
            self.stdout.write(
                f"Deleted {summary.papers:,} demo papers, {summary.authors:,} authors, "
                f"{summary.venues:,} venues and {summary.awards:,} awards."
            )
            if summary.kept:
                self.stdout.write(
                    "Kept, because real papers use them: " + ", ".join(sorted(summary.kept))
                )
        elif existing := demo_papers().count():
            raise CommandError(
                f"The database already holds {existing:,} demo papers; "
                "pass --clear-demo to replace them."
            )
        if papers is None:
            return

        self.stdout.write(f"Generating {papers:,} demo papers with seed {seed}...")
        summary = DemoGenerator(papers, seed, progress=self.stdout.write).run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {summary.papers:,} papers ({summary.drafts:,} drafts), "
                f"{summary.authors:,} authors, {summary.authorships:,} authorships, "
                f"{summary.venues:,} venues, {summary.awards:,} awards "
                f"({summary.paper_awards:,} given)."
            )
        )
