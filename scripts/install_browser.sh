#!/bin/sh
# The browser the end-to-end tests drive: Debian's chromium (Playwright's own browser download
# does not work here; the tests launch /usr/bin/chromium). Installed when missing, quietly, when
# run as root with apt-get; otherwise the package is named and the set-up goes on (the browser
# tests are then skipped). Running it again when it is there does nothing.
set -u
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 \
         && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; } \
    || { echo "could not install chromium (the browser tests will be skipped)" >&2; exit 0; }
else
  echo "the browser tests need Debian's chromium (run: sudo apt-get install chromium)" >&2
fi
