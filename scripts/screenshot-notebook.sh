#!/usr/bin/env bash
# Renders an executed notebook to HTML and screenshots it in headless Chromium, to look at what a
# reader sees. Usage: scripts/screenshot-notebook.sh notebooks/01-quickstart.ipynb [out.png] [height]
set -euo pipefail
nb="${1:?usage: scripts/screenshot-notebook.sh NOTEBOOK.ipynb [OUT.png] [HEIGHT]}"
out="$(realpath -m "${2:-${nb%.ipynb}.png}")"
height="${3:-2400}"
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium; }
command -v jupyter-nbconvert >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 jupyter-nbconvert; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# scripts/notebook-html.j2 inlines SVG outputs untouched: Debian's nbconvert 6.5 would strip them.
jupyter nbconvert --to html --template-file "$(dirname "$0")/notebook-html.j2" --output-dir "$work" --output page "$nb" >/dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$out" --window-size=1280,"$height" "file://$work/page.html" >/dev/null 2>&1
echo "$out"
