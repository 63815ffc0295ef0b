#!/usr/bin/env bash
# Makes demo-letter.pdf, the page `ifax demo` sends, from demo-letter.ps (Ghostscript's ps2pdf).
# The PDF is committed so that ifax demo needs no Ghostscript.
set -euo pipefail
cd "$(dirname "$0")"
ps2pdf -dPDFSETTINGS=/default demo-letter.ps demo-letter.pdf
