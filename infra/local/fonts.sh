#!/usr/bin/env bash
# The typeface the papers are set in (libs/papers): DejaVu Serif, regular and bold from Debian's
# fonts-dejavu-core, italic from fonts-dejavu-extra. Installed as root when missing; otherwise
# says what to install. PARTYORG_FONT_DIR, when set, names a folder that has them instead.
set -euo pipefail

dir=${PARTYORG_FONT_DIR:-/usr/share/fonts/truetype/dejavu}
missing=0
for file in DejaVuSerif.ttf DejaVuSerif-Bold.ttf DejaVuSerif-Italic.ttf; do
  [ -f "$dir/$file" ] || missing=1
done
[ "$missing" = 0 ] && exit 0

if [ -z "${PARTYORG_FONT_DIR:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "fonts: installing Debian's fonts-dejavu-core and fonts-dejavu-extra" >&2
  apt-get install -y -q fonts-dejavu-core fonts-dejavu-extra >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q fonts-dejavu-core fonts-dejavu-extra >/dev/null; }
else
  echo "fonts: DejaVu Serif is missing from $dir: install it (Debian: sudo apt-get install fonts-dejavu-core fonts-dejavu-extra) or set PARTYORG_FONT_DIR" >&2
  exit 1
fi
