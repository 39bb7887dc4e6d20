#!/usr/bin/env bash
# TLS side by side: upcase (tcp-server --tls) against the Netty peer with the JDK's TLS
# (--tls-cert/--tls-key, SslProvider.JDK), same certificate (EC P-256), same JDK 25, both servers
# on CPU 0 and started once, the generator (`upcase bench ... --tls`) on CPU 1. Each round runs
# every scenario on one server and then on the other, the order alternating from round to round,
# so the two are compared within the same minute (this machine's noise drifts over minutes).
# Scenarios: tcp (CONNECTIONS x DEPTH lines over established TLS connections: the record layer),
# bulk (BULK_MB through one connection), connect (a new connection and a full handshake per line:
# handshakes per second). Prints per-round figures and the median and range of the per-round
# ratio upcase / netty. Stops every process it started, by PID, on any exit.
#
#   bench/tls-compare.sh            # ROUNDS=5 DURATION=5s CONNECTIONS=50 DEPTH=8 BULK_MB=200
set -euo pipefail
ROOT=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-50}
DEPTH=${DEPTH:-8}
BULK_MB=${BULK_MB:-200}
CONNECT_CONCURRENCY=${CONNECT_CONCURRENCY:-4}
SERVER_CPU=${SERVER_CPU:-0}
GENERATOR_CPU=${GENERATOR_CPU:-1}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
RESULTS=${RESULTS:-$ROOT/bench/results/tls-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$RESULTS"

STARTED=()
cleanup() { for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
say() { printf 'tls-compare: %s\n' "$*" >&2; }

[[ -f $ROOT/target/upcase.jar ]] || (cd "$ROOT" && ./mvnw -B -q -o package -DskipTests >&2)
[[ -f $ROOT/bench/target/upcase-netty-peer.jar ]] || (cd "$ROOT" && ./mvnw -B -q -o -f bench/pom.xml package -DskipTests >&2)

# One EC P-256 certificate for both: the key exchange and signature are then the same work.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$RESULTS/key.pem" -out "$RESULTS/cert.pem" 2>/dev/null

wait_port() {   # LOG WORD PID: the port from "WORD listening on ADDR:PORT"
    local i
    for ((i = 0; i < 300; i++)); do
        local port
        port=$(sed -nE "s/.*$2 listening on [^ ]*:([0-9]+).*/\\1/p" "$1" | head -1)
        [[ -n $port ]] && { echo "$port"; return 0; }
        kill -0 "$3" 2>/dev/null || { say "server $3 exited: $(tail -2 "$1")"; return 1; }
        sleep 0.1   # polling a log file for a line; not synchronisation between tests
    done
    return 1
}

taskset -c "$SERVER_CPU" "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$ROOT/target/upcase.jar" tcp-server \
    --bind 127.0.0.1 --port 0 --ascii --tls --tls-cert "$RESULTS/cert.pem" --tls-key "$RESULTS/key.pem" \
    </dev/null >"$RESULTS/upcase.log" 2>&1 &
UPCASE_PID=$!; STARTED+=("$UPCASE_PID")
taskset -c "$SERVER_CPU" "$JAVA" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
    -jar "$ROOT/bench/target/upcase-netty-peer.jar" --bind 127.0.0.1 --tcp-port 0 --udp-port 0 --ascii \
    --tls-cert "$RESULTS/cert.pem" --tls-key "$RESULTS/key.pem" </dev/null >"$RESULTS/netty.log" 2>&1 &
NETTY_PID=$!; STARTED+=("$NETTY_PID")
declare -A PORT PID
PORT[upcase]=$(wait_port "$RESULTS/upcase.log" tls "$UPCASE_PID"); PID[upcase]=$UPCASE_PID
PORT[netty]=$(wait_port "$RESULTS/netty.log" tls "$NETTY_PID"); PID[netty]=$NETTY_PID
say "upcase on ${PORT[upcase]}, netty on ${PORT[netty]}; results in $RESULTS"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() {   # SERVER SCENARIO ROUND: prints "figure cpu_ms_per_1000"
    local server=$1 scenario=$2 round=$3 out=$RESULTS/$2-$1-$3 args
    case $scenario in
        tcp) args=(tcp --connections "$CONNECTIONS" --depth "$DEPTH" --duration "$DURATION" --warmup "$WARMUP") ;;
        bulk) args=(bulk --megabytes "$BULK_MB" --warmup-megabytes 20) ;;
        connect) args=(connect --concurrency "$CONNECT_CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP") ;;
    esac
    local before after
    before=$(cpu_ticks "${PID[$server]}")
    timeout -k 5 120 taskset -c "$GENERATOR_CPU" "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$ROOT/target/upcase.jar" \
        bench "${args[@]}" 127.0.0.1 "${PORT[$server]}" --ascii --tls --ca "$RESULTS/cert.pem" \
        --json "$out.json" >"$out.txt" 2>&1 || { say "$server $scenario round $round failed: $(tail -1 "$out.txt")"; echo "- -"; return; }
    after=$(cpu_ticks "${PID[$server]}")
    python3 - "$out.json" "$scenario" $((after - before)) "$(getconf CLK_TCK)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); scenario = sys.argv[2]; ticks = int(sys.argv[3]); hz = int(sys.argv[4])
if scenario == 'bulk':
    figure = d.get('mb_per_s'); units = (d.get('timed_bytes') or 0) / 1e6
elif scenario == 'connect':
    figure = d.get('handshakes_per_s'); units = d.get('handshakes') or 0
else:
    figure = d.get('replies_per_s'); units = d.get('replies') or 0
cpu_ms = ticks * 1000.0 / hz
print(f"{figure:.1f}" if figure else "-", f"{cpu_ms / units * 1000:.1f}" if units else "-")
PY
}

declare -A FIG CPU
for ((round = 1; round <= ROUNDS; round++)); do
    order=(upcase netty); ((round % 2 == 0)) && order=(netty upcase)
    for scenario in tcp bulk connect; do
        for server in "${order[@]}"; do
            read -r fig cpu < <(run "$server" "$scenario" "$round")
            FIG[$scenario,$server,$round]=$fig; CPU[$scenario,$server,$round]=$cpu
            say "round $round $scenario $server: $fig (server CPU ms per 1000 units: $cpu)"
        done
    done
done

python3 - "$ROUNDS" > "$RESULTS/summary.md" <<PY
import statistics, sys
rounds = int(sys.argv[1])
fig = {$(for k in "${!FIG[@]}"; do printf '"%s": "%s", ' "$k" "${FIG[$k]}"; done)}
cpu = {$(for k in "${!CPU[@]}"; do printf '"%s": "%s", ' "$k" "${CPU[$k]}"; done)}
units = {"tcp": "replies/s", "bulk": "MB/s", "connect": "handshakes/s"}
cpu_units = {"tcp": "per 1000 replies", "bulk": "per 1000 MB", "connect": "per 1000 handshakes"}
print("| scenario | upcase (median, range) | netty (median, range) | upcase / netty per round: median (range) | server CPU ms " + "upcase / netty |")
print("|---|---|---|---|---|")
def num(v):
    try: return float(v)
    except ValueError: return None
for s in ("tcp", "bulk", "connect"):
    row = {}
    for server in ("upcase", "netty"):
        vals = [num(fig[f"{s},{server},{r}"]) for r in range(1, rounds + 1)]
        row[server] = [v for v in vals if v is not None]
    ratios = [num(fig[f"{s},upcase,{r}"]) / num(fig[f"{s},netty,{r}"]) for r in range(1, rounds + 1)
              if num(fig[f"{s},upcase,{r}"]) and num(fig[f"{s},netty,{r}"])]
    cu = [num(cpu[f"{s},upcase,{r}"]) for r in range(1, rounds + 1)]
    cn = [num(cpu[f"{s},netty,{r}"]) for r in range(1, rounds + 1)]
    def fmt(v): return f"{statistics.median(v):,.0f} ({min(v):,.0f}-{max(v):,.0f})" if v else "-"
    cpu_text = (f"{statistics.median([c for c in cu if c]):.1f} / {statistics.median([c for c in cn if c]):.1f} {cpu_units[s]}"
                if any(cu) and any(cn) else "-")
    ratio = f"x{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})" if ratios else "-"
    print(f"| {s} ({units[s]}) | {fmt(row['upcase'])} | {fmt(row['netty'])} | {ratio} | {cpu_text} |")
PY
cat "$RESULTS/summary.md"
