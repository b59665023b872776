#!/bin/sh
# OCR's programs from Debian: Tesseract with English, Arabic and Russian, and Poppler's pdftoppm
# (renders scanned PDF pages). Installed when missing, quietly, when run as root with apt-get;
# otherwise the missing packages are named and the set-up goes on (scans are then stored with a
# warning instead of their text). Running it again when all is there does nothing.
set -u
PACKAGES="tesseract-ocr tesseract-ocr-eng tesseract-ocr-ara tesseract-ocr-rus poppler-utils"
missing=""
for package in $PACKAGES; do
  dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 \
         && apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; } \
    || { echo "could not install$missing (OCR will be unavailable)" >&2; exit 0; }
else
  echo "OCR needs Debian packages:$missing (run: sudo apt-get install$missing)" >&2
fi
