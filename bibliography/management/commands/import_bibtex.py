"""`manage.py import_bibtex FILE [FILE ...]`: bring .bib files into the bibliography."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from bibliography.importing import (
    ACTIONS,
    CREATE,
    ERROR,
    SKIP,
    UPDATE,
    ImportRefused,
    SourceError,
    apply_plan,
    check_link_base,
    prepare_import,
    sources_from_paths,
)

# Below this many entries a progress bar is only noise.
PROGRESS_BAR_MIN_ENTRIES = 200


class Command(BaseCommand):
    help = (
        "Import BibTeX files as one library, in the order given (@string macros and crossrefs "
        "in one file serve the next). All or nothing unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=".bib files, in load order")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the good entries and report the ones that cannot be imported.",
        )
        parser.add_argument(
            "--with-crossref-parents",
            action="store_true",
            help="Also import the @proceedings/@book entries that others crossref (by default "
            "they only give those entries their fields).",
        )
        parser.add_argument(
            "--link-base",
            default="",
            metavar="URL",
            help="The address of the site the files come from (e.g. https://you.github.io): "
            "al-folio's paths such as pdf={paper.pdf} become links under it (its "
            "/assets/pdf/paper.pdf); without it they are reported and left out.",
        )
        parser.add_argument(
            "--preview-dir",
            type=Path,
            metavar="DIR",
            help="The folder of the site's preview images (al-folio's "
            "assets/img/publication_preview/): each entry's preview={file} is stored from it "
            "(checked and resized as an upload; nothing outside DIR is read). Without it they "
            "are reported and left out.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar, even on a terminal."
        )

    def handle(
        self,
        *args,
        files,
        dry_run,
        skip_invalid,
        no_progress,
        with_crossref_parents,
        link_base,
        preview_dir,
        verbosity,
        **options,
    ):
        if refusal := check_link_base(link_base):
            raise CommandError(f"--link-base `{link_base[:80]}`: {refusal}")
        if preview_dir is not None and not preview_dir.is_dir():
            raise CommandError(f"--preview-dir {preview_dir}: not a folder")
        try:
            sources = sources_from_paths(files)
        except SourceError as error:
            raise CommandError(str(error)) from None
        for source in sources:
            for note in source.notes:
                self.stderr.write(self.style.WARNING(f"Note: {note}"))

        try:
            with transaction.atomic():
                plan = prepare_import(
                    sources,
                    progress=self._progress_bar(no_progress),
                    with_crossref_parents=with_crossref_parents,
                    link_base=link_base,
                    preview_dir=preview_dir,
                )
                self._report(plan, verbosity)
                if dry_run:
                    self._finish_dry_run(plan, skip_invalid)
                    return
                result = apply_plan(plan, skip_invalid=skip_invalid)
        except SourceError as error:
            raise CommandError(str(error)) from None
        except ImportRefused as error:
            raise CommandError(
                f"{error}. Fix the entries above, or run again with --skip-invalid to import "
                "the others."
            ) from None
        except DatabaseError as error:
            raise CommandError(
                f"The database refused the import ({error}); nothing was written."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Imported: {result.summary()}."))

    def _progress_bar(self, disabled: bool):
        """A tqdm bar on stderr for long imports, only when stderr is a terminal."""
        if disabled or not self.stderr.isatty():
            return None

        def wrap(entries):
            if len(entries) < PROGRESS_BAR_MIN_ENTRIES:
                return entries
            from tqdm import tqdm

            return tqdm(entries, desc="Planning", unit=" entries", file=self.stderr._out)

        return wrap

    def _report(self, plan, verbosity: int) -> None:
        for note in plan.notes:
            self.stderr.write(self.style.WARNING(f"Note: {note}"))
        if verbosity >= 1:
            for remark in plan.people:
                self.stdout.write(f"Author: {remark}")
        for item in plan.items:
            label = f"{item.where}: {item.action} `{item.key}`"
            if item.action == ERROR:
                self.stderr.write(self.style.ERROR(f"{label}: {item.reason}"))
            elif verbosity >= 2 or (verbosity >= 1 and item.action == UPDATE):
                self.stdout.write(f"{label}" + (f": {item.reason}" if item.reason else ""))
            for warning in item.warnings:
                self.stderr.write(self.style.WARNING(f"{item.where}: `{item.key}`: {warning}"))
            if verbosity >= 2:
                for note in item.notes:
                    self.stdout.write(f"    note: {note}")
        by_source = plan.counts_by_source()
        if len(by_source) > 1 and verbosity >= 1:
            for source, counts in by_source.items():
                self.stdout.write(f"{source}: " + self._counts_text(counts))
        if verbosity >= 1:
            self.stdout.write("Total: " + self._counts_text(plan.counts))

    @staticmethod
    def _counts_text(counts: dict) -> str:
        return ", ".join(f"{counts[action]} {action}" for action in ACTIONS)

    def _finish_dry_run(self, plan, skip_invalid: bool) -> None:
        counts = plan.counts
        if counts[ERROR] and not skip_invalid:
            raise CommandError(
                f"Dry run: {counts[ERROR]} entries cannot be imported, so a real run would "
                "write nothing (add --skip-invalid to import the others)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Dry run, nothing written: would create {counts[CREATE]}, update "
                f"{counts[UPDATE]}, skip {counts[SKIP]} duplicates, leave out {counts[ERROR]}."
            )
        )
