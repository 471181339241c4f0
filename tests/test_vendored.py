"""A checkout without its vendored test data fails loudly, naming what is missing.

Without these checks a test parametrised over a missing folder collects to nothing (or to a
single `[NOTSET]` case) and the suite passes without it.
"""

import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.vendored import DATA, vendored_file, vendored_files

# The modules that read tests/data/corpus/ or tests/data/seed/ when they are collected.
READERS = [
    "tests/test_import_corpus.py",
    "tests/test_fixture.py",
    "tests/test_data_loss.py",
    "tests/test_import_names.py",
]


def test_an_empty_folder_fails_with_its_name(tmp_path):
    with pytest.raises(pytest.fail.Exception, match=f"test data missing: {tmp_path}"):
        vendored_files(tmp_path)
    with pytest.raises(pytest.fail.Exception, match="seed.txt is not in the checkout"):
        vendored_file(tmp_path / "seed.txt")


def test_a_checkout_without_the_data_fails_at_collection(tmp_path):
    """The suite, collected in a copy of the project whose tests/data/ lacks corpus/ and seed/."""
    root = settings.BASE_DIR
    copy = tmp_path / "checkout"
    for folder in ("bibliography", "site_config", "fixtures", "tests"):
        shutil.copytree(root / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("corpus", "seed"):
        shutil.rmtree(copy / DATA.relative_to(root) / folder)
    shutil.copy(root / "pyproject.toml", copy)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + READERS,
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.INTERRUPTED, output
    for module in READERS:
        assert f"ERROR {module}" in output, output
    assert "NOTSET" not in output
    assert f"test data missing: {copy / 'tests/data/corpus/**/*.bib'}" in output
    assert f"test data missing: {copy / 'tests/data/seed/000_8db3a55937988b83.txt'}" in output
