#!/usr/bin/env bash
# `make test` after lint: every check and test, on a fresh clone as on a developer's machine.
#
#  1. System packages (PostgreSQL, nginx + cache purge, Redis, Chromium, Java) and the npm
#     tools (axe-core, vnu-jar) are installed if missing.
#  2. Django checks: migrations complete, `check`, and `check --deploy` of the production
#     settings.
#  3. At the same time: the suite on SQLite; on a throwaway PostgreSQL server started here
#     (there without the browser tests and without the tests that use no database); and the
#     end-to-end tests (marker `stack`): `make serve-production` on loopback (on a PostgreSQL
#     cluster of its own), the reader's and the editor's path in Chromium, axe-core and the
#     Nu HTML checker; pgbouncer in transaction mode in front of PostgreSQL; two app nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
KW=.venv/bin/kryptowelt
export DJANGO_SETTINGS_MODULE=kryptowelt.settings.test
work=$(mktemp -d /tmp/kryptowelt-test.XXXXXX)
# Its own folder: the postgres user must reach it, and $work is private.
pgdir=$(mktemp -d /tmp/kryptowelt-pg.XXXXXX)
started=$SECONDS

cleanup() {
    scripts/pg-test-cluster.sh stop "$pgdir" || true
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - started))"; }

step "Systempakete und Werkzeuge"
packages=(postgresql nginx libnginx-mod-http-cache-purge redis-server chromium pgbouncer)
command -v java >/dev/null || packages+=(default-jre-headless)
command -v npm >/dev/null || packages+=(nodejs npm)
# systemd-analyze checks the shipped units (kryptowelt/tests/test_deploy_units.py).
command -v systemd-analyze >/dev/null || packages+=(systemd)
scripts/ensure-debian-packages.sh "${packages[@]}"
scripts/ensure-npm-tools.sh

step "Django-Prüfungen"
$KW makemigrations --check --dry-run
$KW check --fail-level WARNING
DJANGO_SETTINGS_MODULE=kryptowelt.settings.production \
    SECRET_KEY=check-only-not-a-secret-check-only-not-a-secret-check-only \
    ALLOWED_HOSTS=www.kryptowelt.example SITE_URL=https://www.kryptowelt.example \
    DATABASE_URL="sqlite:///$work/deploy-check.sqlite3" CACHE_URL=locmemcache://deploy-check \
    KRYPTOWELT_VAR_DIR="$work/deploy-check" \
    $KW check --deploy --fail-level WARNING

# The three suites at once. The end-to-end tests (marker `stack`) mostly wait: for processes
# starting, for caches expiring, for Chromium. Run after the unit suites, they added their
# whole wall time (about 600 s) to `make test`; run beside them, the unit suites use the CPU
# the stack leaves idle. The unit suites run with lower priority (nice), so the stack's
# processes get the CPU the moment they need it and its waits stay as long as when it ran
# alone. The stack starts a PostgreSQL cluster of its own on a free port
# (deploy/serve-production.sh), the pgbouncer and two-node tests one each: none meets the
# unit suite's cluster.
step "Testsuiten: SQLite, PostgreSQL und Produktionsaufbau (parallel)"
pg_url=$(scripts/pg-test-cluster.sh start "$pgdir")
pytest=(.venv/bin/pytest -p no:cacheprovider -q)
# `time` of bash: wall and CPU seconds (user + sys, the suite's child processes included).
timed() {
    local name=$1
    shift
    (
        TIMEFORMAT="$name: %0R s Dauer, %0U s + %0S s CPU"
        time "$@" >"$work/$name.log" 2>&1
    ) 2>"$work/$name.time"
}
# Stack: production build on PostgreSQL, pgbouncer, two app nodes, Chromium, axe-core, the
# Nu HTML checker. KW_STACK_STARTUP_SECONDS (kryptowelt/e2e/tests/conftest.py): more on a
# machine busy with other work.
timed stack "${pytest[@]}" -m stack --junitxml="$work/stack.xml" &
stack_pid=$!
# The browser tests drive pages, not the database: they run once, on SQLite. So do the tests
# that use no database at all (no django_db marker or db fixture; pytest-django blocks their
# queries): `--db-tests-only` (kryptowelt/conftest.py) leaves them to the SQLite run.
DATABASE_URL=$pg_url timed postgres nice -n 10 "${pytest[@]}" -m "not stack and not browser" \
    --db-tests-only --junitxml="$work/postgres.xml" &
pg_pid=$!
sqlite_status=0
timed sqlite nice -n 10 "${pytest[@]}" -m "not stack" --junitxml="$work/sqlite.xml" ||
    sqlite_status=$?
pg_status=0
wait "$pg_pid" || pg_status=$?
scripts/pg-test-cluster.sh stop "$pgdir"
stack_status=0
wait "$stack_pid" || stack_status=$?
for suite in sqlite postgres stack; do
    status_var=${suite/postgres/pg}_status
    echo "-- $suite:"
    if [[ ${!status_var} -ne 0 ]]; then cat "$work/$suite.log"; else tail -n 3 "$work/$suite.log"; fi
done
cat "$work"/{sqlite,postgres,stack}.time

step "Zusammenfassung"
$PY - "$work"/sqlite.xml "$work"/postgres.xml "$work"/stack.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        failed += 1
        continue
    for suite in root.iter("testsuite"):
        tests, errors = int(suite.get("tests", 0)), int(suite.get("errors", 0))
        fails, skips = int(suite.get("failures", 0)), int(suite.get("skipped", 0))
        passed += tests - errors - fails - skips
        failed += errors + fails
        skipped += skips
print(f"{passed} passed, {failed} failed, {skipped} skipped")
EOF
echo "Dauer: $((SECONDS - started)) s"
[[ $sqlite_status -eq 0 && $pg_status -eq 0 && $stack_status -eq 0 ]]
