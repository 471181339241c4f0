#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real, when they are missing:
# chromium (Playwright browser tests) and the `bibtex` program (texlive).
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v bibtex >/dev/null || missing+=(texlive-binaries texlive-base)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
