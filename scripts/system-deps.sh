#!/usr/bin/env bash
# Makes sure the system libraries EventHub needs are present (Debian/Ubuntu names).
#  - libpango-1.0-0, libpangoft2-1.0-0: WeasyPrint renders every PDF with them.
#  - libharfbuzz-subset0: without it WeasyPrint subsets fonts in Python, 5x slower.
#  - fonts-dejavu-core: full Vietnamese coverage in PDFs.
#  - poppler-utils: the tests read PDFs back and turn pages into images (pdftoppm).
#  - chromium: the browser tests (tests/e2e) drive Debian's Chromium with Playwright, no browser download.
set -u
needed=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || needed+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || needed+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || needed+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || needed+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || needed+=(poppler-utils)
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ ${#needed[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${needed[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
  exit $?
fi
echo "Please install these system packages first: ${needed[*]}" >&2
echo "  sudo apt-get install ${needed[*]}" >&2
exit 1
