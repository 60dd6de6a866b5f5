#!/usr/bin/env sh
# Starts a development Kafka broker (KRaft, from the Kafka jars Maven fetched) and a Redis on this
# machine, without Docker. Other hosts reach them at HOST (default: this machine's first address).
#   deploy/local/start.sh [HOST] [KAFKA_PORT] [REDIS_PORT]
# Its pid and output files go to $TASKPOOL_LOCAL_DIR (default: the repository root).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE=${TASKPOOL_LOCAL_DIR:-$ROOT}
HOST=${1:-$(hostname -I 2>/dev/null | awk '{print $1}')}
HOST=${HOST:-127.0.0.1}
KAFKA_PORT=${2:-9092}
REDIS_PORT=${3:-6380}
PIDFILE="$STATE/.taskpool-cluster.pid"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "already running (pid $(cat "$PIDFILE")); stop it with deploy/local/stop.sh" >&2
  exit 1
fi
"$ROOT/taskpool" cluster --host "$HOST" --kafka-port "$KAFKA_PORT" --redis-port "$REDIS_PORT" > "$STATE/.taskpool-cluster.out" 2>&1 &
echo $! > "$PIDFILE"
i=0
until grep -q TASKPOOL_REDIS_URL "$STATE/.taskpool-cluster.out" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 120 ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    cat "$STATE/.taskpool-cluster.out" >&2
    exit 1
  fi
  sleep 1
done
grep TASKPOOL_ "$STATE/.taskpool-cluster.out"
