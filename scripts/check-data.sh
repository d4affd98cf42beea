#!/usr/bin/env bash
# `make check-data`: checks that need the real public data sets, which the repository does
# not contain (the tests use small fixtures of their own). CI runs it when ../shared is
# beside the checkout; anyone else passes the folder in KRYPTOWELT_DATA_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${KRYPTOWELT_DATA_DIR:-../shared/data}
if [[ ! -d "$DATA" ]]; then
    echo "Keine öffentlichen Datensätze unter $DATA – nichts zu prüfen." >&2
    echo "Den Ordner mit KRYPTOWELT_DATA_DIR=/pfad/zu/data angeben (er enthält 10kgnad/, prices/, wordpress/)." >&2
    exit 2
fi
export KRYPTOWELT_DATA_DIR=$DATA DJANGO_SETTINGS_MODULE=kryptowelt.settings.test
# The relatedness engine on the German news corpus (docs/related.md: 0,662 measured).
.venv/bin/kryptowelt related_eval --k 5 --min-precision 0.64 --verbosity 0
# The WordPress import reproduces expected-a.json (counts, samples, old URLs, no unsafe markup,
# a second run changes nothing); see docs/wordpress.md.
if [[ -f "$DATA/wordpress/kryptoblog-a.wxr.xml" ]]; then
    .venv/bin/python benchmarks/wordpress_import.py --check
else
    echo "Kein WordPress-Export unter $DATA/wordpress – Import-Prüfung übersprungen." >&2
fi
