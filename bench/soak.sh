#!/usr/bin/env bash
# Soak: upcase server under a steady TCP and UDP load for a fixed time (default 10 minutes),
# sampling its resident memory and open descriptors every 10 s. Fails (exit 1) on any error or
# mismatch, or if memory or descriptors keep growing. Writes bench/results/soak-DATE/.
# Not part of ./mvnw verify; docs/RELIABILITY.md records a run.
#   bench/soak.sh [MINUTES] [TCP_LINES_PER_SECOND] [UDP_DATAGRAMS_PER_SECOND]   (SOAK_SECONDS=N for a short try)
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
minutes=${1:-10}
tcp_rate=${2:-20000}
udp_rate=${3:-5000}

./mvnw -B -q -DskipTests package </dev/null
java=${JAVA:-}
if [ -z "$java" ]; then
  for candidate in "${JAVA_HOME:-}/bin/java" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    v=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then java=$candidate; break; fi
  done
fi
out=bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

"$java" -jar target/upcase.jar server --tcp-port 0 --udp-port 0 --bind 127.0.0.1 2>"$out/server.log" &
server=$!
pids+=("$server")
for _ in $(seq 100); do grep -q "udp listening" "$out/server.log" 2>/dev/null && break; sleep 0.1; done
tcp_port=$(sed -n 's/.*tcp listening on [^ ]*:\([0-9]*\)\( .*\)\{0,1\}$/\1/p' "$out/server.log")
udp_port=$(sed -n 's/.*udp listening on [^ ]*:\([0-9]*\)\( .*\)\{0,1\}$/\1/p' "$out/server.log")
echo "soak: server pid $server, tcp $tcp_port, udp $udp_port, ${minutes}m at $tcp_rate lines/s + $udp_rate datagrams/s"

seconds=${SOAK_SECONDS:-$((minutes * 60))}
"$java" -jar target/upcase.jar bench tcp 127.0.0.1 "$tcp_port" --connections 200 --depth 4 --size 64 --utf8 \
  --rate "$tcp_rate" --warmup 5s --duration "${seconds}s" --json "$out/tcp.json" >"$out/tcp.txt" 2>"$out/tcp.progress" &
tcp=$!
pids+=("$tcp")
"$java" -jar target/upcase.jar bench udp 127.0.0.1 "$udp_port" --sockets 16 --depth 4 --size 512 --utf8 \
  --rate "$udp_rate" --timeout 1s --max-loss 0.1% --warmup 5s --duration "${seconds}s" --json "$out/udp.json" \
  >"$out/udp.txt" 2>"$out/udp.progress" &
udp=$!
pids+=("$udp")

echo "elapsed_s rss_kib fds" | tee "$out/samples.txt"
start=$(date +%s)
while kill -0 "$tcp" 2>/dev/null || kill -0 "$udp" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  fds=$(ls "/proc/$server/fd" | wc -l)
  echo "$(( $(date +%s) - start )) $rss $fds" | tee -a "$out/samples.txt"
  sleep 10
done
status=0
wait "$tcp" || status=1
wait "$udp" || status=1
kill "$server"; wait "$server" || status=1
cat "$out/tcp.txt" "$out/udp.txt"
tail -1 "$out/server.log"

# Flat means: the last third of the samples grows no more than 10% over the middle third.
python3 - "$out/samples.txt" <<'PY' || status=1
import sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]).read().split("\n")[1:] if l.strip()]
n = len(rows)
if n < 6:
    print("soak: too few samples to judge"); sys.exit(0)
mid = rows[n // 3: 2 * n // 3]; last = rows[2 * n // 3:]
for name, i in (("rss_kib", 1), ("fds", 2)):
    a = max(r[i] for r in mid); b = max(r[i] for r in last)
    verdict = "flat" if b <= a * 1.10 + 16 else "GROWING"
    print(f"soak: {name} max {a} in the middle third, {b} in the last: {verdict}")
    if verdict != "flat": sys.exit(1)
PY
echo "soak: results in $out; exit $status"
exit $status
