#!/usr/bin/env bash
# Builds the distribution under target/dist/ (run by `./mvnw -Pdist package`, see pom.xml):
#   upcase-VERSION-linux-x64.tar.gz  upcase-VERSION/{bin/upcase, lib/upcase.jar,
#                                    lib/upcase-client.aot, runtime/, man/man1/, completion/upcase}
#   upcase_VERSION_amd64.deb         the same tree under /usr/lib/upcase, plus /usr/bin/upcase,
#                                    man pages, completion, systemd unit and /etc/default/upcase
# Before this runs, upcase.cli.DistDocs has written target/dist/work/{man/*.adoc,
# completion/upcase, java-home} from the picocli model.
# Needs: jlink (from the JDK in java-home), asciidoctor (Debian package asciidoctor), dpkg-deb.
set -euo pipefail

version=${1:?usage: build.sh VERSION TARGET-DIR}
target=${2:?usage: build.sh VERSION TARGET-DIR}
repo=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
dist=$target/dist
work=$dist/work
name=upcase-$version
stage=$work/tar/$name

fail() { echo "dist: $*" >&2; exit 1; }
for tool in asciidoctor dpkg-deb gzip tar; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (Debian package ${tool/dpkg-deb/dpkg})"
done
jdk=$(<"$work/java-home")
jlink=$jdk/bin/jlink
[[ -x $jlink ]] || fail "no jlink in $jdk (the JDK Maven's toolchain picked)"

rm -rf -- "$work/tar" "$work/deb" "$work/man1" "$dist"/*.tar.gz "$dist"/*.deb
mkdir -p -- "$stage"/{bin,lib,man/man1,completion}

# --- the runtime ---------------------------------------------------------------------------
# The modules upcase needs, asked of jdeps on the jar at every build, so that a new dependency
# or import cannot leave the runtime short of a module (it did once: the grader's JUnit format
# needs java.xml; deploy/test-dist.sh caught it). jdeps names the fewest modules whose closure
# covers the jar (java.sql, for BouncyCastle, brings java.xml and java.logging with it).
# jdk.unsupported (sun.misc.Signal) and jdk.management are read from the jar too.
# No --compress: the tarball and the .deb are compressed as a whole, which packs an uncompressed
# lib/modules smaller, and classes then load without inflating.
modules=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$target/upcase.jar")
modules="$modules,java.logging"   # the servers' log goes through java.util.logging; named, not inferred
echo "build: runtime modules: $modules"
"$jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$stage/runtime"
# The launchers of the modules' tools (keytool, jwebserver) are not upcase's.
find "$stage/runtime/bin" -type f ! -name java -delete

cp -- "$target/upcase.jar" "$stage/lib/upcase.jar"
install -m 0755 -- "$repo/src/dist/upcase" "$stage/bin/upcase"
install -m 0644 -- "$work/completion/upcase" "$stage/completion/upcase"

# --- man pages: AsciiDoc from picocli-codegen to troff ---------------------------------------
# picocli's `help` subcommand gets no page of its own: `upcase help X` is `upcase X --help`.
rm -f -- "$work/man/upcase-help.adoc"
asciidoctor -b manpage -D "$stage/man/man1" "$work"/man/*.adoc

# --- the clients' AOT cache -------------------------------------------------------------------
# As the repository's ./upcase launcher makes it (train_aot there): a training run of client
# exchanges (upcase.cli.AotTraining) against a server in a JVM of its own, so that the cache
# holds client classes only; here with the bundled runtime (a cache only fits the JVM build and
# the module image it was made with) and the launcher's client flags. The cache records the
# jar's path; the JVM accepts it when the runtime and the jar have moved together (tarball
# unpacked elsewhere, /usr/lib/upcase): deploy/test-dist.sh checks that it is used there.
# A failed training only costs the clients' speed-up: the launcher runs without a cache.
java=$stage/runtime/bin/java
jar=$stage/lib/upcase.jar
log=$work/aot-server.log
"$java" --enable-native-access=ALL-UNNAMED -cp "$jar" upcase.cli.Main server --bind 127.0.0.1 --tcp-port 0 --udp-port 0 </dev/null >/dev/null 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
tcp= udp=
for (( i = 0; i < 200 && (${#tcp} == 0 || ${#udp} == 0); i++ )); do
    sleep 0.05
    while IFS= read -r line; do
        # ADDR:PORT is the line's first word after "on"; notes in parentheses may follow.
        [[ $line == "upcase: tcp listening on "*:* ]] && { line=${line#*listening on }; line=${line%% *}; tcp=${line##*:}; }
        [[ $line == "upcase: udp listening on "*:* ]] && { line=${line#*listening on }; line=${line%% *}; udp=${line##*:}; }
    done <"$log"
done
[[ -n $tcp && -n $udp ]] || fail "the AOT training server did not start: $(<"$log")"
if ! "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED \
        -XX:AOTCacheOutput="$stage/lib/upcase-client.aot" -XX:ErrorFile="$work/hs_err_aot_%p.log" \
        -cp "$jar" upcase.cli.AotTraining "$tcp" "$udp" </dev/null >"$work/aot-training.log" 2>&1; then
    echo "dist: AOT training failed (clients start without a cache): see $work/aot-training.log" >&2
    rm -f -- "$stage/lib/upcase-client.aot"
fi
kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT

# --- the tarball ---------------------------------------------------------------------------------
# Owned by root in the archive, whoever built it; modification times kept (the AOT cache
# checks the jar's).
tar --owner=0 --group=0 --numeric-owner -C "$work/tar" -czf "$dist/$name-linux-x64.tar.gz" "$name"

# --- the .deb --------------------------------------------------------------------------------------
root=$work/deb
mkdir -p -- "$root/DEBIAN" "$root/usr/lib/upcase" "$root/usr/bin" "$root/usr/share/man/man1" \
    "$root/usr/share/bash-completion/completions" "$root/lib/systemd/system" "$root/etc/default" \
    "$root/usr/share/doc/upcase/examples"
cp -a -- "$stage/bin" "$stage/lib" "$stage/runtime" "$root/usr/lib/upcase/"
ln -s ../lib/upcase/bin/upcase "$root/usr/bin/upcase"
for page in "$stage"/man/man1/*.1; do
    gzip -9n <"$page" >"$root/usr/share/man/man1/${page##*/}.gz"
done
install -m 0644 -- "$stage/completion/upcase" "$root/usr/share/bash-completion/completions/upcase"
install -m 0644 -- "$repo/deploy/systemd/upcase.service" "$root/lib/systemd/system/upcase.service"
install -m 0644 -- "$repo/deploy/systemd/upcase.default" "$root/etc/default/upcase"
install -m 0644 -- "$repo/deploy/systemd/upcase.service.d/low-port.conf" "$root/usr/share/doc/upcase/examples/low-port.conf"
install -m 0755 -- "$repo/src/dist/debian"/{postinst,prerm,postrm} "$root/DEBIAN/"
echo /etc/default/upcase >"$root/DEBIAN/conffiles"
# Depends: what the bundled runtime links against. Every library it loads is glibc's (ldd:
# libc, libm, libdl, libpthread, librt; zlib is built into the JDK), and the newest symbol
# version it uses is GLIBC_2.17 (objdump -T runtime/bin/java runtime/lib/*.so runtime/lib/server/*.so).
cat >"$root/DEBIAN/control" <<CONTROL
Package: upcase
Version: $version
Architecture: amd64
Maintainer: upcase developers <upcase@upcase.dev>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= 2.17)
Section: net
Priority: optional
Description: TCP and UDP uppercase servers, clients, load generator and probe
 The TCP and UDP "uppercase" client/server programs of Kurose/Ross, Computer
 Networking, rebuilt as real software: a client sends a line, the server answers
 it in UPPERCASE. For testing networks, load balancers and firewalls, and for
 teaching socket programming. Bundles its own Java runtime: no JDK needed.
CONTROL
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
dpkg-deb --root-owner-group -Zxz --build "$root" "$dist/upcase_${version}_amd64.deb" >/dev/null

echo "dist: $(cd "$dist" && ls -- *.tar.gz *.deb | tr '\n' ' ')"
