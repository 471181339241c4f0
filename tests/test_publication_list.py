"""The publication list a CV needs: `/papers.pdf` (read back with poppler's pdftotext) and
`/papers.tex`, which a CV template `\\input`s and the real pdflatex compiles; both follow the
list's filters, are cached under the data version and limited like the other exports."""

import re
import shutil
import subprocess

import pytest
from django.test import Client, override_settings

from bibliography.models import Paper
from tests.factories import make_author, make_paper

CV_TEMPLATE = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{url}
\begin{document}
\section*{Publications}
\input{papers}
\end{document}
"""
# (The "--" comes first: TeX may break a line after a hyphen, and pdftotext joins such lines.)
HOSTILE_TITLE = r"-- Braces { and } 100% & #1 \input{secret} $x_1^2$ ~ ok"
GPT_NEOX = "gpt-neox-20b-an-open-source-autoregressive-language-model"


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", " ", result.stdout)


def compile_cv(fragment: str, tmp_path) -> str:
    """Build the CV with the real pdflatex; the PDF's text."""
    (tmp_path / "papers.tex").write_text(fragment, encoding="ascii")
    (tmp_path / "cv.tex").write_text(CV_TEMPLATE)
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "cv.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Undefined control sequence" not in result.stdout
    return pdf_text((tmp_path / "cv.pdf").read_bytes(), tmp_path)


def test_pdf_of_the_filtered_list_holds_whole_bylines_and_identifiers(client, seed, tmp_path):
    response = client.get("/papers.pdf?year=2022&download")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="publications.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert "16 publications" in text
    gpt_neox = Paper.objects.for_list().get(slug=GPT_NEOX)
    byline = ", ".join(a.author.name for a in gpt_neox.ordered_authorships)
    assert byline in text  # all 17, not the list page's first 12
    assert "DOI: 10.18653/v1/2022.bigscience-1.9" in text and "arXiv: 2206.04615" in text
    assert "URL: https://openreview.net/forum?id=9Vrb9D0WI4" in text
    # The venue's typed "--" reads as the dash it stands for, as on the pages.
    assert "Episode #5 – Workshop" in text and " -- " not in text
    assert "LAION-400M" not in text  # a 2021 paper


def test_latex_fragment_compiles_with_pdflatex_over_the_seed(client, seed, tmp_path):
    make_paper(title=HOSTILE_TITLE, authors=[make_author("Ørsted", given_name="Hans")], year=2023,
               url="https://example.org/a b{c}%d#e")  # fmt: skip
    response = client.get("/papers.tex")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-tex; charset=utf-8"
    fragment = response.content.decode()
    assert fragment.isascii()
    assert "\\textbf{Stella Biderman}" in fragment
    text = compile_cv(fragment, tmp_path)
    assert "Stella Biderman" in text and "Hans Ørsted" in text
    # Every special character prints as itself; nothing was read as a command. The typed
    # "--" is an en dash (pdftotext reads T1-encoded fonts' en dash as its slot, 0x15).
    assert re.search(r"Hans Ørsted\. [\x15–] Braces \{ and \} 100% & #1 \\input\{secret\} "
                     r"\$x_1\^2\$ ~ ok\.", text), text[:300]  # fmt: skip
    assert ". Towards Deconfusing Gradient Hacking. AI Alignment Forum." in text  # no authors
    assert "DOI: 10.18653/v1/2022.bigscience-1.9" in text
    assert "https://example.org/a%20b%7Bc%7D%d#e" in text


def test_latex_fragment_of_an_empty_list_still_compiles(client, db, tmp_path):
    fragment = client.get("/papers.tex?year=1900").content.decode()
    assert "\\begin{enumerate}" not in fragment
    compile_cv(fragment, tmp_path)


def test_lists_are_cached_and_their_renders_limited(seed):
    visitor = Client(REMOTE_ADDR="203.0.113.9")
    with override_settings(EXPORT_RATE_LIMIT="2/10m"):
        first = visitor.get("/papers.pdf?year=2022")
        assert visitor.get("/papers.tex").status_code == 200
        # Served again from the cache: no render, nothing counted.
        assert visitor.get("/papers.pdf?year=2022").content == first.content
        refused = visitor.get("/papers.pdf?year=2021")
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


@override_settings(PUBLICATION_LIST_MAX_PAPERS=5)
def test_a_list_too_long_for_one_file_is_refused_with_what_to_do(client, seed):
    response = client.get("/papers.pdf")
    assert response.status_code == 400
    assert "more than 5 papers" in response.content.decode()
    assert client.get("/papers.tex?year=2021").status_code == 200  # 2 papers


def test_list_page_links_its_cv_downloads_with_its_filters(client, seed):
    html = client.get("/?year=2022").content.decode()
    assert 'href="/papers.pdf?year=2022"' in html and 'href="/papers.tex?year=2022"' in html


@pytest.mark.parametrize("tool", ["pdflatex", "pdftotext"])
def test_the_real_tools_are_installed(tool):
    assert shutil.which(tool), f"{tool}: run scripts/install-system-deps.sh"
