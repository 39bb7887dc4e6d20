#!/usr/bin/env bash
# bench/scaling.sh: the upcase server on one core and on two, with the CPU the load generator
# spends counted, for the projection to more cores in docs/PERFORMANCE.md ("On more cores").
#
#   bench/scaling.sh                       # 3 rounds, udp-64x8 and tcp-1000x4, 5 s each
#   ROUNDS=5 DURATION=5s ENGINE=epoll bench/scaling.sh
#
# Two layouts, alternated run by run within each round (this machine's noise drifts over minutes):
#   1core  the server pinned to CPU 0 (so the JVM sees one CPU: one TCP event loop, one UDP
#          thread), the C generator (bench/peers/upcase_c_load.c) pinned to CPU 1;
#   2cores server and generator unpinned on both CPUs (two event loops, two UDP threads), the
#          scheduler sharing the CPUs between them.
# For each run: replies/s, and the CPU seconds the server and the generator spent per million
# replies (/proc/PID/stat, utime + stime). On one core the server is the bottleneck when it
# spends its whole CPU; on two, the generator takes part of the same two CPUs, so the figure
# that carries to a larger host is the server's CPU per reply and how it changes from one
# thread to two (contention, cache lines shared between threads), not the raw rate.
# Raw results go to bench/results/scaling-DATE/ (gitignored); the table is printed at the end.
#
# Settings (environment): ROUNDS DURATION SCENARIOS ENGINE JAVA HOST. Needs gcc (build-c.sh).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
SCENARIOS=${SCENARIOS:-udp-64x8 tcp-1000x4}
ENGINE=${ENGINE:-auto}
HOST=${HOST:-127.0.0.1}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
RESULTS=${RESULTS:-$ROOT/bench/results/scaling-$(date -u +%Y%m%dT%H%M%SZ)}
C_LOAD=$ROOT/bench/target/peers/upcase-c-load
mkdir -p -- "$RESULTS"

say() { printf 'scaling: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[[ -f $ROOT/target/upcase.jar ]] || die "no target/upcase.jar: run ./mvnw -q -DskipTests package first"
[[ -x $C_LOAD ]] || bash "$ROOT/bench/peers/build-c.sh" >/dev/null || die "cannot build the C generator"

# child_ticks: sets CHILD_TICKS to the user + system CPU of this shell's waited-for children, in
# clock ticks (read as a difference around the generator's run; the server is not waited for
# until it stops). `times` runs in this shell, not a subshell, which would count its own children.
child_ticks() {
    times >"$RESULTS/.times"
    CHILD_TICKS=$(python3 -c 'import re,sys,os; hz=os.sysconf("SC_CLK_TCK"); print(round(sum(int(m)*60+float(s) for m,s in re.findall(r"(\d+)m([\d.]+)s", open(sys.argv[1]).read().splitlines()[1]))*hz))' "$RESULTS/.times")
}

ticks() {   # utime + stime of PID, in clock ticks
    local f
    f=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    read -r -a f <<<"$f"
    echo $(( f[11] + f[12] ))
}

SERVER=
stop_server() {
    [[ -n $SERVER ]] || return 0
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
}
trap stop_server EXIT

# start LAYOUT LOG: the server, on CPU 0 or unpinned; sets SERVER, TCP_PORT, UDP_PORT.
start() {
    local pin=() i
    [[ $1 == 1core ]] && pin=(taskset -c 0)
    ${pin[@]+"${pin[@]}"} "$JAVA" -Xmx1g --enable-native-access=ALL-UNNAMED -jar "$ROOT/target/upcase.jar" \
        server --bind "$HOST" --tcp-port 0 --udp-port 0 --engine "$ENGINE" </dev/null >"$2" 2>&1 &
    SERVER=$!
    for ((i = 0; i < 300; i++)); do
        TCP_PORT=$(sed -nE 's/^upcase: tcp listening on \S*:([0-9]+).*/\1/p' "$2")
        UDP_PORT=$(sed -nE 's/^upcase: udp listening on \S*:([0-9]+).*/\1/p' "$2")
        [[ -n $TCP_PORT && -n $UDP_PORT ]] && return 0
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    die "the server did not start (see $2)"
}

# run LAYOUT SCENARIO: one measured run on a fresh server, after an untimed warm-up.
run() {
    local layout=$1 scenario=$2 gen=() args=() s0 g0 s1 gticks out=$RESULTS/$layout-$scenario-$round
    start "$layout" "$out.server.log"
    [[ $layout == 1core ]] && gen=(taskset -c 1)
    case $scenario in
        udp-64x8) args=(udp "$HOST" "$UDP_PORT" --sockets 64 --depth 8) ;;
        tcp-1000x4) args=(tcp "$HOST" "$TCP_PORT" --connections 1000 --depth 4) ;;
        *) die "unknown scenario $scenario" ;;
    esac
    ${gen[@]+"${gen[@]}"} "$C_LOAD" "${args[@]}" --size 64 --duration 2s >/dev/null 2>&1 || true
    s0=$(ticks "$SERVER")
    child_ticks; g0=$CHILD_TICKS
    # The measured TCP run has no warm-up of its own (the C generator's default is 1 s): its CPU
    # would count, its replies not. The untimed run above is the warm-up.
    [[ $scenario == tcp-* ]] && args+=(--warmup 0s)
    ${gen[@]+"${gen[@]}"} "$C_LOAD" "${args[@]}" --size 64 --duration "$DURATION" --json "$out.json" \
        >"$out.log" 2>&1 || say "$layout $scenario round $round: the generator failed (see $out.log)"
    child_ticks; gticks=$(( CHILD_TICKS - g0 ))
    s1=$(ticks "$SERVER")
    stop_server
    python3 - "$out.json" "$layout" "$scenario" "$round" "$((s1 - s0))" "${gticks:-0}" "$(getconf CLK_TCK)" \
        >>"$RESULTS/runs.tsv" <<'EOF'
import json, sys
path, layout, scenario, rnd, sticks, gticks, hz = sys.argv[1:]
r = json.load(open(path))
replies = r["replies"]
ok = r["result"] == "ok"
per_m = lambda t: int(t) / int(hz) / replies * 1e6 if replies else float("nan")
print(f"{layout}\t{scenario}\t{rnd}\t{r['replies_per_s']:.0f}\t{per_m(sticks):.2f}\t{per_m(gticks):.2f}\t{r['latency_us']['p99']:.0f}\t{'ok' if ok else 'failed'}")
EOF
}

printf 'layout\tscenario\tround\treplies_per_s\tserver_cpu_s_per_M\tgenerator_cpu_s_per_M\tp99_us\tresult\n' >"$RESULTS/runs.tsv"
for ((round = 1; round <= ROUNDS; round++)); do
    for scenario in $SCENARIOS; do
        # The order of the layouts alternates from round to round.
        if ((round % 2)); then order=(1core 2cores); else order=(2cores 1core); fi
        for layout in "${order[@]}"; do
            run "$layout" "$scenario"
            say "$(tail -n 1 "$RESULTS/runs.tsv")"
        done
    done
done

python3 - "$RESULTS/runs.tsv" <<'EOF'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["result"] == "ok"]
print("| scenario | layout | replies/s median [range] | server CPU s per M replies | generator CPU s per M | p99 us |")
print("|---|---|---|---|---|---|")
for scenario in dict.fromkeys(r["scenario"] for r in rows):
    for layout in ("1core", "2cores"):
        rs = [r for r in rows if r["scenario"] == scenario and r["layout"] == layout]
        if not rs:
            continue
        f = lambda k: [float(r[k]) for r in rs]
        rate = f("replies_per_s")
        print(f"| {scenario} | {layout} | {statistics.median(rate):,.0f} [{min(rate):,.0f}-{max(rate):,.0f}] "
              f"| {statistics.median(f('server_cpu_s_per_M')):.2f} | {statistics.median(f('generator_cpu_s_per_M')):.2f} "
              f"| {statistics.median(f('p99_us')):.0f} |")
EOF
say "raw results in $RESULTS"
