"""BibTeX import: several files read as one library, planned, then applied at once.

    sources = [Source(name, text), ...]           # or sources_from_paths(paths)
    plan = prepare_import(sources)                # what each entry would do, and why
    result = apply_plan(plan, skip_invalid=False) # all or nothing by default

Modules, one job each: sources (reading files safely), parsing (blocks, macros,
crossref), latex (LaTeX to Unicode), names (BibTeX names), mapping (entry to
Paper fields), planning (duplicates and the plan), applying (bulk writes).
"""

from pathlib import Path

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext, ngettext

from bibliography.importing.applying import ImportRefused, ImportResult, apply_plan
from bibliography.importing.parsing import Source, parse_sources
from bibliography.importing.planning import (
    ACTIONS,
    CREATE,
    ERROR,
    SKIP,
    UPDATE,
    ImportPermissions,
    ImportPlan,
    PlanItem,
    build_plan,
)
from bibliography.importing.site_fields import check_link_base
from bibliography.importing.sources import (
    SourceError,
    WorkLimits,
    decode_bytes,
    nul_character,
    read_file,
)
from bibliography.importing.splitting import count_entries


def sources_from_paths(paths) -> list[Source]:
    """Read each file (size limit, encoding fallback); SourceError names the first bad one."""
    sources = []
    for path in paths:
        text, notes = read_file(path)
        sources.append(Source(name=str(path), text=text, notes=notes))
    return sources


def prepare_import(
    sources: list[Source],
    *,
    progress=None,
    permissions: ImportPermissions | None = None,
    limits: WorkLimits | None = None,
    with_crossref_parents: bool = False,
    link_base: str = "",
    preview_dir: Path | None = None,
) -> ImportPlan:
    """Parse the sources as one library and plan the import against the database.

    Raises SourceError for a source that is not BibTeX at all, or that asks for more work
    than `limits` allow (none by default). `progress`, if given, wraps the list of entries
    (e.g. a tqdm bar) while they are mapped and planned. `permissions` are the importing
    user's (all, by default). A `@proceedings` or `@book` that only gives its fields to the
    entries that crossref it is left out unless `with_crossref_parents`. `link_base` is the
    address of the site a file comes from, for the paths al-folio writes (`pdf={paper.pdf}`);
    `preview_dir` the folder its `preview` images are read from (al-folio's
    assets/img/publication_preview/).
    """
    for source in sources:
        if "\x00" in source.text:
            # Files are refused when read (decode_bytes); this guards text from anywhere else.
            raise SourceError(nul_character(source.name))
    if limits is not None:
        found = 0
        for source in sources:
            found += count_entries(source.text, stop_after=limits.entries - found)
            if found > limits.entries:
                raise limits.refuse(
                    gettext("%(name)s holds more than %(limit)s entries")
                    % {"name": source.name, "limit": intcomma(limits.entries)},
                    limits.entries,
                    limits.entries_setting,
                )
    library = parse_sources(sources)
    notes = [note for source in sources for note in source.notes]
    for source in sources:
        if not source.text.strip():
            notes.append(gettext("%(name)s is empty.") % {"name": source.name})
        elif library.block_counts[source.name] == 0:
            raise SourceError(
                gettext("%(name)s is not BibTeX: it holds no @entry, @string or @comment block.")
                % {"name": source.name}
            )
    if progress is not None:
        library.entries = progress(library.entries)
    plan = build_plan(
        library,
        permissions=permissions,
        with_crossref_parents=with_crossref_parents,
        link_base=link_base,
        preview_dir=preview_dir,
    )
    plan.notes = notes
    if limits is not None and (names := plan.new_bylines) > limits.names:
        raise limits.refuse(
            ngettext(
                "The new papers name %(count)s authors",
                "The new papers name %(count)s authors",
                names,
            )
            % {"count": intcomma(names)},
            limits.names,
            limits.names_setting,
        )
    return plan


__all__ = [
    "ACTIONS",
    "CREATE",
    "ERROR",
    "SKIP",
    "UPDATE",
    "ImportPermissions",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "PlanItem",
    "Source",
    "SourceError",
    "WorkLimits",
    "apply_plan",
    "check_link_base",
    "decode_bytes",
    "prepare_import",
    "sources_from_paths",
]
