"""Getting a file's text safely: a size limit, an encoding fallback, a binary sniff."""

import codecs
import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

USE_THE_COMMAND = gettext_lazy(
    "Split the file, or import it on the server with `manage.py import_bibtex FILE`, "
    "which takes larger files."
)


class SourceError(Exception):
    """A file that cannot be imported at all; the message is for the user."""


def max_bytes() -> int:
    """The largest file any import reads (the command's limit)."""
    return getattr(settings, "BIBTEX_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def web_max_bytes() -> int:
    """The largest upload the admin's import page takes: what it previews and imports well
    within a web worker's timeout (larger files go to manage.py import_bibtex)."""
    return min(max_bytes(), settings.BIBTEX_IMPORT_WEB_MAX_BYTES)


@dataclass(frozen=True)
class WorkLimits:
    """How much one import may do besides its size: its entries, counted before anything is
    parsed, and the author names on the papers it creates (each one a byline to write, and
    often a new author: the slowest part of an import)."""

    entries: int
    names: int
    # The settings that hold them, for the messages.
    entries_setting: str
    names_setting: str

    @classmethod
    def for_web(cls) -> "WorkLimits":
        """The admin page's limits: well within a web worker's timeout."""
        return cls(
            entries=settings.BIBTEX_IMPORT_WEB_MAX_ENTRIES,
            names=settings.BIBTEX_IMPORT_WEB_MAX_NAMES,
            entries_setting="BIBTEX_IMPORT_WEB_MAX_ENTRIES",
            names_setting="BIBTEX_IMPORT_WEB_MAX_NAMES",
        )

    def refuse(self, what: str, limit: int, setting: str) -> "SourceError":
        return SourceError(
            gettext("%(what)s; this page imports at most %(limit)s (setting %(setting)s).")
            % {"what": what, "limit": intcomma(limit), "setting": setting}
            + f" {USE_THE_COMMAND}"
        )


def human_size(size: int) -> str:
    """`size` in bytes, KB, MB or GB, its digits written as the active language writes them."""
    if size < 1024:
        return ngettext("%(size)s bytes", "%(size)s bytes", size) % {"size": intcomma(size)}
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{number_format(round(size, 1), decimal_pos=1)} {unit}"
    return str(size)


def check_size(name: str, size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise SourceError(
            gettext(
                "%(name)s is %(size)s; the import limit is %(limit)s "
                "(setting BIBTEX_IMPORT_MAX_BYTES)."
            )
            % {"name": name, "size": human_size(size), "limit": human_size(limit)}
        )


def check_web_size(name: str, size: int) -> None:
    """SourceError, pointing to the command, for an upload over the import page's limit."""
    limit = web_max_bytes()
    if size > limit:
        raise SourceError(
            gettext(
                "%(name)s is %(size)s; this page imports files of at most %(limit)s "
                "(setting BIBTEX_IMPORT_WEB_MAX_BYTES)."
            )
            % {"name": name, "size": human_size(size), "limit": human_size(limit)}
            + f" {USE_THE_COMMAND}"
        )


def nul_character(name: str) -> str:
    """The refusal of text that holds NUL, which PostgreSQL cannot store."""
    return gettext("%(name)s holds a NUL character; BibTeX is text.") % {"name": name}


def decode_bytes(name: str, data: bytes) -> tuple[str, list[str]]:
    """The text of `data` and notes on how it was read (BOM dropped, fallback encoding)."""
    check_size(name, len(data))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # JabRef (and Windows tools) can save UTF-16 with a byte-order mark.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SourceError(
                gettext(
                    "%(name)s starts as UTF-16 but is not valid UTF-16 (offset %(offset)s). "
                    "Save it as UTF-8 text."
                )
                % {"name": name, "offset": intcomma(error.start)}
            ) from None
        if "\x00" in text:
            raise SourceError(nul_character(name))
        return text, [
            gettext("%(name)s is UTF-16 (it starts with a byte-order mark); read it as such.")
            % {"name": name}
        ]
    # Text never holds NUL, and PostgreSQL cannot store it: refuse the whole file rather than
    # fail half-way through the import (a UTF-16 file is full of them, too).
    nul = data.find(b"\x00")
    if nul != -1:
        raise SourceError(
            gettext(
                "%(name)s is a binary file, not BibTeX text: it holds a NUL byte "
                "(offset %(offset)s). Save it as UTF-8 text."
            )
            % {"name": name, "offset": intcomma(nul)}
        )
    # After UTF-8, cp1252: real-world non-UTF-8 .bib files are nearly always Windows text.
    # It refuses a few bytes (0x81, 0x8D...) that latin-1, the last resort, accepts.
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        position = error.start
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # latin-1 gives every byte a character: it cannot fail.
        text, encoding = data.decode("latin-1"), "latin-1"
    return text, [
        gettext(
            "%(name)s is not valid UTF-8 (first bad byte at offset %(offset)s); "
            "read it as %(encoding)s. Check accented names in the result."
        )
        % {"name": name, "offset": position, "encoding": encoding}
    ]


def read_file(path) -> tuple[str, list[str]]:
    """Read a .bib file from disk, refusing it before reading when it is too large."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            check_size(name, os.fstat(handle.fileno()).st_size)
            data = handle.read(max_bytes() + 1)
    except FileNotFoundError:
        raise SourceError(gettext("%(name)s: no such file.") % {"name": name}) from None
    except IsADirectoryError:
        raise SourceError(
            gettext("%(name)s is a directory, not a .bib file.") % {"name": name}
        ) from None
    except PermissionError:
        raise SourceError(gettext("%(name)s: permission denied.") % {"name": name}) from None
    except OSError as error:
        raise SourceError(
            gettext("%(name)s: cannot read it (%(why)s).")
            % {"name": name, "why": error.strerror or error}
        ) from None
    return decode_bytes(name, data)
