#!/usr/bin/env bash
# Makes sure the system packages are present (Debian/Ubuntu names), in two groups:
#   scripts/system-deps.sh        the app's (what `make run` needs):
#     - libpango-1.0-0, libpangoft2-1.0-0: WeasyPrint renders every PDF with them.
#     - libharfbuzz-subset0: without it WeasyPrint subsets fonts in Python, 5x slower.
#     - fonts-dejavu-core: full Vietnamese coverage in PDFs.
#   scripts/system-deps.sh test   the app's and the tests' (what `make test` needs):
#     - poppler-utils: the tests read PDFs back and turn pages into images (pdftoppm).
#     - chromium: the browser tests (tests/e2e) drive Debian's Chromium with Playwright, no browser download.
# As root with apt-get, the missing ones are installed; otherwise it names them and exits 1.
set -u
group=${1:-app}
case "$group" in app|test) ;; *) echo "usage: $0 [app|test]" >&2; exit 2 ;; esac
needed=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || needed+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || needed+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || needed+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || needed+=(fonts-dejavu-core)
if [ "$group" = test ]; then
  command -v pdftoppm >/dev/null 2>&1 || needed+=(poppler-utils)
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || needed+=(chromium)  # CHROMIUM: as in tests/e2e/conftest.py
fi
[ ${#needed[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${needed[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
  exit $?
fi
if [ "$group" = test ]; then
  echo "The tests need these system packages (the app's, PDF reading and the browser): ${needed[*]}" >&2
else
  echo "EventHub needs these system packages (PDF rendering and its fonts): ${needed[*]}" >&2
fi
echo "  sudo apt-get install ${needed[*]}" >&2
exit 1
