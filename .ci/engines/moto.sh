#!/usr/bin/env bash
# moto's server (an emulator of AWS APIs: Secrets Manager, EventBridge, SQS),
# for test/engines/moto.ts: the pinned wheel and its dependencies from PyPI,
# unpacked into .engines/moto/lib with pip's --target, outside any Python
# environment, and started as `python3 -m moto.server` with that path.
# Idempotent: does nothing when the pinned version is already there. Needs python3-pip.
set -euo pipefail
VERSION=5.2.6
LIB="$PWD/.engines/moto/lib"
if [[ -f "$LIB/.complete" && "$(cat "$LIB/.complete")" == "$VERSION" ]]; then
  echo "moto $VERSION already in $LIB"
  exit 0
fi
rm -rf "$LIB"
mkdir -p "$LIB"
python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$LIB" "moto[server]==$VERSION"
# Written last, so an interrupted install is redone next time rather than skipped.
echo "$VERSION" > "$LIB/.complete"
echo "moto $VERSION: $(du -sh "$LIB" | cut -f1) in $LIB"
