"""`manage.py export_bibtex [--output FILE] [filters]`: the published papers as one .bib file.

The filters are the public list's (`bibliography.filters`), so `--year 2022 --venue tacl`
exports what `/?year=2022&venue=tacl` lists. A value the list would quietly ignore is an
error here: a script should not get a different file than it asked for.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.datastructures import MultiValueDict

from bibliography.citations import entry_cache
from bibliography.filters import SORT_CHOICES, filter_papers
from bibliography.models import Paper, Venue

# Command option -> the list's query parameter, each repeatable.
FILTER_OPTIONS = {
    "year": "Only papers of this year (repeat for several).",
    "venue": "Only papers at this venue, by its slug (repeat for several).",
    "kind": "Only papers at venues of this kind: " + ", ".join(Venue.Kind.values) + ".",
    "author": "Only papers by this author, by slug (repeat for several).",
    "award": "Only papers with this award, by slug (repeat for several).",
    "type": "Only this entry type: " + ", ".join(Paper.EntryType.values) + ".",
}


class Command(BaseCommand):
    help = (
        "Write the published papers as BibTeX (UTF-8, or --ascii for LaTeX accents), "
        "filtered like the public list, to --output FILE or standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        for name, help_text in FILTER_OPTIONS.items():
            parser.add_argument(f"--{name}", action="append", default=[], help=help_text)
        parser.add_argument("--year-from", help="Only papers from this year on.")
        parser.add_argument("--year-to", help="Only papers up to this year.")
        parser.add_argument("--search", help="Only papers matching this search, as the list's box.")
        parser.add_argument(
            "--sort",
            choices=[key for key, _ in SORT_CHOICES],
            help="Order of the entries (default: newest first).",
        )
        parser.add_argument(
            "--ascii", action="store_true", help='Write LaTeX accents ({\\"o}) instead of UTF-8.'
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite --output if the file exists."
        )

    def handle(self, *args, output, ascii, force, **options):
        params = MultiValueDict()
        for name in FILTER_OPTIONS:
            params.setlist(name, options[name])
        for option, param in (("year_from", "year_from"), ("year_to", "year_to")):
            if options[option]:
                params[param] = options[option]
        if options["search"]:
            params["q"] = options["search"]
        if options["sort"]:
            params["sort"] = options["sort"]
        papers, filterset = filter_papers(params)
        problems = filterset.notices()
        if problems:
            raise CommandError("Nothing was written. " + " ".join(problems))

        target = Path(output) if output else None
        if target is not None:
            if target.is_dir():
                raise CommandError(f"--output {output} is a directory; name a file.")
            if not target.parent.exists():
                raise CommandError(f"--output: the folder {target.parent} does not exist.")
            if target.exists() and not force:
                raise CommandError(f"{output} exists; pass --force to overwrite it.")

        list_file = entry_cache.BIBTEX_ASCII_FILE if ascii else entry_cache.BIBTEX_FILE
        entries = entry_cache.iter_list(papers, list_file)
        count = 0
        try:
            stream = target.open("w", encoding="utf-8", newline="\n") if target else None
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
        try:
            for text in entries:
                if stream:
                    stream.write(text)
                else:
                    self.stdout.write(text, ending="")
                count += 1
        finally:
            if stream:
                stream.close()
        if target is not None:
            self.stdout.write(f"Wrote {count} entr{'y' if count == 1 else 'ies'} to {output}.")
        elif count == 0:
            self.stderr.write("No published paper matches these filters.")
