"""citeproc-js, the CSL processor Zotero and Mendeley use, run inside this process.

citeproc-js is JavaScript; the site runs it in V8 embedded by the `mini-racer` wheel, so
neither node nor npm is needed to run the site. `citeproc_js/` holds the processor
(`citeproc_commonjs.js` from the npm package `citeproc`, the version package.json pins
for the tests' reference run), the en-US locale and `driver.js`, the site's few lines
around it (one engine per style, built once; the et-al. of a partial byline).

Building an engine for a large style takes seconds (APA, Chicago), a rendering with a
built one milliseconds: the context and its engines live as long as the process, and
the references are rendered when a paper is written, then stored (`entry_cache.py`).
"""

import threading
from functools import cache
from pathlib import Path

from py_mini_racer import JSEvalException, MiniRacer

FILES = Path(__file__).resolve().parent / "citeproc_js"
# Generous: the first rendering in a style builds its engine (seconds on a busy machine).
RENDER_TIMEOUT_SECONDS = 120
MAX_MEMORY_BYTES = 512 * 1024 * 1024


class ProcessorError(Exception):
    """citeproc-js could not render an item (its message says why)."""


class _Processor:
    """One V8 context with citeproc-js loaded; used by one thread at a time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._context = MiniRacer()
        self._styles: set[str] = set()
        processor = (FILES / "citeproc_commonjs.js").read_text(encoding="utf-8")
        self._context.eval("var module = {exports: {}};\n" + processor)
        self._context.eval((FILES / "driver.js").read_text(encoding="utf-8"))
        locale = (FILES / "locales-en-US.xml").read_text(encoding="utf-8")
        self._context.call("setLocale", locale)

    def render(self, style_key: str, style_path: Path, item: dict, forced_names: int | None):
        with self._lock:
            if style_key not in self._styles:
                xml = style_path.read_text(encoding="utf-8")
                self._context.call("registerStyle", style_key, xml)
                self._styles.add(style_key)
            try:
                return self._context.call(
                    "renderReference",
                    style_key,
                    item,
                    forced_names,
                    timeout_sec=RENDER_TIMEOUT_SECONDS,
                    max_memory=MAX_MEMORY_BYTES,
                )
            except JSEvalException as error:
                raise ProcessorError(str(error).splitlines()[0] if str(error) else "") from error


@cache
def _processor() -> _Processor:
    return _Processor()


def render_reference(
    style_key: str, style_path: Path, item: dict, *, forced_names: int | None = None
) -> str:
    """`item` (CSL-JSON) alone in a bibliography of the CSL style at `style_path`, as
    citeproc-js's HTML; `forced_names` (the number of names the item lists) makes every
    name list cut the last name and print the style's "et al." (a partial byline)."""
    return _processor().render(style_key, style_path, item, forced_names)
