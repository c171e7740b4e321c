#!/usr/bin/env bash
# Accessibility check of the built site (make a11y): axe-core (WCAG 2.0/2.1 A + AA) in headless
# Debian Chromium on every page of build/site (both languages and the language choice).
#
# - installs Debian's chromium (and node/npm) when missing and we are root, else says what to install;
# - installs axe-core and playwright-core (pinned in package.json/package-lock.json) into
#   tests/a11y/node_modules;
# - builds the site when build/site is missing (.venv/bin/clss build --no-print);
#   CLSS_ROOT=DIR checks DIR/build/site instead (the report goes to DIR/build/a11y-report.json);
# - serves build/site on 127.0.0.1 (a free port, stopped on exit) and runs tests/a11y/axe.mjs.
# Exit 0: no serious/critical violation; 1: some; 2: setup problem. Report: build/a11y-report.json.
# `run.sh --install-only`: steps 1–3 only (Chromium, node, the pinned node modules, Java for vnu),
# so that the browser tests of `make test` (tests/test_browser.py) run rather than skip (.ci/run).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
PROJECT="${CLSS_ROOT:-$ROOT}"   # like clss itself: $CLSS_ROOT names another project folder
SITE="$PROJECT/build/site"
REPORT="$PROJECT/build/a11y-report.json"

die() { echo "a11y: $*" >&2; exit 2; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {  # apt_install PACKAGE... (root only)
    if ! command -v apt-get >/dev/null; then
        die "missing $*; this is not a Debian/Ubuntu machine: install $* by hand"
    fi
    echo "a11y: installing $* (apt-get)"
    if [ -z "${APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

# 1. Chromium (Debian's build; playwright's own browser download is not used)
if [ ! -x "$CHROMIUM" ]; then
    if is_root; then
        apt_install chromium
    else
        die "$CHROMIUM is missing: run \`sudo apt-get update && sudo apt-get install -y chromium\` (or set CHROMIUM=/path/to/chromium), then make a11y again"
    fi
    [ -x "$CHROMIUM" ] || die "chromium was installed but $CHROMIUM does not exist; set CHROMIUM=/path/to/chromium"
fi

# 2. node + npm
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if is_root; then
        apt_install nodejs npm
    else
        die "node and npm are needed: run \`sudo apt-get install -y nodejs npm\`, then make a11y again"
    fi
fi

NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] || die "node $(node --version) is too old: playwright-core needs node >= 20"

# 3. axe-core + playwright-core, pinned (reinstalled only when package-lock.json changes)
STAMP="$HERE/node_modules/.clss-installed"
LOCK_SUM="$( (cat "$HERE/package.json" "$HERE/package-lock.json" 2>/dev/null || true) | sha256sum | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM" ]; then
    echo "a11y: installing axe-core and playwright-core (npm)"
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    if [ -f "$HERE/package-lock.json" ]; then
        (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed (is the npm registry reachable?)"
    else
        (cd "$HERE" && npm install --no-audit --no-fund --loglevel=error) || die "npm install failed (is the npm registry reachable?)"
    fi
    echo "$LOCK_SUM" > "$STAMP"
fi

if [ "${1:-}" = "--install-only" ]; then
    if ! command -v java >/dev/null; then  # vnu (tests/test_browser.py) is a Java program
        if is_root; then apt_install default-jre-headless; else echo "a11y: java is missing: the vnu test will be skipped"; fi
    fi
    exit 0
fi

# 4. the site
if [ ! -f "$SITE/index.html" ]; then
    [ -x "$ROOT/.venv/bin/clss" ] || die "no build/site and no .venv/bin/clss: run \`make build\` (or make a11y, which installs .venv) first"
    echo "a11y: building the site (clss build --no-print)"
    (cd "$PROJECT" && NO_MKDOCS_2_WARNING=1 CLSS_ROOT="$PROJECT" "$ROOT/.venv/bin/clss" build --no-print) || die "clss build --no-print failed"
fi

# 5. serve build/site on a free loopback port, stopped on exit
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY="$(command -v python3)" || die "python3 is needed to serve the site"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$PY" -m http.server --bind 127.0.0.1 --directory "$SITE" "$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    if "$PY" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$PORT/', timeout=1)" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER" 2>/dev/null || die "the local web server did not start"
    sleep 0.1
done

# 6. axe on every page
set +e
node "$HERE/axe.mjs" --site "$SITE" --base "http://127.0.0.1:$PORT/" --out "$REPORT" --chromium "$CHROMIUM" \
    --workers "${A11Y_WORKERS:-4}"
status=$?
set -e
exit "$status"
