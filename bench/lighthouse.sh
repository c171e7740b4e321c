#!/usr/bin/env bash
# Lighthouse (mobile, its default: simulated slow 4G and 4× slower CPU) on the built site, served
# gzip-compressed under a sub-path by bench/gzserve.py, as a static host would serve it.
#
#   bash bench/lighthouse.sh [PAGE...]      (default: fr/ nl/ and a report chapter in each language)
#
# - installs lighthouse (pinned below) into .cache/lighthouse with npm when missing;
# - uses Debian's Chromium (CHROMIUM=/usr/bin/chromium) and the site in $CLSS_ROOT/build/site
#   (default: this project; build it first with `clss build --no-print`);
# - prints one line per page: performance, accessibility, LCP, FCP, TBT, CLS, bytes transferred
#   (gzip) and the failing accessibility audits; the JSON reports go to build/lighthouse/.
# Lighthouse's simulated timings depend on the machine's speed (its "benchmarkIndex", printed too).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PROJECT="${CLSS_ROOT:-$ROOT}"
SITE="$PROJECT/build/site"
OUT="$PROJECT/build/lighthouse"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
LH_VERSION=13.5.0
LH_DIR="$ROOT/.cache/lighthouse"
PREFIX=/any/sub/path/

die() { echo "lighthouse: $*" >&2; exit 2; }
[ -f "$SITE/index.html" ] || die "no $SITE: build the site first (.venv/bin/clss build --no-print)"
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing (apt-get install chromium, or set CHROMIUM=)"
command -v node >/dev/null || die "node is needed"
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ] || [ "$(node -p "require('$LH_DIR/node_modules/lighthouse/package.json').version")" != "$LH_VERSION" ]; then
    echo "lighthouse: installing lighthouse@$LH_VERSION into $LH_DIR (npm)"
    mkdir -p "$LH_DIR"
    npm install --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION" >/dev/null || die "npm install failed"
fi

PY="$ROOT/.venv/bin/python"; [ -x "$PY" ] || PY="$(command -v python3)"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$PY" "$HERE/gzserve.py" "$SITE" "$PORT" "$PREFIX" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT$PREFIX"
for _ in $(seq 1 100); do
    "$PY" -c "import urllib.request; urllib.request.urlopen('$BASE', timeout=1)" 2>/dev/null && break
    sleep 0.1
done

mkdir -p "$OUT"
PAGES=("$@")
[ ${#PAGES[@]} -gt 0 ] || PAGES=(fr/ nl/ fr/publications/rapport-2025/12-partie-1-b2/ nl/publications/rapport-2025/12-partie-1-b2/)
RUNS="${RUNS:-3}"           # runs per page; the line gives the median run (by performance score)
LH_CPU="${LH_CPU:-4}"       # Lighthouse's CPU slowdown (its mobile default: 4)
echo "lighthouse $LH_VERSION, mobile, CPU slowdown ${LH_CPU}x, median of $RUNS runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for page in "${PAGES[@]}"; do
    reports=()
    for run in $(seq 1 "$RUNS"); do
        report="$OUT/$(echo "$page" | tr '/' '_' | sed 's/_$//')-cpu$LH_CPU-$run.json"
        CHROME_PATH="$CHROMIUM" "$LH_DIR/node_modules/.bin/lighthouse" "$BASE$page" --quiet \
            --chrome-flags="--headless=new --no-sandbox --disable-gpu --user-data-dir=$(mktemp -d)" \
            --throttling.cpuSlowdownMultiplier="$LH_CPU" \
            --only-categories=performance,accessibility --output=json --output-path="$report" || die "lighthouse failed on $page"
        reports+=("$report")
    done
    node -e '
      const [page, ...files] = process.argv.slice(1);
      const runs = files.map((f) => require(f)).sort((x, y) => x.categories.performance.score - y.categories.performance.score);
      const r = runs[Math.floor(runs.length / 2)], a = r.audits, c = r.categories;
      const refs = c.accessibility.auditRefs.map((x) => x.id);
      const failed = refs.filter((id) => a[id].score !== null && a[id].score < 1);
      const kb = (a["total-byte-weight"].numericValue / 1000).toFixed(1);
      console.log([page, "perf " + Math.round(c.performance.score * 100) + " (runs: " + runs.map((x) => Math.round(x.categories.performance.score * 100)).join(", ") + ")",
        "a11y " + Math.round(c.accessibility.score * 100), "LCP " + a["largest-contentful-paint"].displayValue,
        "FCP " + a["first-contentful-paint"].displayValue, "TBT " + a["total-blocking-time"].displayValue,
        "CLS " + a["cumulative-layout-shift"].displayValue, kb + " kB transferred",
        "benchmarkIndex " + r.environment.benchmarkIndex, failed.length ? "a11y failing: " + failed.join(",") : ""].join(" | "));
    ' "$page" "${reports[@]}"
done
