#!/usr/bin/env bash
# bench/peers/build-c.sh [OUT_DIR]: builds the C peers of bench/compare.sh with the machine's gcc
# (Debian packages gcc and libc6-dev) into OUT_DIR (default bench/target/peers):
#   upcase-c-server   the C reference server (upcase_c_server.c)
#   upcase-c-load     the C load generator (upcase_c_load.c)
# Warnings are errors: the peers are small enough to keep clean. Prints the paths it built.
set -euo pipefail
here=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$(dirname -- "$here")/target/peers}
CC=${CC:-gcc}
CFLAGS=${CFLAGS:--O2 -Wall -Wextra -Werror -std=gnu11}
command -v "$CC" >/dev/null || { echo "build-c: $CC is missing (Debian package gcc)" >&2; exit 1; }
mkdir -p -- "$out"
build() {   # SOURCE BINARY
    [[ -f $here/$1 ]] || return 0
    # shellcheck disable=SC2086 # CFLAGS is a list of flags
    "$CC" $CFLAGS -o "$out/$2.tmp" "$here/$1"
    mv -f -- "$out/$2.tmp" "$out/$2"
    echo "$out/$2"
}
build upcase_c_server.c upcase-c-server
build upcase_c_load.c upcase-c-load
