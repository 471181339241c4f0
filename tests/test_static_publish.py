"""`make publish`: the static build pushed, as one commit, to the gh-pages branch of a remote
(here a bare repository on disk, as GitHub's would be over SSH)."""

import os
import subprocess

from tests.servers import ROOT


def git(*args, cwd=None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_make_publish_pushes_the_build_to_the_gh_pages_branch(tmp_path):
    remote = tmp_path / "site.git"
    git("init", "-q", "--bare", str(remote))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    # A database of its own (migrated, no papers): make runs manage.py in a new process.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    subprocess.run(
        [".venv/bin/python", "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    def publish():
        # -o: the virtualenv is installed already; make must not reinstall it.
        return subprocess.run(
            [
                "make",
                "-s",
                "-o",
                ".venv/.installed",
                "publish",
                f"PUBLISH_REMOTE={remote}",
                "PUBLISH_BASE_URL=https://user.github.io/pubs/",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    result = publish()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Pushed to gh-pages of {remote}." in result.stdout
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert {"index.html", ".nojekyll", "static-index.json", "sitemap.xml"} <= set(files)
    assert ".build-manifest.json" in files  # the next build's record, harmless to serve
    home = git("show", "gh-pages:index.html", cwd=remote)
    assert 'href="/pubs/static/css/site.' in home

    # Publishing again replaces the branch: still one commit, not a growing history.
    assert publish().returncode == 0
    assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "1"
