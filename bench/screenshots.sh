#!/usr/bin/env bash
# bench/screenshots.sh: regenerates the report screenshots in docs/images/ from real runs.
#
#   bench/screenshots.sh        # about 60 s: builds, starts upcase's server on loopback, runs
#                               # short benches, writes the pages and photographs them in chromium;
#                               # then grades a small made-up class with upcase probe --format html
#   bench/screenshots.sh probe  # only the probe pages
#
# docs/images/bench-report-tcp.png   upcase bench tcp --report, a closed-loop run (4 connections x
#                                    depth 4) with a run at a fixed rate (--rate 5000) overlaid
# docs/images/bench-report-udp.png   upcase bench udp --report
# docs/images/compare-report.png     upcase bench compare-report on the fixture results directory
#                                    (src/test/resources/upcase/bench/report/compare-results/:
#                                    figures spread around docs/PERFORMANCE.md's recorded medians,
#                                    not a measurement), or on RESULTS=DIR (a bench/compare.sh run)
# docs/images/probe-report.png      upcase probe --format html: the textbook's Java UDPServer
#                                    (src/test/resources/textbook, the padded one), a failing submission
# docs/images/probe-summary.png     its class's summary.html (--each: alice, the fixed Python server;
#                                    bob, ASCII-only; carol, the padded one; dave, crashes at start),
#                                    sorted by score (summary.html#sort=-score)
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

shoot() {   # PAGE[#FRAGMENT] PNG HEIGHT
    local profile
    profile=$(mktemp -d "$OUT/chromium-XXXXXX")
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$profile" --host-resolver-rules='MAP * ~NOTFOUND' \
        --hide-scrollbars --window-size=1100,"$3" --virtual-time-budget=5000 --screenshot="$2" "file://$1" \
        >"$OUT/chromium.log" 2>&1
    echo "screenshots: $2"
}

probe_pages() {
    local class=$OUT/class
    mkdir -p -- "$class"/{alice,bob,carol,dave}
    cp -- examples/python/udp_server.py "$class/alice/server.py"
    printf '%s\n' 'import socket, sys' 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)' \
        "s.bind(('127.0.0.1', int(sys.argv[1])))" 'while True:' '    m, a = s.recvfrom(65535)' \
        '    s.sendto(m.upper(), a)  # bytes.upper(): ASCII letters only' >"$class/bob/server.py"
    cp -- src/test/resources/textbook/UDPServer.java "$class/carol/UDPServer.java"
    printf '%s\n' 'import socket, sys' 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)' \
        "s.bind(('127.0.0.1', sys.argv[1]))  # the port as a string: TypeError" >"$class/dave/server.py"
    # Each submission's own start script, Python or Java; the grader runs it in the submission's directory.
    for d in alice bob dave; do printf '%s\n' 'exec python3 server.py "$1"' >"$class/$d/run"; done
    printf '%s\n' "exec $JAVA UDPServer.java \"\$1\"" >"$class/carol/run"
    upcase probe --run 'sh run {udp}' --each "$class"/* --parallel 2 --timeout 500ms --start-timeout 30s \
        --format html --output "$OUT/probe" >"$OUT/probe.log" 2>&1 || true
    shoot "$OUT/probe/carol.html" "$ROOT/docs/images/probe-report.png" 1900
    shoot "$OUT/probe/summary.html#sort=-score" "$ROOT/docs/images/probe-summary.png" 420
}
if [[ ${1:-} == probe ]]; then
    probe_pages
    exit 0
fi

upcase server --bind 127.0.0.1 --tcp-port 0 --udp-port 0 </dev/null >"$OUT/server.log" 2>&1 &
SERVER=$!
for ((i = 0; i < 100; i++)); do
    grep -q 'udp listening on' "$OUT/server.log" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
    sleep 0.1
done
TCP_PORT=$(sed -n 's/.*tcp listening on [^ ]*:\([0-9]*\)\( .*\)\{0,1\}$/\1/p' "$OUT/server.log" | head -1)
UDP_PORT=$(sed -n 's/.*udp listening on [^ ]*:\([0-9]*\)\( .*\)\{0,1\}$/\1/p' "$OUT/server.log" | head -1)

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

shoot "$OUT/closed-loop.html" "$ROOT/docs/images/bench-report-tcp.png" 1750
shoot "$OUT/udp.html" "$ROOT/docs/images/bench-report-udp.png" 2250
shoot "$results/report.html" "$ROOT/docs/images/compare-report.png" 1500
probe_pages
