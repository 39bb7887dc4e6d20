#!/usr/bin/env bash
# Two `upcase tcp-server --reuse-port` processes on one port, in a network namespace of their own
# (root; `ip` from iproute2), short connections from `upcase bench connect`, and SIGTERM to one of
# them halfway: prints what the clients saw, once with net.ipv4.tcp_migrate_req=0 and once with 1
# (the sysctl is per namespace: the host's is not touched). Results: docs/OPERATIONS.md.
#
#   bench/reuse-port.sh [ROUNDS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
rounds=${1:-3}
concurrency=${2:-16}
[[ -f target/upcase.jar ]] || ./mvnw -B -q package -DskipTests
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
ns=upcase-reuse-port-$$
out=$(mktemp -d)
ip netns add "$ns"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; ip netns del "$ns"; rm -rf "$out"' EXIT
ip netns exec "$ns" ip link set lo up
# `ip netns exec` execs the command: $! is the JVM's PID, which the signals must reach.
run=(ip netns exec "$ns" "$java" -jar target/upcase.jar)
port=7000

await_listening() {
    for _ in $(seq 200); do grep -q "listening on" "$1" 2>/dev/null && return; sleep 0.1; done
    echo "no listening line in $1" >&2; cat "$1" >&2; exit 1
}

for migrate in 0 1; do
    ip netns exec "$ns" sysctl -qw net.ipv4.tcp_migrate_req=$migrate
    for round in $(seq "$rounds"); do
        rm -f "$out/a.log" "$out/b.log" "$out/bench.json"
        # A logs every connection (--verbose), so the script can wait until it has taken some.
        "${run[@]}" tcp-server --bind 127.0.0.1 --port $port --reuse-port --verbose </dev/null >/dev/null 2>"$out/a.log" & a=$!
        pids+=($a)
        await_listening "$out/a.log"
        "${run[@]}" tcp-server --bind 127.0.0.1 --port $port --reuse-port </dev/null >/dev/null 2>"$out/b.log" & b=$!
        pids+=($b)
        await_listening "$out/b.log"
        "${run[@]}" bench connect 127.0.0.1 $port --concurrency "$concurrency" --duration 4s --warmup 0s \
            --json "$out/bench.json" </dev/null >"$out/bench.txt" 2>/dev/null & load=$!
        pids+=($load)
        for _ in $(seq 200); do grep -q "connection from" "$out/a.log" 2>/dev/null && break; sleep 0.05; done
        sleep 1
        kill -TERM $a
        wait $a || true
        status=0
        wait $load || status=$?
        kill -TERM $b
        wait $b || true
        fig() { grep -o "\"$1\": [0-9.]*" "$out/bench.json" | head -1 | sed 's/.*: //'; }
        printf 'tcp_migrate_req=%s round %s: bench exit %s, replies %s, connect_failures %s, resets %s, errors %s | A: %s | B: %s\n' \
            $migrate "$round" $status "$(fig replies)" "$(fig connect_failures)" "$(fig resets)" "$(fig errors)" \
            "$(grep -o 'tcp [0-9]* connections' "$out/a.log")" "$(grep -o 'tcp [0-9]* connections' "$out/b.log")"
    done
done
