#!/usr/bin/env bash
# Serve Zhiliang at http://$HOST:$PORT with gunicorn, with the background-task worker and the
# scheduler (which enqueues the periodic jobs) beside it. Ctrl-C (or SIGTERM) stops all three. Called by `make run` after scripts/bootstrap.sh run.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="$PWD/.venv/bin"
export HOST="${HOST:-127.0.0.1}"
export PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE=zhiliang.config.settings
DATA_DIR="${ZHILIANG_DATA_DIR:-$PWD/var}"
mkdir -p "$DATA_DIR"

if [ -n "${DATABASE_URL:-}" ]; then
    echo "==> Database: $(sed -E 's#//[^@/]*@#//…@#' <<<"$DATABASE_URL")"
else
    echo "==> Database: $DATA_DIR/zhiliang.sqlite3"
fi
"$BIN/zhiliang" migrate --noinput
echo "==> Collecting static files into $DATA_DIR/static"
"$BIN/zhiliang" collectstatic --noinput -v0

# Sample data: loaded on the first run only (ZHILIANG_SAMPLE_DATA=0 skips it). Its logins table
# is kept in var/ and shown again on every later run.
logins="$DATA_DIR/sample-logins.txt"
if [ ! -e "$logins" ] && [ "${ZHILIANG_SAMPLE_DATA:-1}" != "0" ]; then
    echo "==> First run: loading the bundled sample data"
    ( umask 077 && "$BIN/zhiliang" load_sample_data >"$logins.tmp" ) || { rm -f "$logins.tmp"; exit 1; }
    mv "$logins.tmp" "$logins"
fi
[ -e "$logins" ] && cat "$logins"

pids=()
stop() {
    trap - INT TERM EXIT
    echo
    echo "==> Stopping web server and worker"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

echo "==> Starting the task worker (zhiliang db_worker)"
"$BIN/zhiliang" db_worker --no-reload &
pids+=($!)

echo "==> Starting the scheduler (zhiliang scheduler --loop): reminders, list expiry, re-grading"
"$BIN/zhiliang" scheduler --loop &
pids+=($!)

echo "==> Serving http://$HOST:$PORT/  (Ctrl-C stops)"
"$BIN/gunicorn" -c zhiliang/config/gunicorn.conf.py &
pids+=($!)

# Whichever exits first (a crash, or Ctrl-C) brings the other down too.
set +e
wait -n
rc=$?
set -e
exit "$rc"
