#!/usr/bin/env bash
# bench/compare.sh: upcase side by side with its peers, on loopback, in about 10 minutes.
#
#   bench/compare.sh                 # everything: builds, 3 rounds, one table
#   ROUNDS=5 DURATION=5s bench/compare.sh
#   SERVERS="upcase netty" SCENARIOS="tcp-1x1 udp-64x8" bench/compare.sh
#   bench/compare.sh --generator c   # tcp-*, udp-* and connect loads from the C generator (GENERATOR=c)
#
# Servers: upcase (and upcase-metrics: the same with --metrics, scraped every second;
# upcase-nio and upcase-io_uring: the same with --engine nio or io_uring, the default being epoll;
# each counts as a peer in the ratios, so compare their medians); the Netty
# peer (bench/src, built to bench/target/upcase-netty-peer.jar) on its epoll transport (netty) and
# on io_uring (netty-io_uring); a single-threaded C server, epoll and recvmmsg/sendmmsg (c,
# bench/peers/upcase_c_server.c, built with gcc by bench/peers/build-c.sh): the limit; socat
# forking an unbuffered `tr a-z A-Z` per connection; textbook-style Python servers
# (bench/peers/*.py). Every server runs on CPU 0 (taskset), the load generator `upcase bench`
# on CPU 1; the JVMs (both servers and the generator) run on the same JDK 25. Each round starts
# each server on a fresh process for the idle scenario, one after the other; then it starts all
# of them side by side, warms the JVM servers up with untimed runs, and runs each scenario on
# every server in turn (the order rotates from scenario to scenario and round to round), so that
# the servers are compared within the same minute; then it stops them by PID. For every run it
# records the server's CPU per reply (/proc/PID/stat) and, where perf can count the
# raw_syscalls:sys_enter tracepoint, its system calls per reply. The table gives each figure's
# median over the rounds a server completed correctly, the median over rounds of the ratio of
# upcase to the best peer, and to the better Netty transport of each round (table.md), and
# report.html shows the same as charts.
# Raw results go to bench/results/DATE/ (gitignored).
# docs/PERFORMANCE.md explains the method and records a run.
#
# Settings (environment): ROUNDS DURATION WARMUP SERVER_WARMUP SIZE BULK_MB BULK_WARMUP_MB BULK_LINE
# UDP_TIMEOUT IDLE_CONNECTIONS IDLE_HOLD CONNECT_CONCURRENCY CONNECT_RATE MODE SERVERS SCENARIOS BUDGET
# SERVER_CPU GENERATOR_CPU JAVA SERVER_JAVA_OPTS BENCH_JAVA_OPTS UPCASE_SERVER_OPTS NETTY_OPTS
# SYSCALLS (auto | off) GENERATOR (upcase | c: bench/peers/upcase_c_load.c runs the tcp-* and
# udp-* scenarios, upcase bench the others and the warm-ups) RESULTS UPCASE_BENCH_CMD (another
# generator with upcase bench's command line, for testing this script). Defaults below.
set -euo pipefail
export LC_ALL=C

while (($#)); do
    case $1 in
        --generator) (($# >= 2)) || { echo "compare: --generator needs upcase or c" >&2; exit 2; }
                     GENERATOR=$2; shift 2 ;;
        --generator=*) GENERATOR=${1#*=}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare: unknown argument $1 (settings are environment variables: see --help)" >&2; exit 2 ;;
    esac
done

# --- the figures read from `upcase bench --json FILE` ---------------------------------------------
# These names are the only place the script depends on the generator's JSON: adjust them here if
# its fields are named differently. A dotted name (latency.p99_us) reads a nested field.
F_RATE=replies_per_s          # tcp, udp, connect: replies per second (connect: one line per connection)
F_MBPS=mb_per_s               # bulk: megabytes per second through the server
F_P99=latency_us.p99                # tcp, udp, connect: 99th percentile latency, microseconds
F_KIB=kib_per_connection      # idle: server memory per open connection, KiB
F_ERRORS=errors               # > 0: the run did not complete correctly
F_MISMATCHES=mismatches       # > 0: the run did not complete correctly
F_LOST=lost                   # udp: datagrams never answered (reported; the rate already pays for them)
F_SENT=sent                   # tcp, udp, connect: lines or datagrams sent over the whole run

# --- settings ----------------------------------------------------------------------------------
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-3s}                 # timed part of every tcp, udp and connect run
WARMUP=${WARMUP:-1s}                     # `bench tcp --warmup`: untimed start of each tcp run
SERVER_WARMUP=${SERVER_WARMUP:-2s}       # untimed load on each JVM server before its runs
SIZE=${SIZE:-64}                         # bytes per line / datagram
BULK_MB=${BULK_MB:-200}
BULK_LINE=${BULK_LINE:-1024}
BULK_WARMUP_MB=${BULK_WARMUP_MB:-100}    # streamed first on the same connection, checked, not timed
UDP_TIMEOUT=${UDP_TIMEOUT:-1s}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
IDLE_HOLD=${IDLE_HOLD:-2s}
CONNECT_CONCURRENCY=${CONNECT_CONCURRENCY:-8}
CONNECT_RATE=${CONNECT_RATE:-4000}          # connect-rate: new connections per second, below every server's most
MODE=${MODE:-ascii}                      # the JVM servers' transform: ascii | unicode
SERVERS=${SERVERS:-upcase netty netty-io_uring c socat python}
SCENARIOS=${SCENARIOS:-tcp-1x1 tcp-100x1 tcp-1000x4 tcp-10000x1 connect connect-rate bulk udp-1x1 udp-64x8 idle}
BUDGET=${BUDGET:-600}                    # seconds; a run that would start later is skipped
SERVER_CPU=${SERVER_CPU:-0}
GENERATOR_CPU=${GENERATOR_CPU:-1}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xmx1g}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
UPCASE_SERVER_OPTS=${UPCASE_SERVER_OPTS:---max-connections 15000}
NETTY_OPTS=${NETTY_OPTS:-}
SYSCALLS=${SYSCALLS:-auto}               # auto: count system calls per reply with perf where it works; off
GENERATOR=${GENERATOR:-upcase}           # upcase | c (the C generator for the tcp-*, udp-* and connect scenarios)
HOST=127.0.0.1

ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
STAMP=$(date +%Y-%m-%d_%H%M%S)
RESULTS=${RESULTS:-$ROOT/bench/results/$STAMP}
T0=${EPOCHREALTIME/./}

say() { local t=${EPOCHREALTIME/./}; printf 'compare: %4ds %s\n' $(( (t - T0) / 1000000 )) "$*" >&2; }
die() { say "$*"; exit 1; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $(( (t - T0) / 1000 )); }

# seconds (rounded up) of a duration written 500ms, 3s, 2m or 3
secs() {
    local d=$1
    case $d in
        *ms) echo $(( (${d%ms} + 999) / 1000 )) ;;
        *s) echo "${d%s}" ;;
        *m) echo $(( ${d%m} * 60 )) ;;
        *) echo "$d" ;;
    esac
}

# json_fields FILE NAME...: one line per NAME, the field's value (a number, or text), or an empty
# line when FILE is missing or not JSON, or the field is absent, null or not a scalar.
json_fields() {
    "$PYTHON" - "$@" <<'PY' 2>/dev/null || true
import json, sys
try:
    document = json.load(open(sys.argv[1]))
except Exception:
    document = None
for name in sys.argv[2:]:
    value = document
    try:
        for key in name.split('.'):
            value = value[key]
    except Exception:
        value = None
    print('' if value is None or isinstance(value, (dict, list)) else value)
PY
}

# --- processes: every one started here is stopped by PID, on any exit --------------------------
STARTED=()      # server PIDs
GEN_PID=
PERF_PID=

descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        descendants "$child"
        echo "$child"
    done
}

# alive PID...: true while one of them runs (a zombie, exited but not yet waited for, does not).
alive() {
    local pid stat
    for pid in "$@"; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        [[ ${stat%% *} != Z ]] && return 0
    done
    return 1
}

# stop PID...: SIGTERM to each and to its descendants (socat's forked children), SIGKILL after 5 s.
stop() {
    local pid all=() i
    for pid in "$@"; do
        [[ -n $pid ]] || continue
        all+=($(descendants "$pid") "$pid")
    done
    ((${#all[@]})) || return 0
    kill -TERM "${all[@]}" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        alive "${all[@]}" || break
        sleep 0.1
    done
    for pid in "${all[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop "$GEN_PID" "$PERF_PID" ${STARTED[@]+"${STARTED[@]}"}
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites -----------------------------------------------------------------------------
mkdir -p -- "$RESULTS"
cd -- "$ROOT"

command -v taskset >/dev/null || die "taskset is missing (util-linux)"
command -v python3 >/dev/null || die "python3 is missing"
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
(( $(nproc --all) >= 2 )) || die "needs at least 2 CPUs: the server runs on one, the generator on another"

if [[ -z ${JAVA:-} ]]; then
    for JAVA in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "${JAVA_HOME:-/nonexistent}/bin/java" \
                /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
        [[ -x $JAVA ]] && [[ $("$JAVA" -version 2>&1) =~ version\ \"(2[5-9]|[3-9][0-9]) ]] && break
        JAVA=
    done
fi
[[ -n $JAVA && $("$JAVA" -version 2>&1) =~ version\ \"(2[5-9]|[3-9][0-9]) ]] || die "no JDK 25 or newer (set JAVA)"

if [[ " $SERVERS " == *" socat "* ]] && ! command -v socat >/dev/null; then
    say "installing socat"
    { apt-get install -y socat || { apt-get update && apt-get install -y socat; }; } >"$RESULTS/apt.log" 2>&1 \
        || say "could not install socat (see $RESULTS/apt.log): its scenarios will be n/a"
fi

# Each side holds up to IDLE_CONNECTIONS sockets (and tcp-10000x1 10,000).
need=$(( (IDLE_CONNECTIONS > 10000 ? IDLE_CONNECTIONS : 10000) + 1000 ))
if (( $(ulimit -n) < need )); then
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
(( $(ulimit -n) >= need )) || say "ulimit -n is $(ulimit -n), below $need: tcp-10000x1 and idle may fail"

# System calls per reply: perf counts the raw_syscalls:sys_enter tracepoint in the server's
# processes over each run (tracepoints work in VMs where hardware counters do not).
PERF=
case $SYSCALLS in
    off) ;;
    auto)
        if ! command -v perf >/dev/null; then
            say "installing linux-perf (system calls per reply; SYSCALLS=off goes without)"
            { apt-get install -y linux-perf || { apt-get update && apt-get install -y linux-perf; }; } \
                >"$RESULTS/apt-perf.log" 2>&1 || true
        fi
        if command -v perf >/dev/null \
                && perf stat -x, -e raw_syscalls:sys_enter -o "$RESULTS/perf-check.txt" -- true >/dev/null 2>&1 \
                && grep -qE '^[0-9]+,' "$RESULTS/perf-check.txt"; then
            PERF=$(command -v perf)
        else
            say "perf cannot count raw_syscalls:sys_enter here (perf missing, or tracepoints not allowed): no system calls per reply"
        fi ;;
    *) die "SYSCALLS is auto or off, not $SYSCALLS" ;;
esac

# --- builds ------------------------------------------------------------------------------------
say "building target/upcase.jar and bench/target/upcase-netty-peer.jar (logs in $RESULTS)"
./mvnw -B -q -DskipTests package </dev/null >"$RESULTS/build-upcase.log" 2>&1 \
    || die "upcase build failed: $RESULTS/build-upcase.log"
if [[ " $SERVERS " == *" netty "* || " $SERVERS " == *" netty-io_uring "* ]]; then
    ./mvnw -B -q -f bench/pom.xml package </dev/null >"$RESULTS/build-netty.log" 2>&1 \
        || die "Netty peer build failed: $RESULTS/build-netty.log"
fi
C_SERVER=$ROOT/bench/target/peers/upcase-c-server
C_LOAD=$ROOT/bench/target/peers/upcase-c-load
case $GENERATOR in
    upcase) ;;
    c) ;;
    *) die "GENERATOR is upcase or c, not $GENERATOR" ;;
esac
if [[ " $SERVERS " == *" c "* || $GENERATOR == c ]]; then
    say "building bench/target/peers/upcase-c-server"
    bash "$ROOT/bench/peers/build-c.sh" </dev/null >"$RESULTS/build-c.log" 2>&1 \
        || say "C server build failed (see $RESULTS/build-c.log): its scenarios will be failed"
    [[ $GENERATOR != c || -x $C_LOAD ]] || die "no C generator (see $RESULTS/build-c.log)"
fi

if [[ -n ${UPCASE_BENCH_CMD:-} ]]; then
    read -r -a BENCH <<<"$UPCASE_BENCH_CMD"
else
    read -r -a bench_opts <<<"$BENCH_JAVA_OPTS"
    BENCH=("$JAVA" ${bench_opts[@]+"${bench_opts[@]}"} -jar "$ROOT/target/upcase.jar" bench)
    # (`upcase --help` would exit 0 whatever follows it: look for the subcommand's own usage line.)
    [[ $("${BENCH[@]}" --help 2>&1) == *"Usage: upcase bench"* ]] \
        || die "target/upcase.jar has no 'bench' command (it comes with the bench branch); UPCASE_BENCH_CMD names another generator"
fi
read -r -a server_java_opts <<<"$SERVER_JAVA_OPTS"
read -r -a upcase_server_opts <<<"$UPCASE_SERVER_OPTS"
read -r -a netty_opts <<<"$NETTY_OPTS"
mode_flag=()
case $MODE in
    ascii) mode_flag=(--ascii) ;;
    unicode) ;;
    *) die "MODE is ascii or unicode, not $MODE" ;;
esac

# --- machine -----------------------------------------------------------------------------------
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "host: $(uname -srm); $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1); $(nproc --all) CPUs; $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
    echo "python: $("$PYTHON" --version 2>&1); socat: $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/\1/p')"
    echo "upcase: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "gcc: $(gcc -dumpfullversion 2>/dev/null || echo none); perf: $([[ -n $PERF ]] && "$PERF" --version 2>/dev/null || echo "none (no system calls per reply)")"
    echo "generator: ${BENCH[*]}$([[ $GENERATOR != c ]] || echo "; tcp-*, udp-* and connect: $C_LOAD")"
    echo "settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP SERVER_WARMUP=$SERVER_WARMUP SIZE=$SIZE" \
         "BULK_MB=$BULK_MB BULK_WARMUP_MB=$BULK_WARMUP_MB BULK_LINE=$BULK_LINE UDP_TIMEOUT=$UDP_TIMEOUT IDLE_CONNECTIONS=$IDLE_CONNECTIONS" \
         "IDLE_HOLD=$IDLE_HOLD CONNECT_CONCURRENCY=$CONNECT_CONCURRENCY CONNECT_RATE=$CONNECT_RATE MODE=$MODE SERVER_CPU=$SERVER_CPU" \
         "GENERATOR_CPU=$GENERATOR_CPU SERVER_JAVA_OPTS='$SERVER_JAVA_OPTS' BENCH_JAVA_OPTS='$BENCH_JAVA_OPTS'" \
         "UPCASE_SERVER_OPTS='$UPCASE_SERVER_OPTS' NETTY_OPTS='$NETTY_OPTS' SYSCALLS=$SYSCALLS GENERATOR=$GENERATOR"
} >"$RESULTS/machine.txt"

# --- servers -----------------------------------------------------------------------------------
# What each server cannot do is not run: "n/a" in the table, and no "best peer" there.
na_reason() {   # SERVER SCENARIO: prints why the server cannot run the scenario, or nothing
    case $1 in
        socat)
            command -v socat >/dev/null || { echo "socat not installed"; return; }
            case $2 in
                udp-*) echo "tr has no datagrams" ;;
                tcp-10000x1|idle) echo "two processes per connection" ;;
            esac ;;
        python)
            case $2 in
                tcp-100x1|tcp-1000x4|tcp-10000x1|idle) echo "one client at a time" ;;
            esac ;;
    esac
}

is_jvm() { [[ $1 == upcase || $1 == upcase-* || $1 == netty || $1 == netty-io_uring ]]; }

# wait_port LOG PROTO PID: the port of the first "PROTO listening on ADDR:PORT" line in LOG
# (notes in parentheses may follow the port: upcase names its UDP engine there).
wait_port() {
    local log=$1 proto=$2 pid=$3 i line
    for ((i = 0; i < 300; i++)); do
        line=$(grep -m1 -oE "$proto listening on [^ ]*:[0-9]+( |\$)" "$log" 2>/dev/null || true)
        line=${line% }
        if [[ -n $line ]]; then echo "${line##*:}"; return 0; fi
        alive "$pid" || return 1
        sleep 0.1
    done
    return 1
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME LOG: starts it on SERVER_CPU; sets PIDS (all its processes), MAIN_PID (the one
# whose memory the idle scenario reads), TCP_PORT and UDP_PORT (empty if none), SCRAPER_PID
# (upcase-metrics: the scraper, one of PIDS but not the server; else empty).
start_server() {
    local name=$1 log=$2 pid pid2 i
    PIDS=() MAIN_PID= TCP_PORT= UDP_PORT= SCRAPER_PID=
    case $name in
        upcase|upcase-metrics|upcase-nio|upcase-io_uring)
            # upcase-metrics: the same server with --metrics, scraped every second as Prometheus
            # would (the scraper runs on the generator's CPU), to show what counting costs. It
            # scrapes only while this server is under load (SCRAPE_FLAG exists): the servers of a
            # round share SERVER_CPU, and a scrape stops the JVM at a safepoint.
            local metrics_flag=()
            [[ $name == upcase-metrics ]] && metrics_flag=(--metrics "$HOST:0")
            local engine_flag=()
            [[ $name == upcase-nio || $name == upcase-io_uring ]] && engine_flag=(--engine "${name#upcase-}")
            taskset -c "$SERVER_CPU" "$JAVA" ${server_java_opts[@]+"${server_java_opts[@]}"} \
                -jar "$ROOT/target/upcase.jar" server --bind "$HOST" --tcp-port 0 --udp-port 0 \
                ${mode_flag[@]+"${mode_flag[@]}"} ${upcase_server_opts[@]+"${upcase_server_opts[@]}"} \
                ${metrics_flag[@]+"${metrics_flag[@]}"} ${engine_flag[@]+"${engine_flag[@]}"} </dev/null >"$log" 2>&1 &
            pid=$!; STARTED+=("$pid"); PIDS=("$pid"); MAIN_PID=$pid
            TCP_PORT=$(wait_port "$log" tcp "$pid") && UDP_PORT=$(wait_port "$log" udp "$pid") || return 1
            if [[ $name == upcase-metrics ]]; then
                local metrics_port
                metrics_port=$(wait_port "$log" metrics "$pid") || return 1
                taskset -c "$GENERATOR_CPU" bash -c 'while kill -0 "$1" 2>/dev/null; do
                        [[ ! -e $3 ]] || curl -fsS -o /dev/null "http://$2/metrics" || true; sleep 1; done' \
                    scraper "$pid" "$HOST:$metrics_port" "$SCRAPE_FLAG" </dev/null >/dev/null 2>&1 &
                STARTED+=("$!"); PIDS+=("$!"); SCRAPER_PID=$!
            fi ;;
        netty|netty-io_uring)
            # One peer, two native transports; where io_uring is not available the peer says why
            # and exits 1 (its runs are then failed, with that line as the note).
            local transport=epoll
            [[ $name == netty-io_uring ]] && transport=io_uring
            taskset -c "$SERVER_CPU" "$JAVA" ${server_java_opts[@]+"${server_java_opts[@]}"} \
                --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
                -jar "$ROOT/bench/target/upcase-netty-peer.jar" --bind "$HOST" --tcp-port 0 --udp-port 0 \
                --transport "$transport" ${mode_flag[@]+"${mode_flag[@]}"} ${netty_opts[@]+"${netty_opts[@]}"} \
                </dev/null >"$log" 2>&1 &
            pid=$!; STARTED+=("$pid"); PIDS=("$pid"); MAIN_PID=$pid
            TCP_PORT=$(wait_port "$log" tcp "$pid") && UDP_PORT=$(wait_port "$log" udp "$pid") || return 1 ;;
        c)
            # The C reference server (bench/peers/upcase_c_server.c): ASCII only, which is all the
            # payloads hold, whatever MODE says.
            [[ -x $C_SERVER ]] || { echo "c: $C_SERVER was not built (see build-c.log)" >"$log"; return 1; }
            taskset -c "$SERVER_CPU" "$C_SERVER" --bind "$HOST" --tcp-port 0 --udp-port 0 </dev/null >"$log" 2>&1 &
            pid=$!; STARTED+=("$pid"); PIDS=("$pid"); MAIN_PID=$pid
            TCP_PORT=$(wait_port "$log" tcp "$pid") && UDP_PORT=$(wait_port "$log" udp "$pid") || return 1 ;;
        socat)
            TCP_PORT=$(free_port)
            # tr buffers its output when it is not a terminal: stdbuf -o0 makes it write each read.
            taskset -c "$SERVER_CPU" socat \
                "TCP-LISTEN:$TCP_PORT,bind=$HOST,reuseaddr,fork,nodelay,backlog=4096" \
                EXEC:'stdbuf -o0 tr a-z A-Z' </dev/null >"$log" 2>&1 &
            pid=$!; STARTED+=("$pid"); PIDS=("$pid"); MAIN_PID=$pid
            for ((i = 0; i < 100; i++)); do
                [[ -n $(ss -Hltn "sport = :$TCP_PORT" 2>/dev/null) ]] && return 0
                alive "$pid" || return 1
                sleep 0.1
            done
            return 1 ;;
        python)
            taskset -c "$SERVER_CPU" "$PYTHON" "$ROOT/bench/peers/python_tcp_server.py" 0 </dev/null >"$log" 2>&1 &
            pid=$!; STARTED+=("$pid")
            taskset -c "$SERVER_CPU" "$PYTHON" "$ROOT/bench/peers/python_udp_server.py" 0 </dev/null >"${log%.log}-udp.log" 2>&1 &
            pid2=$!; STARTED+=("$pid2"); PIDS=("$pid" "$pid2"); MAIN_PID=$pid
            TCP_PORT=$(wait_port "$log" tcp "$pid") && UDP_PORT=$(wait_port "${log%.log}-udp.log" udp "$pid2") || return 1 ;;
        *) die "unknown server $name" ;;
    esac
}

stop_server() {
    stop ${PIDS[@]+"${PIDS[@]}"}
    local keep=() p q
    for p in ${STARTED[@]+"${STARTED[@]}"}; do
        for q in ${PIDS[@]+"${PIDS[@]}"}; do [[ $p == "$q" ]] && continue 2; done
        keep+=("$p")
    done
    STARTED=(${keep[@]+"${keep[@]}"})
    PIDS=()
}

# --- scenarios ---------------------------------------------------------------------------------
# scenario_args NAME: sets ARGS (the generator's arguments against TCP_PORT/UDP_PORT) and LIMIT
# (seconds after which the run is killed and counted as failed).
scenario_args() {
    local d w
    d=$(secs "$DURATION"); w=$(secs "$WARMUP")
    case $1 in
        tcp-*x*)
            local spec=${1#tcp-}
            ARGS=(tcp "$HOST" "$TCP_PORT" --connections "${spec%x*}" --depth "${spec#*x}" --size "$SIZE"
                  --duration "$DURATION" --warmup "$WARMUP" --ascii)
            LIMIT=$((d + w + 60)) ;;
        udp-*x*)
            local spec=${1#udp-}
            ARGS=(udp "$HOST" "$UDP_PORT" --sockets "${spec%x*}" --depth "${spec#*x}" --size "$SIZE"
                  --duration "$DURATION" --timeout "$UDP_TIMEOUT" --ascii)
            LIMIT=$((d + 30)) ;;
        connect)
            ARGS=(connect "$HOST" "$TCP_PORT" --concurrency "$CONNECT_CONCURRENCY" --duration "$DURATION"
                  --size "$SIZE" --ascii)
            LIMIT=$((d + 30)) ;;
        connect-rate)
            ARGS=(connect "$HOST" "$TCP_PORT" --concurrency "$CONNECT_CONCURRENCY" --rate "$CONNECT_RATE"
                  --duration "$DURATION" --size "$SIZE" --ascii)
            LIMIT=$((d + 30)) ;;
        bulk)
            ARGS=(bulk "$HOST" "$TCP_PORT" --megabytes "$BULK_MB" --warmup-megabytes "$BULK_WARMUP_MB"
                  --line "$BULK_LINE" --ascii)
            LIMIT=120 ;;
        idle)
            ARGS=(idle "$HOST" "$TCP_PORT" --connections "$IDLE_CONNECTIONS" --hold "$IDLE_HOLD"
                  --server-pid "$MAIN_PID")
            LIMIT=$(($(secs "$IDLE_HOLD") + 90)) ;;
        *) die "unknown scenario $1" ;;
    esac
}

# generate OUT LIMIT ARGS...: runs the generator on GENERATOR_CPU, JSON to OUT.json, its output to
# OUT.log; returns its exit status (124 or 137: killed at LIMIT seconds). With MEASURED set (a
# scenario's run, not a warm-up) perf, where usable, counts the system calls of the server's
# processes (PIDS, without the scraper) for as long as the generator runs, into OUT.perf; and with
# GENERATOR=c the C generator takes the tcp, udp and connect loads (not connect-rate: it has no
# --rate), with the same arguments.
generate() {
    local out=$1 limit=$2 rc=0 p targets=()
    shift 2
    rm -f -- "$out.json" "$out.perf"
    local command=("${BENCH[@]}")
    [[ $GENERATOR != c || -z ${MEASURED:-} || ! $1 =~ ^(tcp|udp|connect)$ || " $* " == *" --rate "* ]] \
        || command=("$C_LOAD")
    timeout -k 5 "$limit" taskset -c "$GENERATOR_CPU" "${command[@]}" "$@" --json "$out.json" \
        </dev/null >"$out.log" 2>&1 &
    GEN_PID=$!
    if [[ -n $PERF && -n ${MEASURED:-} ]]; then
        for p in ${PIDS[@]+"${PIDS[@]}"}; do [[ $p == "$SCRAPER_PID" ]] || targets+=("$p"); done
        # Attaching takes milliseconds; the generator's JVM needs longer before its first connect.
        # perf stops when its command does: tail, which ends 0.1 s after the generator.
        taskset -c "$GENERATOR_CPU" "$PERF" stat -x, -e raw_syscalls:sys_enter -o "$out.perf" \
            -p "$(IFS=,; echo "${targets[*]}")" -- tail -s 0.1 --pid="$GEN_PID" -f /dev/null \
            </dev/null >/dev/null 2>&1 &
        PERF_PID=$!
    fi
    wait "$GEN_PID" || rc=$?
    GEN_PID=
    if [[ -n $PERF_PID ]]; then
        wait "$PERF_PID" || true
        PERF_PID=
    fi
    return "$rc"
}

# warm_up: untimed load on a JVM server, so that its JIT (on the server's own CPU) has compiled
# the hot paths before anything is measured.
warm_up() {
    local dir=$1 s w
    s=$SERVER_WARMUP; w=$(secs "$s")
    generate "$dir/warmup-tcp" $((w + 60)) tcp "$HOST" "$TCP_PORT" --connections 16 --depth 4 --size "$SIZE" \
        --duration "$s" --ascii || say "  warm-up tcp failed (see $dir/warmup-tcp.log)"
    generate "$dir/warmup-udp" $((w + 30)) udp "$HOST" "$UDP_PORT" --sockets 8 --depth 8 --size "$SIZE" \
        --duration "$s" --timeout "$UDP_TIMEOUT" --ascii || say "  warm-up udp failed (see $dir/warmup-udp.log)"
    generate "$dir/warmup-connect" $((w + 30)) connect "$HOST" "$TCP_PORT" --concurrency 4 --duration 1s \
        --size "$SIZE" --ascii || say "  warm-up connect failed (see $dir/warmup-connect.log)"
    generate "$dir/warmup-bulk" 60 bulk "$HOST" "$TCP_PORT" --megabytes 20 --line "$BULK_LINE" --ascii \
        || say "  warm-up bulk failed (see $dir/warmup-bulk.log)"
}

TSV=$RESULTS/runs.tsv
printf 'round\tserver\tscenario\tstatus\trc\tseconds\trate\tmb_per_sec\tp99_us\tkib_per_connection\terrors\tmismatches\tlost\tsent\tcpu_us_per_reply\tsyscalls_per_reply\tnote\n' >"$TSV"
SCRAPE_FLAG=$RESULTS/.scraping   # exists while upcase-metrics is under load (see start_server)

# The generator has one CPU; when it is saturated every fast server shows the same rate, and what
# tells them apart is the CPU each spent per reply (its own processes and their reaped children).
FIGURES=(rate mb_per_sec p99_us kib_per_connection errors mismatches lost sent cpu_us_per_reply syscalls_per_reply)
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {   # utime + stime + cutime + cstime of the server's processes, in clock ticks
    local p total=0 f
    for p in ${PIDS[@]+"${PIDS[@]}"}; do
        f=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
        read -r -a f <<<"$f"
        total=$(( total + f[11] + f[12] + f[13] + f[14] ))
    done
    echo "$total"
}
declare -A FIG

# read_figures JSON: FIG[rate], FIG[mb_per_sec], ... from the generator's JSON (empty if absent).
read_figures() {
    local values=() i
    mapfile -t values < <(json_fields "$1" "$F_RATE" "$F_MBPS" "$F_P99" "$F_KIB" "$F_ERRORS" "$F_MISMATCHES" "$F_LOST" "$F_SENT")
    for i in "${!FIGURES[@]}"; do FIG[${FIGURES[i]}]=${values[i]:-}; done
}

record() {   # ROUND SERVER SCENARIO STATUS [RC SECONDS NOTE]: one line of runs.tsv, with FIG
    local round=$1 server=$2 scenario=$3 status=$4 rc=${5:-} seconds=${6:-} note=${7:-} f line t=$'\t'
    line="$round$t$server$t$scenario$t$status$t$rc$t$seconds"
    for f in "${FIGURES[@]}"; do line+="$t${FIG[$f]:-}"; done
    printf '%s\n' "$line$t$note" >>"$TSV"
    for f in "${FIGURES[@]}"; do FIG[$f]=; done
}

over_budget() { (( $(now_ms) / 1000 >= BUDGET )); }

# run_scenario ROUND SERVER SCENARIO DIR
run_scenario() {
    local round=$1 server=$2 scenario=$3 dir=$4 rc=0 start status=ok note= primary
    if over_budget; then
        record "$round" "$server" "$scenario" skipped "" "" "time budget"; return
    fi
    scenario_args "$scenario"
    start=$(now_ms)
    local ticks_before ticks syscalls=
    [[ $server != upcase-metrics ]] || : >"$SCRAPE_FLAG"
    ticks_before=$(cpu_ticks)
    MEASURED=1 generate "$dir/$scenario" "$LIMIT" "${ARGS[@]}" || rc=$?
    ticks=$(( $(cpu_ticks) - ticks_before ))
    rm -f -- "$SCRAPE_FLAG"
    [[ ! -s $dir/$scenario.perf ]] || syscalls=$(awk -F, '$3 ~ /raw_syscalls:sys_enter/ && $1 ~ /^[0-9]+$/ {print $1}' "$dir/$scenario.perf")
    if ((rc == 2)); then
        # Bad usage: every later run would fail the same way.
        sed -n 1,5p -- "$dir/$scenario.log" >&2
        die "the generator rejected its command line (exit 2, $dir/$scenario.log): compare.sh's options need adjusting"
    fi
    read_figures "$dir/$scenario.json"
    if [[ ${FIG[sent]} =~ ^[1-9][0-9]*$ ]]; then
        FIG[cpu_us_per_reply]=$("$PYTHON" -c "print(round($ticks * 1e6 / $CLK_TCK / ${FIG[sent]}, 3))")
        [[ -z $syscalls ]] || FIG[syscalls_per_reply]=$("$PYTHON" -c "print(round($syscalls / ${FIG[sent]}, 3))")
    fi
    case $scenario in
        bulk) primary=mb_per_sec ;;
        idle) primary=kib_per_connection ;;
        *) primary=rate ;;
    esac
    if ((rc != 0)); then
        status=failed note="exit $rc"
        ((rc == 124 || rc == 137)) && note="killed after ${LIMIT}s"
    elif [[ ! -s $dir/$scenario.json ]]; then
        status=failed note="no JSON"
    elif [[ -z ${FIG[$primary]} ]]; then
        status=failed note="no figure for $primary in the JSON (adjust the F_ names at the top of compare.sh)"
    elif [[ $primary != kib_per_connection && ! ${FIG[$primary]} =~ [1-9] ]]; then
        status=failed note="nothing answered"
    elif [[ ${FIG[errors]} =~ ^[1-9] || ${FIG[mismatches]} =~ ^[1-9] ]]; then
        status=failed note="errors ${FIG[errors]}, mismatches ${FIG[mismatches]}"
    fi
    say "  $server $scenario: $status${note:+ ($note)}$([[ $status != ok ]] || printf ' %s' "${FIG[$primary]}")"
    record "$round" "$server" "$scenario" "$status" "$rc" "$(printf '%.1f' "$(( $(now_ms) - start ))e-3")" "$note"
}

# --- rounds ------------------------------------------------------------------------------------
read -r -a servers <<<"$SERVERS"
read -r -a scenarios <<<"$SCENARIOS"

# A rough estimate of one round, in seconds: generator and server start-ups, warm-ups, runs.
estimate=0
for server in "${servers[@]}"; do
    jvm=0; is_jvm "$server" && jvm=1
    (( estimate += 1 + jvm * (2 + 4 + 3 * $(secs "$SERVER_WARMUP")) ))
    for scenario in "${scenarios[@]}"; do
        [[ -z $(na_reason "$server" "$scenario") ]] || continue
        case $scenario in
            tcp-*) (( estimate += $(secs "$WARMUP") + $(secs "$DURATION") + 2 )) ;;
            udp-*|connect*) (( estimate += $(secs "$DURATION") + 1 )) ;;
            bulk) (( estimate += 3 )) ;;
            idle) (( estimate += $(secs "$IDLE_HOLD") + 5 + jvm * 2 )) ;;
        esac
    done
done
say "servers: ${servers[*]}; scenarios: ${scenarios[*]}"
say "$ROUNDS rounds of about ${estimate}s; time budget ${BUDGET}s (runs that would start later are skipped); results in $RESULTS"

# The servers of a round run side by side (all on SERVER_CPU: the ones not under load wait in
# epoll_wait, accept or select), so that each scenario can run on one server after another and
# the servers are compared within the same minute: this machine's noise drifts over minutes.
declare -A SRV_PIDS SRV_MAIN SRV_TCP SRV_UDP SRV_SCRAPER SRV_FAILED
RUNNING=()
remember_server() {
    SRV_PIDS[$1]=${PIDS[*]-}; SRV_MAIN[$1]=$MAIN_PID; SRV_TCP[$1]=$TCP_PORT; SRV_UDP[$1]=$UDP_PORT
    SRV_SCRAPER[$1]=$SCRAPER_PID
}
use_server() {
    read -r -a PIDS <<<"${SRV_PIDS[$1]}"; MAIN_PID=${SRV_MAIN[$1]}; TCP_PORT=${SRV_TCP[$1]}
    UDP_PORT=${SRV_UDP[$1]}; SCRAPER_PID=${SRV_SCRAPER[$1]}
}
stop_round_servers() {
    local server
    for server in ${RUNNING[@]+"${RUNNING[@]}"}; do
        use_server "$server"
        stop_server
        unset 'SRV_PIDS[$server]'
    done
    RUNNING=()
}
# why_not_started LOG: the server log's last line, as a note (one line, no tabs).
why_not_started() { echo "server did not start: $(tail -n 1 -- "$1" 2>/dev/null | tr '\t' ' ' | cut -c1-200)"; }
# rotate N ITEM...: the items, one per line, starting from the N-th (mod their count).
rotate() {
    local k=$1 i
    shift
    for ((i = 0; i < $#; i++)); do
        local j=$(( (i + k) % $# + 1 ))
        echo "${!j}"
    done
}

for ((round = 1; round <= ROUNDS; round++)); do
    mapfile -t order < <(rotate $((round - 1)) "${servers[@]}")
    say "round $round: ${order[*]} ($(( $(now_ms) / 1000 ))s so far)"
    unset can; declare -A can=()      # "SERVER SCENARIO" -> 1: the server can run it
    rest=()                           # the scenarios other than idle
    for scenario in "${scenarios[@]}"; do [[ $scenario == idle ]] || rest+=("$scenario"); done
    for server in "${order[@]}"; do
        mkdir -p -- "$RESULTS/round-$round/$server"
        for scenario in "${scenarios[@]}"; do
            reason=$(na_reason "$server" "$scenario")
            if [[ -n $reason ]]; then
                record "$round" "$server" "$scenario" n/a "" "" "$reason"
            else
                can["$server $scenario"]=1
            fi
        done
    done

    # idle first, each server on a fresh process of its own: memory that earlier runs left in
    # the process would otherwise hide what each connection costs.
    if [[ " ${scenarios[*]} " == *" idle "* ]]; then
        for server in "${order[@]}"; do
            [[ -n ${can["$server idle"]:-} ]] || continue
            dir=$RESULTS/round-$round/$server
            if over_budget; then record "$round" "$server" idle skipped "" "" "time budget"; continue; fi
            say " $server (idle)"
            if start_server "$server" "$dir/server-idle.log"; then
                run_scenario "$round" "$server" idle "$dir"
            else
                record "$round" "$server" idle failed "" "" "$(why_not_started "$dir/server-idle.log")"
                say "  $server did not start: $dir/server-idle.log"
            fi
            stop_server
        done
    fi
    ((${#rest[@]})) || continue

    # Every server the other scenarios need, started, then the JVMs warmed up.
    SRV_FAILED=()
    for server in "${order[@]}"; do
        needed=
        for scenario in "${rest[@]}"; do [[ -z ${can["$server $scenario"]:-} ]] || needed=1; done
        [[ -n $needed ]] && ! over_budget || continue
        dir=$RESULTS/round-$round/$server
        if start_server "$server" "$dir/server.log"; then
            remember_server "$server"; RUNNING+=("$server")
            taskset -pc "${PIDS[0]}" >"$dir/affinity.txt" 2>&1 || true
            say " $server listening: tcp ${TCP_PORT:--} udp ${UDP_PORT:--}"
        else
            SRV_FAILED[$server]=$(why_not_started "$dir/server.log")
            say " $server did not start: $dir/server.log"
            stop_server
        fi
    done
    for server in ${RUNNING[@]+"${RUNNING[@]}"}; do
        is_jvm "$server" && ! over_budget || continue
        use_server "$server"
        [[ $server != upcase-metrics ]] || : >"$SCRAPE_FLAG"
        warm_up "$RESULTS/round-$round/$server"
        rm -f -- "$SCRAPE_FLAG"
        say " $server warmed up"
    done

    # Each scenario on every server in turn; the order rotates from scenario to scenario (and
    # from round to round), so no server always goes first or follows the same one.
    k=0
    for scenario in "${rest[@]}"; do
        mapfile -t turn < <(rotate "$k" "${order[@]}")
        k=$((k + 1))
        for server in "${turn[@]}"; do
            [[ -n ${can["$server $scenario"]:-} ]] || continue
            dir=$RESULTS/round-$round/$server
            if [[ -n ${SRV_PIDS[$server]+set} ]]; then
                use_server "$server"
                run_scenario "$round" "$server" "$scenario" "$dir"
            elif [[ -n ${SRV_FAILED[$server]:-} ]]; then
                record "$round" "$server" "$scenario" failed "" "" "${SRV_FAILED[$server]}"
            else
                record "$round" "$server" "$scenario" skipped "" "" "time budget"
            fi
        done
    done
    stop_round_servers
    say " stopped"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); elapsed: $(( $(now_ms) / 1000 ))s" >>"$RESULTS/machine.txt"

# --- the table ---------------------------------------------------------------------------------
"$PYTHON" - "$TSV" "$RESULTS/machine.txt" "$SERVERS" "$SCENARIOS" \
    "$SIZE" "$BULK_MB" "$BULK_LINE" "$IDLE_CONNECTIONS" "$CONNECT_CONCURRENCY" "$CONNECT_RATE" >"$RESULTS/table.md" <<'PY'
import csv, statistics, sys

tsv, machine, servers, scenarios, size, bulk_mb, bulk_line, idle_n, conc, conn_rate = sys.argv[1:]
servers, scenarios = servers.split(), scenarios.split()
rows = list(csv.DictReader(open(tsv), delimiter='\t'))

def label(s):
    if s.startswith('tcp-') or s.startswith('udp-'):
        c, d = s[4:].split('x')
        unit = 'connection' if s.startswith('tcp') else 'socket'
        return '%s, %s %s%s x depth %s' % (s[:3], format(int(c), ','), unit, '' if c == '1' else 's', d)
    return {'connect': 'tcp, a new connection per line (%s at a time)' % conc,
            'connect-rate': 'tcp, a new connection per line, %s per second (%s at a time)' % (format(int(conn_rate), ','), conc),
            'bulk': 'tcp bulk, %s MB in %s-byte lines' % (bulk_mb, bulk_line),
            'idle': 'idle, %s connections' % format(int(idle_n), ',')}.get(s, s)

# (column, name, higher is better). CPU and system calls per reply in every scenario with replies
# (bulk: per line); system calls only when perf counted them.
def figures(s):
    per_reply = [('cpu_us_per_reply', 'server CPU µs/reply', False)]
    if any(r['syscalls_per_reply'] for r in rows if r['scenario'] == s):
        per_reply.append(('syscalls_per_reply', 'server syscalls/reply', False))
    if s == 'bulk':
        return [('mb_per_sec', 'MB/s', True)] + per_reply
    if s == 'idle':
        return [('kib_per_connection', 'KiB/connection', False)]
    rate = 'lines/s' if s.startswith('connect') else 'replies/s'
    return [('rate', rate, True), ('p99_us', 'p99 µs', False)] + per_reply

def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None

def fmt(v):
    if v is None:
        return ''
    if v >= 100:
        return format(round(v), ',')
    return '%.3g' % v

out = []
out.append('# upcase and its peers\n')
out.extend('    ' + l.rstrip('\n') for l in open(machine))
out.append('')
out.append('Each figure: the median over the rounds that completed correctly (exit 0, no errors, no '
           'mismatches); "(k/n)" when only k of the n rounds run did (rounds skipped for time are not '
           'run). Best peer: the peer with the best median among those that completed every round '
           'run. Ratio: the median over rounds of upcase divided by that peer in the same round, '
           '[lowest-highest].')
out.append('')
out.append('Lines and datagrams of %s bytes, ASCII text. Ratio direction: see the "better" column '
           'and the note below the table.' % size)
out.append('')
nettys = [p for p in servers if p.startswith('netty')]
out.append('| scenario | figure | better | ' + ' | '.join(servers) + ' | best peer | upcase / best peer | upcase / best Netty |')
out.append('|---|---|---|' + '---:|' * len(servers) + '---|---|---|')

def ratio_text(pairs, higher):
    m = statistics.median(pairs)
    ahead = (m > 1) == higher if m != 1 else None
    return 'x%.2f [%.2f-%.2f] %s' % (m, min(pairs), max(pairs),
                                     'even' if ahead is None else 'upcase ahead' if ahead else 'peer ahead')

lost_notes = []
for s in scenarios:
    for col, name, higher in figures(s):
        cells, medians, complete, per_round = [], {}, {}, {}
        for srv in servers:
            runs = [r for r in rows if r['server'] == srv and r['scenario'] == s]
            oks = {int(r['round']): num(r[col]) for r in runs if r['status'] == 'ok' and num(r[col]) is not None}
            per_round[srv] = oks
            statuses = {r['status'] for r in runs}
            tried = [r for r in runs if r['status'] not in ('skipped', 'n/a')]
            if oks:
                medians[srv] = statistics.median(oks.values())
                complete[srv] = len(oks) == len(tried)
                cell = fmt(medians[srv]) + ('' if len(oks) == len(tried) else ' (%d/%d)' % (len(oks), len(tried)))
            elif 'ok' in statuses:
                cell = '-'   # completed, but the generator gave no such figure
            elif 'n/a' in statuses:
                cell = 'n/a'
            elif statuses == {'skipped'}:
                cell = 'skipped'
            elif runs:
                cell = 'failed'
            else:
                cell = ''
            cells.append(cell)
            if s.startswith('udp'):
                lost = sum(int(num(r['lost']) or 0) for r in runs)
                if lost and col == 'rate':
                    lost_notes.append('%s, %s: %d datagrams lost over the rounds' % (label(s), srv, lost))
        peers = [p for p in servers if p != 'upcase' and p in medians and complete.get(p)]
        best, ratio = '', ''
        if peers:
            best = (max if higher else min)(peers, key=lambda p: medians[p])
            pairs = [per_round['upcase'][r] / per_round[best][r]
                     for r in per_round.get('upcase', {}) if r in per_round[best] and per_round[best][r]]
            if pairs:
                ratio = ratio_text(pairs, higher)
            else:
                ratio = 'upcase: no correct round'
        else:
            best, ratio = 'none completed', '-'
        # Against the best Netty transport of each round: in every round upcase's figure divided by
        # the better of the Netty servers' figures in that same round.
        netty_ratio = '-'
        ups = per_round.get('upcase', {})
        pairs = []
        for r, v in ups.items():
            theirs = [per_round[n][r] for n in nettys if r in per_round.get(n, {}) and per_round[n][r]]
            if theirs:
                pairs.append(v / ((max if higher else min)(theirs)))
        if pairs:
            netty_ratio = ratio_text(pairs, higher)
        out.append('| %s | %s | %s | %s | %s | %s | %s |' % (label(s), name, 'higher' if higher else 'lower',
                                                             ' | '.join(cells), best, ratio, netty_ratio))
out.append('')
out.append('Ratios: for replies/s, lines/s and MB/s higher is better, so x1.20 means upcase did 20%% more '
           'than the best peer; for p99, KiB/connection, CPU and system calls per reply lower is better, '
           'so x0.80 means upcase needed 20%% less. "upcase / best Netty": in each round, against the '
           'better of the Netty transports (%s) in that round.' % (', '.join(nettys) or 'none run'))
for n in lost_notes:
    out.append('- ' + n)
notes = [r for r in rows if r['status'] in ('failed', 'skipped') and r['note']]
if notes:
    out.append('')
    out.append('Runs that did not complete:')
    for r in notes:
        out.append('- round %s, %s, %s: %s (%s)' % (r['round'], r['server'], r['scenario'], r['status'], r['note']))
print('\n'.join(out))
PY
cat -- "$RESULTS/table.md"
# The same figures as a page (per scenario: medians, every round as a dot, the ratios; charts inline).
if "$JAVA" -jar "$ROOT/target/upcase.jar" bench compare-report "$RESULTS" >/dev/null 2>"$RESULTS/report.log"; then
    say "report: $RESULTS/report.html"
else
    say "report.html failed (see $RESULTS/report.log)"
fi
say "raw results: $RESULTS (runs.tsv, round-*/SERVER/SCENARIO.json and .log, server logs)"
