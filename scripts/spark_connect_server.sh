#!/usr/bin/env bash
# Start or stop a local Spark Connect server from what the `pyspark` wheel in .venv ships (its
# jars directory holds spark-connect_2.13-*.jar; no Maven download, no Delta jars).
#
#   scripts/spark_connect_server.sh start [STATE_DIR]   -> prints sc://127.0.0.1:PORT
#   scripts/spark_connect_server.sh stop  [STATE_DIR]
#
# STATE_DIR (default .spark-connect/) holds `pid`, `port` and `server.log`. `start` picks a
# free port, launches the server in the background (master local[2] unless SPARK_MASTER is
# set, driver memory SPARK_DRIVER_MEMORY, default 1g) and waits until the port answers
# (SPARK_START_TIMEOUT seconds, default 180); on timeout it stops what it started and exits 1
# with the log's tail. `stop` kills the recorded process group whatever state it is in
# (TERM, then KILL after 10 s) and is a no-op when nothing runs. With SPARK_OWNER_PID set, a
# watcher stops the server as soon as that process is gone, so a test run that is killed
# outright does not leave a JVM behind. Needs Java 17+
# (scripts/setup.sh installs Debian's openjdk-17-jre-headless when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

cmd="${1:-}"
state="${2:-.spark-connect}"
PY="${PY:-.venv/bin/python}"

stop_server() {
  local pidfile="$state/pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # The server runs in its own process group (setsid): end the group, then make sure.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile" "$state/port"
}

case "$cmd" in
  start)
    mkdir -p "$state"
    stop_server
    spark_home="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')" || {
      echo "error: pyspark is not installed in .venv (run make setup)" >&2; exit 1; }
    if ! ls "$spark_home"/jars/spark-connect_*.jar >/dev/null 2>&1; then
      echo "error: $spark_home/jars has no spark-connect jar" >&2; exit 1
    fi
    command -v java >/dev/null || { echo "error: java not found (run make setup)" >&2; exit 1; }
    port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    log="$state/server.log"
    : > "$log"
    # setsid: the server and its JVM get their own process group so that `stop` ends them all.
    SPARK_HOME="$spark_home" SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$PY" setsid "$spark_home/bin/spark-submit" \
      --class org.apache.spark.sql.connect.service.SparkConnectServer \
      --name "amlgraph Spark Connect" \
      --master "${SPARK_MASTER:-local[2]}" \
      --driver-memory "${SPARK_DRIVER_MEMORY:-1g}" \
      --conf spark.connect.grpc.binding.address=127.0.0.1 \
      --conf spark.connect.grpc.binding.port="$port" \
      --conf spark.connect.grpc.maxInboundMessageSize=268435456 \
      --conf spark.ui.enabled=false \
      --conf spark.sql.shuffle.partitions="${SPARK_SHUFFLE_PARTITIONS:-4}" \
      --conf spark.sql.session.timeZone=UTC \
      --conf spark.driver.extraJavaOptions=-Duser.timezone=UTC \
      --conf spark.local.dir="$PWD/$state/tmp" \
      >"$log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$state/pid"
    echo "$port" > "$state/port"
    if [ -n "${SPARK_OWNER_PID:-}" ]; then
      owner="$SPARK_OWNER_PID"
      # Only when the owner is gone (not when the server was stopped first): no stale pid is signalled.
      setsid bash -c "while kill -0 $owner 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 2; done
        if ! kill -0 $owner 2>/dev/null; then kill -TERM -- -$pid 2>/dev/null; sleep 10; kill -KILL -- -$pid 2>/dev/null; fi" >/dev/null 2>&1 < /dev/null &
    fi
    deadline=$(( $(date +%s) + ${SPARK_START_TIMEOUT:-180} ))
    until "$PY" -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', $port)))" 2>/dev/null; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "error: the Spark Connect server exited during start-up; log $log:" >&2
        tail -n 30 "$log" >&2
        stop_server; exit 1
      fi
      if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "error: the Spark Connect server did not answer on port $port within ${SPARK_START_TIMEOUT:-180} s; log $log:" >&2
        tail -n 30 "$log" >&2
        stop_server; exit 1
      fi
      sleep 1
    done
    echo "sc://127.0.0.1:$port"
    ;;
  stop)
    stop_server
    ;;
  *)
    echo "usage: $0 start|stop [STATE_DIR]" >&2
    exit 1
    ;;
esac
