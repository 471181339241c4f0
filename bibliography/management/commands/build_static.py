"""`manage.py build_static OUT/ [--base-url URL]`: the public site as plain files in OUT
(bibliography/static_build.py), rewriting only what changed since the last build."""

from django.core.management.base import BaseCommand, CommandError

from bibliography.static_build import BuildError, build_static


class Command(BaseCommand):
    help = (
        "Render the public site (every page, the exports, feed, sitemap and hashed static "
        "files) into OUT, for a server that only serves files, e.g. GitHub Pages. A rebuild "
        "renders only the pages whose data changed and writes only the files that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Directory to write the site into (made if missing).")
        parser.add_argument(
            "--base-url",
            default="http://localhost/",
            help="Where the files will be served from, e.g. https://user.github.io/repo/ "
            "(its path prefixes every link; the feed and sitemap use it whole).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Render every page again, not only those whose data changed (after a "
            "change of settings that pages show).",
        )

    def handle(self, *args, **options):
        try:
            report = build_static(options["out"], options["base_url"], full=options["full"])
        except BuildError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Static site in {options['out']}: {report.summary()}.")
