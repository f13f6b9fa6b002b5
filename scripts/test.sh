#!/usr/bin/env bash
# The test suite, stage by stage; `make test` runs them all, each `make <stage>` runs one.
#
#   scripts/test.sh all | lint | check-migrations | test-sqlite | test-pg | test-browser
#
# `all` runs every stage even after a failure, prints a summary with timings and fails if any
# stage failed. Expects .venv with the dev group (scripts/bootstrap.sh dev).
#
# Environment:
#   ZHILIANG_TEST_PG_URL   PostgreSQL server for test-pg (default postgres://postgres@127.0.0.1:5432/zhiliang);
#                          pytest creates and drops test_<name> there. Unreachable: the stage is skipped.
#   ZHILIANG_CHROMIUM      Chromium for test-browser (default /usr/bin/chromium). Missing: tests are skipped.
#   PYTEST_ARGS            extra pytest arguments for every pytest stage, e.g. PYTEST_ARGS="-x -k import".
set -uo pipefail
cd "$(dirname "$0")/.."

VENV_BIN="$PWD/.venv/bin"
PG_URL="${ZHILIANG_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/zhiliang}"
read -r -a EXTRA <<<"${PYTEST_ARGS:-}"

# Tests never touch the real var/: a throw-away data dir holds the secret key and collected static files.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/zhiliang-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export ZHILIANG_DATA_DIR="$WORK/data"
export DJANGO_SETTINGS_MODULE=zhiliang.config.settings
unset DATABASE_URL DEBUG
mkdir -p "$ZHILIANG_DATA_DIR"

STATIC_READY=0
prepare_static() {
    # The manifest static storage needs collectstatic before any page renders {% static %}.
    [ "$STATIC_READY" = 1 ] && return 0
    "$VENV_BIN/zhiliang" collectstatic --noinput -v0 || return 1
    STATIC_READY=1
}

# pytest NAME [args...]: run pytest, keep a JUnit report for the summary. Exit code 5
# (nothing collected) is a failure: a stage that runs no test is hiding a problem.
run_pytest() {
    local name="$1"
    shift
    prepare_static || return 1
    "$VENV_BIN/pytest" -q -rs --junitxml="$WORK/junit-$name.xml" "$@" "${EXTRA[@]}"
    local rc=$?
    if [ "$rc" -eq 5 ]; then
        echo "!! pytest collected no tests for $name"
    fi
    return "$rc"
}

stage_lint() {
    # Both run, so one pass shows every problem; `ruff check --fix . && ruff format .` fixes most.
    local rc=0
    "$VENV_BIN/ruff" check . || rc=1
    "$VENV_BIN/ruff" format --check . || rc=1
    return "$rc"
}

stage_check_migrations() {
    "$VENV_BIN/zhiliang" makemigrations --check --dry-run
}

stage_test_sqlite() {
    run_pytest sqlite -m "not browser"
}

stage_test_pg() {
    local reason
    if ! reason="$("$VENV_BIN/python" scripts/pg_available.py "$PG_URL" 2>&1)"; then
        echo "PostgreSQL 不可用，跳过：$reason"
        return 3  # skipped
    fi
    # A name of its own per run (pytest creates and drops test_<name>_run<pid>), so two runs on one
    # server, e.g. two developers or a developer and CI, never drop each other's test database.
    local base="${PG_URL%%\?*}"
    local run_url="${base}_run$$${PG_URL#"$base"}"
    echo "Using $reason at $(sed -E 's#//[^@/]*@#//…@#' <<<"$base")"
    DATABASE_URL="$run_url" DB_CONN_MAX_AGE=0 run_pytest pg -m "not browser"
}

stage_test_browser() {
    run_pytest browser -m browser
}

declare -a NAMES=() RESULTS=() TIMES=()
run_stage() {
    local name="$1" fn="stage_${1//-/_}" start rc
    echo
    echo "==> $name"
    start=$(date +%s)
    "$fn"
    rc=$?
    NAMES+=("$name")
    TIMES+=("$(($(date +%s) - start))")
    case "$rc" in
        0) RESULTS+=("ok") ;;
        3) RESULTS+=("skipped") ;;
        *) RESULTS+=("FAILED (exit $rc)") ;;
    esac
    return 0
}

summary() {
    local failed=0 i
    echo
    echo "==> Summary"
    for i in "${!NAMES[@]}"; do
        printf '    %-18s %-16s %4ss\n' "${NAMES[$i]}" "${RESULTS[$i]}" "${TIMES[$i]}"
        [[ "${RESULTS[$i]}" == FAILED* ]] && failed=1
    done
    # One closing line over every pytest stage, e.g. "tests: 310 passed, 0 failed, 4 skipped".
    "$VENV_BIN/python" - "$WORK"/junit-*.xml <<'PY' 2>/dev/null || true
import sys
import xml.etree.ElementTree as ET

tests = failed = skipped = 0
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()  # noqa: S314 - our own pytest's report
    for suite in root.iter("testsuite"):
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
if sys.argv[1:] and "*" not in sys.argv[1]:
    print(f"tests: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
    return "$failed"
}

target="${1:-all}"
case "$target" in
    all)
        for s in lint check-migrations test-sqlite test-pg test-browser; do
            run_stage "$s"
        done
        summary
        ;;
    lint | check-migrations | test-sqlite | test-pg | test-browser)
        run_stage "$target"
        summary
        ;;
    *)
        echo "usage: $0 all|lint|check-migrations|test-sqlite|test-pg|test-browser" >&2
        exit 2
        ;;
esac
