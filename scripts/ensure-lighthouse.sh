#!/usr/bin/env bash
# Lighthouse (page audits for `make bench-lighthouse`) from the npm registry into .tools/npm
# (git-ignored), next to axe-core and vnu-jar. Pinned; installed once; not part of `make test`.
# 12.x: Lighthouse 13 needs Node ≥ 22.19, Debian's Node is 20; 12.8 drives Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTHOUSE=12.8.2
PREFIX=.tools/npm
installed() { node -p "require('./$PREFIX/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [[ "$(installed lighthouse)" != "$LIGHTHOUSE" ]]; then
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
        "lighthouse@$LIGHTHOUSE" >/dev/null
fi
