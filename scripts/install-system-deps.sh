#!/usr/bin/env bash
# Installs through apt the Debian packages the project needs, when they are missing.
#   --python  what the virtualenv needs (`make run`): Python 3.11 and its venv module
#             (Debian ships ensurepip apart, in python3.11-venv).
#   (none)    what the test suite drives for real: chromium (Playwright browser tests), the
#             `bibtex` program (texlive, with natbib's styles) and pdflatex, biber (biblatex's
#             data-model check), pandoc (its citeproc), java (the Nu HTML Checker) and npm
#             (their npm tools), poppler's pdftotext (reads back the PDFs of the publication list)
#             and gettext (the translation tests run makemessages and msgfmt; the site itself
#             serves the committed .mo files and needs none of it).
set -euo pipefail
python=${PYTHON:-python3.11}
missing=()
if [ "${1:-}" = "--python" ]; then
    if ! "$python" -m ensurepip --version >/dev/null 2>&1; then
        if [ "$python" != python3.11 ]; then
            echo "$python cannot make a virtualenv: set PYTHON to a Python 3.11 that can" >&2
            exit 1
        fi
        missing+=(python3.11 python3.11-venv)
    fi
else
    command -v chromium >/dev/null || missing+=(chromium)
    command -v bibtex >/dev/null || missing+=(texlive-binaries texlive-base)
    # natbib's styles (plainnat, unsrtnat), which the citation tests run bibtex with.
    kpsewhich plainnat.bst >/dev/null 2>&1 || missing+=(texlive-latex-recommended)
    # pdflatex sets the ASCII BibTeX export (T1 fonts: texlive-latex-base brings the sources).
    command -v pdflatex >/dev/null || missing+=(texlive-latex-base)
    command -v biber >/dev/null || missing+=(biber)
    command -v pandoc >/dev/null || missing+=(pandoc)
    command -v java >/dev/null || missing+=(default-jre-headless)
    command -v npm >/dev/null || missing+=(npm)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    command -v msgfmt >/dev/null || missing+=(gettext)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
