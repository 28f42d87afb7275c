#!/usr/bin/env bash
# Installs the system packages the test suite needs, from Debian's packages:
# PostgreSQL (the storage tests run on a real server), Chromium (browser tests), pango (WeasyPrint's
# PDF reports) and poppler-utils (the tests render a report's first page to PNG).
# Nothing is downloaded outside the package manager; Playwright never fetches a browser.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
