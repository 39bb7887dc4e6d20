#!/usr/bin/env bash
# bench/screenshots.sh: regenerates the report screenshots in docs/images/ from real runs.
#
#   bench/screenshots.sh        # about 30 s: builds, starts upcase's server on loopback, runs
#                               # short benches, writes the pages and photographs them in chromium
#
# docs/images/bench-report-tcp.png   upcase bench tcp --report, a closed-loop run (4 connections x
#                                    depth 4) with a run at a fixed rate (--rate 5000) overlaid
# docs/images/bench-report-udp.png   upcase bench udp --report
# docs/images/compare-report.png     upcase bench compare-report on the fixture results directory
#                                    (src/test/resources/upcase/bench/report/compare-results/:
#                                    figures spread around docs/PERFORMANCE.md's recorded medians,
#                                    not a measurement), or on RESULTS=DIR (a bench/compare.sh run)
# The pages themselves go to bench/results/screenshots-DATE/ (gitignored).
# Needs chromium (Debian package chromium). Every process it starts is stopped by PID on exit.
set -euo pipefail
ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$ROOT"
command -v chromium >/dev/null || { echo "screenshots: chromium is missing (apt-get install chromium)" >&2; exit 1; }
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[[ -x $JAVA ]] || JAVA=java
OUT=$ROOT/bench/results/screenshots-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p -- "$OUT" "$ROOT/docs/images"
SERVER=
cleanup() { [[ -z $SERVER ]] || { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }; }
trap cleanup EXIT

./mvnw -B -q -DskipTests package </dev/null >"$OUT/build.log" 2>&1 || { echo "screenshots: build failed ($OUT/build.log)" >&2; exit 1; }
upcase() { "$JAVA" -jar "$ROOT/target/upcase.jar" "$@"; }

upcase server --bind 127.0.0.1 --tcp-port 0 --udp-port 0 </dev/null >"$OUT/server.log" 2>&1 &
SERVER=$!
for ((i = 0; i < 100; i++)); do
    grep -q 'udp listening on' "$OUT/server.log" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
    sleep 0.1
done
TCP_PORT=$(sed -n 's/.*tcp listening on .*:\([0-9]*\)$/\1/p' "$OUT/server.log" | head -1)
UDP_PORT=$(sed -n 's/.*udp listening on .*:\([0-9]*\)$/\1/p' "$OUT/server.log" | head -1)

upcase bench tcp 127.0.0.1 "$TCP_PORT" --connections 4 --rate 5000 --duration 5s --warmup 1s \
    --json "$OUT/rate-5000.json" >"$OUT/rate-5000.log" 2>&1
upcase bench tcp 127.0.0.1 "$TCP_PORT" --connections 4 --depth 4 --duration 5s --warmup 1s \
    --json "$OUT/closed-loop.json" --report "$OUT/closed-loop.html" --compare "$OUT/rate-5000.json" >"$OUT/closed-loop.log" 2>&1
upcase bench udp 127.0.0.1 "$UDP_PORT" --sockets 4 --depth 8 --duration 5s --warmup 1s \
    --json "$OUT/udp.json" --report "$OUT/udp.html" >"$OUT/udp.log" 2>&1
results=${RESULTS:-}
if [[ -z $results ]]; then
    results=$OUT/compare-results
    mkdir -p -- "$results"
    cp -- src/test/resources/upcase/bench/report/compare-results/* "$results/"
fi
upcase bench compare-report "$results" >/dev/null

shoot() {   # PAGE PNG HEIGHT
    local profile
    profile=$(mktemp -d "$OUT/chromium-XXXXXX")
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$profile" --host-resolver-rules='MAP * ~NOTFOUND' \
        --hide-scrollbars --window-size=1100,"$3" --virtual-time-budget=5000 --screenshot="$2" "file://$1" \
        >"$OUT/chromium.log" 2>&1
    echo "screenshots: $2"
}
shoot "$OUT/closed-loop.html" "$ROOT/docs/images/bench-report-tcp.png" 1750
shoot "$OUT/udp.html" "$ROOT/docs/images/bench-report-udp.png" 2250
shoot "$results/report.html" "$ROOT/docs/images/compare-report.png" 1500
