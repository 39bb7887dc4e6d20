#!/usr/bin/env bash
# System calls per datagram and replies/s of the UDP engines, nio against epoll (docs/PERFORMANCE.md,
# "The native UDP engine"): ROUNDS rounds (default 3), engines alternating within each round, the
# server pinned to CPU 0 with one thread, the generator (bench udp, 64 sockets x 8 in flight) on
# CPU 1; perf stat counts the server process's raw_syscalls:sys_enter over the whole bench run.
# Needs perf (Debian linux-perf), tracepoints readable (root), and target/upcase.jar built.
# Usage: bench/native-udp-syscalls.sh [OUT_DIR]     env: ROUNDS, JAVA (default: java on the PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
J=${JAVA:-java}
JAR=target/upcase.jar
out=${1:-target/native-udp-syscalls}
mkdir -p "$out"
rounds=${ROUNDS:-3}
for r in $(seq "$rounds"); do
  for engine in nio epoll; do
    log=$out/server-$engine-$r.log
    taskset -c 0 "$J" --enable-native-access=ALL-UNNAMED -cp "$JAR" upcase.cli.Main udp-server --bind 127.0.0.1 --port 0 \
        --engine "$engine" --udp-threads 1 2>"$log" &
    pid=$!
    for i in $(seq 200); do grep -q "listening on" "$log" && break; sleep 0.1; done
    port=$(sed -n 's/.*udp listening on [^ ]*:\([0-9]*\).*/\1/p' "$log")
    perf stat -x, -e raw_syscalls:sys_enter -p "$pid" -o "$out/perf-$engine-$r.csv" -- \
      taskset -c 1 "$J" -cp "$JAR" upcase.cli.Main bench udp 127.0.0.1 "$port" --sockets 64 --depth 8 \
        --warmup 3s --duration 10s --max-loss 100 --json "$out/bench-$engine-$r.json" >/dev/null 2>"$out/bench-$engine-$r.err" || true
    kill -TERM "$pid"; wait "$pid" || true
    calls=$(grep raw_syscalls "$out/perf-$engine-$r.csv" | cut -d, -f1)
    datagrams=$(sed -n 's/.*stopped: udp \([0-9]*\) datagrams.*/\1/p' "$log")
    rps=$(python3 -c "import json; print(round(json.load(open('$out/bench-$engine-$r.json'))['replies_per_s']))")
    echo "round $r $engine syscalls=$calls datagrams=$datagrams per_datagram=$(python3 -c "print(round($calls/$datagrams,3))") replies_per_s=$rps"
  done
done
