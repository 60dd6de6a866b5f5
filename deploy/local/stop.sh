#!/usr/bin/env sh
# Stops what deploy/local/start.sh started (SIGTERM: the broker and Redis shut down cleanly).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE=${TASKPOOL_LOCAL_DIR:-$ROOT}
PIDFILE="$STATE/.taskpool-cluster.pid"
[ -f "$PIDFILE" ] || { echo "not running" >&2; exit 0; }
PID=$(cat "$PIDFILE")
kill "$PID" 2>/dev/null || true
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
kill -9 "$PID" 2>/dev/null || true
rm -f "$PIDFILE" "$STATE/.taskpool-cluster.out"
