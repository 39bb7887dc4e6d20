#!/usr/bin/env bash
# The TCP engines side by side, nio, epoll and io_uring (docs/PERFORMANCE.md, "The native TCP engine",
# "The io_uring TCP engine"):
# ROUNDS rounds (default 3), the engines alternating run by run within each scenario, the server
# pinned to CPU 0 (so one event loop), the generator on CPU 1. For each tcp run perf stat counts the
# server process's raw_syscalls:sys_enter over the whole bench run (system calls per reply), and
# /proc/PID/stat gives the server's CPU time from its start (CPU per line, JIT and warm-up included).
# Scenarios (SCENARIOS): tcp-1000x4 tcp-10000x1 connect idle.
# Needs perf (Debian linux-perf) with tracepoints readable (root), target/upcase.jar built, and
# ulimit -n above 11,000 for the 10,000-connection scenarios.
# Usage: bench/native-tcp.sh [OUT_DIR]     env: ROUNDS, SCENARIOS, DURATION (10s), JAVA (default: java),
#   ENGINES (default: nio epoll io_uring)
set -euo pipefail
cd "$(dirname "$0")/.."
J=${JAVA:-java}
JAR=target/upcase.jar
out=${1:-target/native-tcp}
mkdir -p "$out"
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
scenarios=${SCENARIOS:-tcp-1000x4 tcp-10000x1 connect idle}
ulimit -n 30000 2>/dev/null || true
for scenario in $scenarios; do
  for r in $(seq "$rounds"); do
    for engine in ${ENGINES:-nio epoll io_uring}; do
      name=$scenario-$engine-$r
      log=$out/server-$name.log
      taskset -c 0 "$J" --enable-native-access=ALL-UNNAMED -cp "$JAR" upcase.cli.Main tcp-server --bind 127.0.0.1 \
          --port 0 --engine "$engine" --max-connections 20000 2>"$log" &
      pid=$!
      for i in $(seq 200); do grep -q "listening on" "$log" && break; sleep 0.1; done
      port=$(sed -n 's/.*tcp listening on [^ ]*:\([0-9]*\).*/\1/p' "$log")
      case $scenario in
        tcp-*) spec=${scenario#tcp-}
                args=(tcp 127.0.0.1 "$port" --connections "${spec%x*}" --depth "${spec#*x}" --warmup 3s --duration "$duration") ;;
        connect) args=(connect 127.0.0.1 "$port" --concurrency 8 --duration "$duration") ;;
        idle) args=(idle 127.0.0.1 "$port" --connections 10000 --hold 10s --server-pid "$pid") ;;
      esac
      perf stat -x, -e raw_syscalls:sys_enter -p "$pid" -o "$out/perf-$name.csv" -- \
        taskset -c 1 "$J" -cp "$JAR" upcase.cli.Main bench "${args[@]}" --json "$out/bench-$name.json" \
          >/dev/null 2>"$out/bench-$name.err" || true
      ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat") # server CPU, user + system, in clock ticks
      kill -TERM "$pid"; wait "$pid" || true
      calls=$(grep raw_syscalls "$out/perf-$name.csv" | cut -d, -f1)
      lines=$(sed -n 's/.*stopped: tcp [0-9]* connections ([0-9]* refused), \([0-9]*\) lines.*/\1/p' "$log")
      python3 - "$out/bench-$name.json" "$scenario" "$engine" "$r" "$calls" "${lines:-0}" "$ticks" "$(getconf CLK_TCK)" <<'PY'
import json, sys
path, scenario, engine, r, calls, lines, ticks, hz = sys.argv[1:]
try:
    b = json.load(open(path))
except Exception as e:
    print(f"{scenario} round {r} {engine}: no report ({e})"); sys.exit()
def find(d, *keys):
    for k in keys:
        if k in d: return d[k]
    for v in d.values():
        if isinstance(v, dict):
            x = find(v, *keys)
            if x is not None: return x
    return None
per_reply = round(int(calls) / int(lines), 3) if calls.isdigit() and int(lines) > 0 else None
# The whole process's CPU from its start (JIT and warm-up included) per line received.
cpu_us = round(int(ticks) * 1e6 / int(hz) / int(lines), 2) if int(lines) > 0 else None
print(f"{scenario} round {r} {engine}: replies/s {find(b, 'replies_per_s', 'exchanges_per_s', 'connects_per_s')}"
      f" p99 {find(b, 'p99_ms', 'p99')} kib/conn {find(b, 'kib_per_connection')} syscalls/line {per_reply}"
      f" cpu_us/line {cpu_us}")
PY
    done
  done
done
