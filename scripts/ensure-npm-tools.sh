#!/usr/bin/env bash
# axe-core (accessibility scan, injected into pages) and vnu-jar (the W3C Nu HTML checker) from
# the npm registry into .tools/npm (git-ignored). Pinned versions; installed once.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE_CORE=4.14.1
VNU_JAR=26.9.27
PREFIX=.tools/npm
installed() { node -p "require('./$PREFIX/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [[ "$(installed axe-core)" != "$AXE_CORE" || "$(installed vnu-jar)" != "$VNU_JAR" ]]; then
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
        "axe-core@$AXE_CORE" "vnu-jar@$VNU_JAR" >/dev/null
fi
