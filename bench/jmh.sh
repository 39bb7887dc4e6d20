#!/usr/bin/env bash
# The transform's microbenchmarks (src/test/java/upcase/text/UpperCaseBenchmark.java) against
# the String baseline, with the ratios. Takes about 3 minutes; pass JMH options to narrow it,
# e.g.  bench/jmh.sh -p size=65536 -p text=ascii
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests test-compile </dev/null
cp=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout </dev/null)
java=${JAVA:-}
if [ -z "$java" ]; then
  for candidate in "${JAVA_HOME:-}/bin/java" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    v=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then java=$candidate; break; fi
  done
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$java" -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main UpperCaseBenchmark \
  -rf json -rff "$out/jmh.json" "$@"
python3 - "$out/jmh.json" <<'PY'
import json, sys
rows = {}
for r in json.load(open(sys.argv[1])):
    p = r["params"]; key = (p["text"], int(p["size"]))
    rows.setdefault(key, {})[r["benchmark"].rsplit(".", 1)[1]] = r["primaryMetric"]["score"]
print()
print("| text | size | upcase ops/us | ascii ops/us | String baseline ops/us | upcase / baseline | upcase MB/s |")
print("|---|---|---|---|---|---|---|")
for (text, size), m in sorted(rows.items()):
    u, a, s = m.get("upcase"), m.get("upcaseAscii"), m.get("stringBaseline")
    ratio = f"x{u / s:.1f}" if u and s else "n/a"
    mbs = f"{u * size:.0f}" if u else "n/a"
    print(f"| {text} | {size} | {u:.3f} | {a:.3f} | {s:.3f} | {ratio} | {mbs} |")
PY
