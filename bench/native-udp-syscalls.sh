#!/usr/bin/env bash
# System calls, CPU and replies per second of the UDP engines, and of the peers, under one load
# (docs/PERFORMANCE.md, "The native UDP engine"): ROUNDS rounds (default 3), the servers
# alternating within each round so that they meet the same minute of this machine's noise; the
# server pinned to CPU 0 with one thread, the generator on CPU 1. Each run: an untimed 3 s run
# (the JIT), then DURATION timed, over which perf counts the server's raw_syscalls:sys_enter
# (every thread, JVM housekeeping included) and /proc its CPU time.
#
# SERVERS (default "nio epoll epoll-nospin"): nio, epoll and io_uring are upcase's engines (epoll
# and io_uring with their default --udp-spin), epoll-nospin and io_uring-nospin the same with
# --udp-spin 0, netty and netty-io_uring the Netty
# peer (bench/target/upcase-netty-peer.jar: ./mvnw -f bench/pom.xml package), c the C reference
# server. GENERATOR: c (default where gcc builds bench/peers) or upcase (bench udp).
# Needs perf (Debian linux-perf), tracepoints readable (root), and target/upcase.jar built.
# Usage: bench/native-udp-syscalls.sh [OUT_DIR]
#   env: ROUNDS SERVERS GENERATOR SOCKETS (64) DEPTH (8) DURATION (8s) JAVA (default: java on the PATH)
#        UPCASE_SERVER_OPTS (more options for upcase's servers, e.g. "--udp-spin 100us")
# Prints one line per run and, per server, the medians with their ranges.
set -euo pipefail
cd "$(dirname "$0")/.."
J=${JAVA:-java}
JAR=target/upcase.jar
NETTY=bench/target/upcase-netty-peer.jar
out=${1:-target/native-udp-syscalls}
mkdir -p "$out"
rounds=${ROUNDS:-3}
servers=${SERVERS:-nio epoll epoll-nospin}
sockets=${SOCKETS:-64}
depth=${DEPTH:-8}
duration=${DURATION:-8s}
if [[ -z ${GENERATOR:-} ]]; then
  GENERATOR=upcase
  bench/peers/build-c.sh >/dev/null 2>&1 && GENERATOR=c
fi
[[ $GENERATOR != c && " $servers " != *" c "* ]] || bench/peers/build-c.sh >/dev/null
ticks=$(getconf CLK_TCK)
pid=

# Stops the server this script started, by its PID, on any exit.
trap '[[ -z $pid ]] || kill -TERM "$pid" 2>/dev/null || true' EXIT

generator() {  # PORT DURATION [JSON]: sets gen, the generator's command on CPU 1
  if [[ $GENERATOR == c ]]; then
    gen=(taskset -c 1 bench/target/peers/upcase-c-load)
  else
    gen=(taskset -c 1 "$J" -cp "$JAR" upcase.cli.Main bench)
  fi
  gen+=(udp 127.0.0.1 "$1" --sockets "$sockets" --depth "$depth" --size 64 --duration "$2" --max-loss 100)
  [[ -z ${3:-} ]] || gen+=(--json "$3")
}

start() {  # SERVER LOG: starts it on CPU 0, sets pid
  case $1 in
    nio|epoll|epoll-nospin|io_uring|io_uring-nospin)
      local args=(--engine "${1%-nospin}" --udp-threads 1)
      [[ $1 != *-nospin ]] || args+=(--udp-spin 0)
      # shellcheck disable=SC2206 # UPCASE_SERVER_OPTS is a list of options
      args+=(${UPCASE_SERVER_OPTS:-})
      taskset -c 0 "$J" --enable-native-access=ALL-UNNAMED -cp "$JAR" upcase.cli.Main udp-server --bind 127.0.0.1 \
          --port 0 "${args[@]}" >"$2" 2>&1 & ;;
    netty|netty-io_uring)
      local transport=epoll
      [[ $1 == netty ]] || transport=io_uring
      taskset -c 0 "$J" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -jar "$NETTY" \
          --bind 127.0.0.1 --tcp-port 0 --udp-port 0 --transport "$transport" >"$2" 2>&1 & ;;
    c) taskset -c 0 bench/target/peers/upcase-c-server --bind 127.0.0.1 --tcp-port 0 --udp-port 0 >"$2" 2>&1 & ;;
    *) echo "native-udp-syscalls: unknown server $1" >&2; exit 2 ;;
  esac
  pid=$!
}

results=$out/runs.tsv
: >"$results"
for r in $(seq "$rounds"); do
  for server in $servers; do
    log=$out/server-$server-$r.log
    start "$server" "$log"
    port=
    for _ in $(seq 300); do
      port=$(grep -i udp "$log" | grep -io 'listening on [^ ]*' | head -1 | sed 's/.*://' | tr -dc 0-9 || true)
      [[ -z $port ]] || break
      sleep 0.1
    done
    [[ -n $port ]] || { echo "native-udp-syscalls: $server did not start (see $log)" >&2; exit 1; }
    generator "$port" 3s
    "${gen[@]}" >/dev/null 2>&1 || true
    cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    generator "$port" "$duration" "$out/bench-$server-$r.json"
    perf stat -x, -e raw_syscalls:sys_enter -p "$pid" -o "$out/perf-$server-$r.csv" -- \
      "${gen[@]}" >"$out/bench-$server-$r.out" 2>&1 || true
    cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    rss=$(ps -o rss= -p "$pid" | tr -d ' ')
    kill -TERM "$pid"; wait "$pid" || true; pid=
    calls=$(grep raw_syscalls "$out/perf-$server-$r.csv" | cut -d, -f1)
    python3 - "$server" "$r" "$calls" "$((cpu1 - cpu0))" "$ticks" "$out/bench-$server-$r.json" "$rss" >>"$results" <<'PY'
import json, sys
server, r, calls, cpu, ticks, path, rss = sys.argv[1:]
b = json.load(open(path))
replies = b['replies_per_s'] * b['duration_s']
print('\t'.join([server, r, '%.0f' % b['replies_per_s'], '%.3f' % (int(calls) / replies),
                 '%.2f' % (int(cpu) / int(ticks) * 1e6 / replies), str(b['latency_us']['p99']), rss]))
PY
    tail -1 "$results" | awk -F'\t' '{printf "round %s %-14s replies/s %8s  calls/datagram %s  cpu us/reply %s  p99 us %s  rss KiB %s\n", $2, $1, $3, $4, $5, $6, $7}'
  done
done
python3 - "$results" $servers <<'PY'
import statistics, sys
rows = [line.rstrip('\n').split('\t') for line in open(sys.argv[1]) if line.strip()]
print('medians [ranges] over %d rounds' % len({r[1] for r in rows}))
for server in sys.argv[2:]:
    mine = [r for r in rows if r[0] == server]
    if not mine:
        continue
    def cell(i, f):
        v = [float(r[i]) for r in mine]
        return (f + ' [' + f + '-' + f + ']') % (statistics.median(v), min(v), max(v))
    print('%-14s replies/s %s  calls/datagram %s  cpu us/reply %s' % (server, cell(2, '%.0f'), cell(3, '%.3f'), cell(4, '%.2f')))
PY
