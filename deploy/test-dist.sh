#!/usr/bin/env bash
# Tests the distribution as a user meets it (docs/OPERATIONS.md, "Install"); .ci/run runs it
# after ./mvnw verify. Builds it first (./mvnw -Pdist package) unless --no-build.
#   1. the tarball, unpacked to a temporary directory, run with an empty environment (env -i):
#      --version, a server and TCP and UDP clients through a symlink to bin/upcase, SIGTERM;
#   2. the systemd unit: `systemd-analyze verify` (any warning fails) and its
#      `systemd-analyze security` exposure score, offline, in a root made from the .deb;
#   3. the .deb in a fresh Debian 12 root (debootstrap --variant=minbase, no JDK in it):
#      dpkg -i in a chroot, `upcase server` in a network namespace of its own, `upcase probe
#      --level full` and clients against it, SIGTERM, then dpkg -r and dpkg -P, and no file
#      left that was not there before. This is what deploy/container/Containerfile does, in
#      a root we can build without a container engine.
# Each part that lacks what it needs (a tool, root, the Debian mirror) prints one line saying
# why it skips, and the script still succeeds. The root is cached, as a tarball, in
# $UPCASE_TEST_CACHE (default /var/cache/upcase-test): debootstrap runs once per machine, from
# $UPCASE_DEBIAN_MIRROR or else the bookworm mirror in this machine's apt sources.
set -euo pipefail

repo=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
tarball=$repo/target/dist/upcase-$version-linux-x64.tar.gz
deb=$repo/target/dist/upcase_${version}_amd64.deb
cache=${UPCASE_TEST_CACHE:-/var/cache/upcase-test}/bookworm-minbase.tar

say() { echo "test-dist: $*"; }
fail() { echo "test-dist: FAILED: $*" >&2; exit 1; }
skip() { say "skipped $1: $2"; }

# --- cleanup: everything this script starts or mounts, undone whatever happens --------------
pids=() mounts=() netns= tmp=$(mktemp -d)
cleanup() {
    local p m
    for p in ${pids[@]+"${pids[@]}"}; do kill -KILL "$p" 2>/dev/null || true; done
    for m in ${mounts[@]+"${mounts[@]}"}; do umount -l -- "$m" 2>/dev/null || true; done
    [[ -n $netns ]] && ip netns delete "$netns" 2>/dev/null
    rm -rf --one-file-system -- "$tmp"   # never into a mount left behind
}
trap cleanup EXIT

# wait_for_ports LOG: sets tcp_port and udp_port from the server's "listening on" lines, or fails
# after 30 s (a JVM starting on a loaded machine).
wait_for_ports() {
    local log=$1 line i
    tcp_port= udp_port=
    touch -- "$log"   # the server's shell may not have opened it yet
    for (( i = 0; i < 300; i++ )); do
        while IFS= read -r line; do
            # ADDR:PORT is the line's first word after "on"; notes in parentheses may follow.
            [[ $line == "upcase: tcp listening on "*:* ]] && { line=${line#*listening on }; line=${line%% *}; tcp_port=${line##*:}; }
            [[ $line == "upcase: udp listening on "*:* ]] && { line=${line#*listening on }; line=${line%% *}; udp_port=${line##*:}; }
        done <"$log"
        [[ -n $tcp_port && -n $udp_port ]] && return 0
        sleep 0.1
    done
    fail "server did not report both ports within 30 s: $(<"$log")"
}

# expect WHAT ACTUAL EXPECTED
expect() { [[ $2 == "$3" ]] || fail "$1: got '$2', expected '$3'"; say "ok: $1"; }

# stop_server PID: SIGTERM, and the server must drain and exit 0.
stop_server() {
    local pid=$1 status=0
    kill -TERM "$pid"
    wait "$pid" || status=$?
    pids=("${pids[@]/$pid}")
    expect "server exit status after SIGTERM" "$status" 0
}

# --- build ------------------------------------------------------------------------------------
if [[ ${1:-} != --no-build ]]; then
    for tool in asciidoctor dpkg-deb; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            skip "the distribution tests" "$tool is not installed (Debian package ${tool/dpkg-deb/dpkg}; .ci/packages)"
            exit 0
        fi
    done
    say "building: ./mvnw -B -q -Pdist -DskipTests package"
    ./mvnw -B -q -Pdist -DskipTests package </dev/null
fi
[[ -f $tarball && -f $deb ]] || fail "no $tarball or $deb: run ./mvnw -Pdist package"

# --- 1. the tarball with an empty environment --------------------------------------------------
tarball_test() {
    local dir=$tmp/tarball home reply log=$tmp/tarball-server.log
    mkdir -p -- "$dir/elsewhere"
    tar -C "$dir" -xzf "$tarball"
    home=$dir/upcase-$version
    # Through a symlink, as one on the PATH would be: the launcher must find its own directory.
    ln -s -- "$home/bin/upcase" "$dir/elsewhere/upcase"
    expect "env -i upcase --version" "$(env -i "$dir/elsewhere/upcase" --version)" "upcase $version"
    [[ -s $home/man/man1/upcase.1 && -s $home/man/man1/upcase-server.1 ]] || fail "man pages missing in the tarball"
    # The completion, as bash calls it for `upcase tcp-se<TAB>`: it knows the subcommands.
    reply=$(bash -c 'source "$1" && complete -p upcase >/dev/null && COMP_WORDS=(upcase tcp-se) COMP_CWORD=1 \
        COMP_LINE="upcase tcp-se" COMP_POINT=13 && _complete_upcase && echo "${COMPREPLY[*]}"' _ "$home/completion/upcase" 2>/dev/null)
    expect "bash completion of 'upcase tcp-se'" "$reply" "tcp-server"
    [[ ! -e $home/runtime/include && ! -e $home/runtime/man ]] || fail "the runtime has headers or man pages"

    env -i "$home/bin/upcase" server --bind 127.0.0.1 --tcp-port 0 --udp-port 0 </dev/null >/dev/null 2>"$log" &
    local server=$!
    pids+=("$server")
    wait_for_ports "$log"
    reply=$(printf 'hello, tarball\n' | env -i "$dir/elsewhere/upcase" tcp-client 127.0.0.1 "$tcp_port")
    expect "env -i tcp-client reply" "$reply" "HELLO, TARBALL"
    reply=$(printf 'straße\n' | env -i "$home/bin/upcase" udp-client 127.0.0.1 "$udp_port")
    expect "env -i udp-client reply" "$reply" "STRASSE"
    stop_server "$server"
}
tarball_test

# --- 2. the systemd unit ------------------------------------------------------------------------
systemd_test() {
    if ! command -v systemd-analyze >/dev/null 2>&1; then
        skip "systemd-analyze verify" "systemd-analyze is not installed (Debian package systemd)"
        return 0
    fi
    # A root holding the .deb's files and the system's own units (the targets the unit names):
    # verify then also finds ExecStart= and, through MANPATH, the page Documentation= names.
    local root=$tmp/systemd-root out
    mkdir -p -- "$root/lib/systemd/system"
    dpkg-deb -x "$deb" "$root"
    cp -an /lib/systemd/system/. "$root/lib/systemd/system/" 2>/dev/null || true
    out=$(MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" upcase.service 2>&1) \
        || fail "systemd-analyze verify: $out"
    [[ -z $out ]] || fail "systemd-analyze verify warns: $out"
    say "ok: systemd-analyze verify upcase.service"
    out=$(systemd-analyze security --offline=true --root="$root" upcase.service 2>&1 | tail -n 1) \
        || fail "systemd-analyze security: $out"
    say "systemd-analyze security --offline=true: ${out#→ }"
}
systemd_test

# --- 3. the .deb in a fresh Debian 12 ------------------------------------------------------------
# The mirror that this machine's apt already uses for bookworm (deb822 .sources or one-line lists).
debian_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -r $f ]] && awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i + 1) == "bookworm") { print $i; exit } break } }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -r $f ]] && awk 'BEGIN { RS = ""; FS = "\n" }
            { uri = ""; suite = 0
              for (i = 1; i <= NF; i++) {
                  if ($i ~ /^URIs:/) { split($i, w, /[ \t]+/); uri = w[2] }
                  if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) suite = 1
              }
              if (uri != "" && suite) print uri }' "$f"
    done
}

# The cached minbase root, made when missing.
debian_root() {
    local mirror dir
    [[ -f $cache ]] && return 0
    mirror=${UPCASE_DEBIAN_MIRROR:-$(debian_mirror | head -n 1)}
    [[ -n $mirror ]] || { skip "the .deb test" "no bookworm mirror in /etc/apt/sources.list*"; return 1; }
    say "making the Debian 12 root (once; cached in $cache): debootstrap --variant=minbase bookworm $mirror"
    dir=$tmp/debootstrap
    if ! timeout 900 debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
        skip "the .deb test" "debootstrap could not make a root from $mirror ($(tail -n 1 "$tmp/debootstrap.log"))"
        return 1
    fi
    mkdir -p -- "${cache%/*}"
    tar -C "$dir" -cf "$cache.tmp" . && mv -- "$cache.tmp" "$cache"
    rm -rf -- "$dir"
}

# Every path in the root but the kernel's file systems and dpkg's own records of what it did.
root_files() {
    (cd -- "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev \) -prune -o -print) \
        | grep -Ev '^\./(var/lib/dpkg/|var/log/dpkg\.log|var/cache/debconf/|tmp/)' | sort
}

deb_test() {
    if [[ $(id -u) -ne 0 ]]; then skip "the .deb test" "not root (it needs chroot, mount and ip netns)"; return 0; fi
    local tool
    for tool in debootstrap ip chroot; do
        command -v "$tool" >/dev/null 2>&1 \
            || { skip "the .deb test" "$tool is not installed (Debian package ${tool/ip/iproute2}; .ci/packages)"; return 0; }
    done
    debian_root || return 0
    local root=$tmp/bookworm log=$tmp/deb-server.log reply status
    mkdir -p -- "$root"
    tar -C "$root" -xf "$cache"
    # Inside the root, the root's own PATH; chroot(8) itself by its host path, as env -i looks it up.
    local chroot
    chroot=$(command -v chroot)
    in_root() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$chroot" "$root" "$@"; }
    in_root sh -c '! command -v java >/dev/null && [ ! -e /usr/lib/jvm ]' || fail "the Debian root has a Java runtime"
    root_files "$root" >"$tmp/before"

    cp -- "$deb" "$root/tmp/upcase.deb"
    in_root dpkg -i /tmp/upcase.deb >/dev/null
    say "ok: dpkg -i $(basename -- "$deb") in a Debian 12 minbase root"
    [[ -L $root/usr/bin/upcase && -f $root/lib/systemd/system/upcase.service && -f $root/etc/default/upcase \
        && -f $root/usr/share/man/man1/upcase.1.gz && -f $root/usr/share/bash-completion/completions/upcase ]] \
        || fail "the .deb did not install every file"

    mount -t proc proc "$root/proc"
    mounts+=("$root/proc")
    netns=upcase-dist-$$
    ip netns add "$netns"
    ip netns exec "$netns" ip link set lo up
    # The packaged defaults: ports 6789 and 9876 on every address, alone in the namespace; as
    # the user the container image and the Kubernetes pods run as (10001, no passwd entry here).
    ip netns exec "$netns" env -i PATH=/usr/bin:/bin "$chroot" --userspec=10001:10001 "$root" upcase server --drain-timeout 5s \
        </dev/null >/dev/null 2>"$log" &
    local server=$!
    pids+=("$server")
    wait_for_ports "$log"
    expect "server ports in the root" "$tcp_port/$udp_port" "6789/9876"
    # ip, env, chroot and the launcher all exec: the PID is the JVM's.
    expect "server's user in the root" "$(stat -c %u "/proc/$server")" 10001
    reply=$(printf 'hello, debian\n' | ip netns exec "$netns" env -i PATH=/usr/bin:/bin \
        UPCASE_JAVA_OPTS='-Xlog:aot=info:file=/tmp/aot.log' "$chroot" "$root" upcase tcp-client 127.0.0.1)
    expect "tcp-client reply in the root" "$reply" "HELLO, DEBIAN"
    # The cache was made in the build tree; the JVM must accept it at /usr/lib/upcase.
    grep -q 'Using AOT-linked classes: true' "$root/tmp/aot.log" \
        || fail "the installed client did not use its AOT cache: $(cat "$root/tmp/aot.log")"
    say "ok: the installed client uses the AOT cache"
    rm -f -- "$root/tmp/aot.log"
    status=0
    ip netns exec "$netns" env -i PATH=/usr/bin:/bin "$chroot" "$root" \
        upcase probe --tcp 127.0.0.1:6789 --udp 127.0.0.1:9876 --level full >"$tmp/probe.txt" 2>&1 || status=$?
    [[ $status -eq 0 ]] || fail "upcase probe --level full failed ($status): $(<"$tmp/probe.txt")"
    say "ok: upcase probe --level full against the installed server"
    stop_server "$server"
    umount -- "$root/proc"
    mounts=()
    ip netns delete "$netns"
    netns=

    rm -f -- "$root/tmp/upcase.deb"
    in_root dpkg -r upcase >/dev/null
    [[ -f $root/etc/default/upcase && ! -e $root/usr/bin/upcase ]] || fail "dpkg -r: the conffile should stay, the program go"
    in_root dpkg -P upcase >/dev/null
    root_files "$root" >"$tmp/after"
    if ! diff -u "$tmp/before" "$tmp/after" >"$tmp/left"; then
        fail "dpkg -r then dpkg -P left files behind:$(grep '^[+-]\.' "$tmp/left" | head -n 20 | sed 's/^/ /')"
    fi
    say "ok: dpkg -r, dpkg -P: the root holds exactly the files it held before"
}
deb_test
say "passed"
