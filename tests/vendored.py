"""Where the tests find the data vendored in tests/data/ (see its README), failing loudly.

A test parametrised over the files of a folder that is gone would collect to nothing, or to
one `[NOTSET]` case, and the suite would pass without it. These helpers fail the collection
instead, with a message that names what is missing.
"""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
SEED = DATA / "seed"


def missing(what: Path):
    """Fail the test, or its module's collection, because `what` is not in the checkout."""
    pytest.fail(
        f"test data missing: {what} is not in the checkout (it is vendored in the repository; "
        f"see tests/data/README.md)",
        pytrace=False,
    )


def vendored_file(path: Path) -> Path:
    """`path`, once it is known to exist."""
    if not path.is_file():
        missing(path)
    return path


def vendored_files(folder: Path, pattern: str = "*.bib") -> list[Path]:
    """The files under `folder` (at any depth) whose names match `pattern`: at least one."""
    files = sorted(folder.rglob(pattern))
    if not files:
        missing(folder / "**" / pattern)
    return files
