#!/usr/bin/env bash
# A real Spark standalone cluster on this host (127.0.0.1), for the integration tests and for
# trying the jobs on a cluster without installing Spark: a master and N workers started with
# `java -cp` on the project's resolved jars (jobs/target/lib).
#
#   deploy/local/cluster.sh start [--workers N] [--cores C] [--memory M] [--dir RUN_DIR]
#                                 [--port P] [--webui-port P] [--timeout S]
#                                 [--spark-jars DIR] [--properties-file FILE]
#   deploy/local/cluster.sh status [--dir RUN_DIR]
#   deploy/local/cluster.sh stop [--dir RUN_DIR] [--timeout S]
#
# start returns once every worker has registered with the master and prints the master URL
# (spark://127.0.0.1:PORT) as the last line on stdout; progress goes to stderr. Defaults:
# 2 workers with 1 core and 1g each, RUN_DIR = runs/cluster, free ports chosen by the OS.
# stop ends exactly the processes start wrote PID files for (and the executors they spawned)
# and waits until they have exited. status exits 0 when the master and every worker run, 3
# when nothing runs, 1 when only some do.
#
# RUN_DIR holds master.log, worker-I.log, their PID files, master.url, master-webui.url, each
# worker's work directory worker-I/ (one folder per application and executor, with the
# executor's stdout and stderr), local/ (the executors' scratch space) and spark-home/
# (the workers' SPARK_HOME; jars/ links the dependency jars).
#
# The workers' classpath has Spark and the project's dependencies but not the macronet jars:
# a driver started with bin/macronet --master spark://... ships those itself (spark.jars,
# see SparkSessions), so a rebuilt project runs on a running cluster. --spark-jars DIR gives
# the workers the jars in DIR instead, e.g. jobs/target/spark/jars (Spark alone, built by
# mvn -Pcluster package), as on a Spark installation that runs the application jar
# macronet-app.jar (deploy/local/submit.sh). --properties-file FILE becomes the daemons'
# spark-defaults.conf (e.g. the shared secret of spark.authenticate, which the master, the
# workers and every application must agree on).
#
# Environment: SPARK_DAEMON_MEMORY (heap of the master and each worker JVM, default 256m).
set -euo pipefail

MACRONET_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=bin/java-options.sh
source "$MACRONET_HOME/bin/java-options.sh"
LIB="$MACRONET_HOME/jobs/target/lib"
MASTER_CLASS=org.apache.spark.deploy.master.Master
WORKER_CLASS=org.apache.spark.deploy.worker.Worker

usage() {
  cat >&2 <<'USAGE'
usage: cluster.sh start [--workers N] [--cores C] [--memory M] [--dir RUN_DIR]
                        [--port P] [--webui-port P] [--timeout S]
                        [--spark-jars DIR] [--properties-file FILE]
       cluster.sh status [--dir RUN_DIR]
       cluster.sh stop [--dir RUN_DIR] [--timeout S]
USAGE
  exit 2
}

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

say() {
  echo "cluster.sh: $*" >&2
}

# ---- arguments -------------------------------------------------------------------------
[ $# -ge 1 ] || usage
COMMAND=$1
shift
WORKERS=2
CORES=1
MEMORY=1g
RUN_DIR="$MACRONET_HOME/runs/cluster"
PORT=0
WEBUI_PORT=0
TIMEOUT=60
SPARK_JARS=
PROPERTIES_FILE=
while [ $# -gt 0 ]; do
  opt=$1
  [ $# -ge 2 ] || { echo "cluster.sh: $opt needs a value" >&2; usage; }
  case "$opt" in
    --workers) WORKERS=$2 ;;
    --cores) CORES=$2 ;;
    --memory) MEMORY=$2 ;;
    --dir) RUN_DIR=$2 ;;
    --port) PORT=$2 ;;
    --webui-port) WEBUI_PORT=$2 ;;
    --timeout) TIMEOUT=$2 ;;
    --spark-jars) SPARK_JARS=$2 ;;
    --properties-file) PROPERTIES_FILE=$2 ;;
    *) echo "cluster.sh: unknown option $opt" >&2; usage ;;
  esac
  shift 2
done
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, found '$2'"; }
positive --workers "$WORKERS"
positive --cores "$CORES"
positive --timeout "$TIMEOUT"
[[ $PORT =~ ^[0-9]+$ ]] || die "--port must be a port number (0: any free port), found '$PORT'"
[[ $WEBUI_PORT =~ ^[0-9]+$ ]] || die "--webui-port must be a port number (0: any free port), found '$WEBUI_PORT'"
[[ $MEMORY =~ ^[1-9][0-9]*[mMgG]$ ]] || die "--memory must be like 512m or 1g, found '$MEMORY'"
if [ -n "$SPARK_JARS" ]; then
  [ -d "$SPARK_JARS" ] || die "--spark-jars must be a folder of jars, found '$SPARK_JARS' (mvn -Pcluster -DskipTests package builds jobs/target/spark/jars)"
  SPARK_JARS="$(cd "$SPARK_JARS" && pwd)"
fi
if [ -n "$PROPERTIES_FILE" ]; then
  [ -f "$PROPERTIES_FILE" ] && [ -r "$PROPERTIES_FILE" ] || die "--properties-file must be a readable file, found '$PROPERTIES_FILE'"
fi
if [ "$COMMAND" = start ]; then
  mkdir -p "$RUN_DIR"
fi
if [ -d "$RUN_DIR" ]; then
  RUN_DIR="$(cd "$RUN_DIR" && pwd)"
fi

# ---- processes -------------------------------------------------------------------------
# Is PID alive? A zombie is not: in a container whose init does not reap orphans, a stopped
# daemon can stay one.
alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  if read -r stat 2>/dev/null <"/proc/$1/stat"; then
    stat=${stat##*) }
    [ "${stat%% *}" != Z ] || return 1
  fi
}

# Is PID alive and running CLASS? (the class check guards against a reused PID)
runs() {
  local pid=$1 class=$2
  [ -n "$pid" ] && alive "$pid" || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF " $class " || return 1
  fi
}

pid_of() { # NAME: the PID in NAME.pid, or nothing
  [ -f "$RUN_DIR/$1.pid" ] && cat "$RUN_DIR/$1.pid" || true
}

# The PIDs of PID's child processes (a worker's executors), read from /proc.
children_of() {
  local parent=$1 file stat fields
  [ -d /proc ] || return 0
  for file in /proc/[0-9]*/stat; do
    read -r stat 2>/dev/null <"$file" || continue
    # pid (comm) state ppid ...; comm may hold spaces and parentheses
    read -r -a fields <<<"${stat##*) }"
    if [ "${fields[1]}" = "$parent" ]; then
      echo "${stat%% *}"
    fi
  done
}

wait_exit() { # PID SECONDS: 0 once PID has exited
  local deadline=$((SECONDS + $2))
  while alive "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# SIGTERM, then SIGKILL after the timeout; a worker's shutdown hook stops its executors.
stop_daemon() { # NAME CLASS
  local name=$1 class=$2 pid
  pid=$(pid_of "$name")
  if runs "$pid" "$class"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_exit "$pid" "$TIMEOUT"; then
      say "$name (pid $pid) did not stop in ${TIMEOUT}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      wait_exit "$pid" 10 || die "$name (pid $pid) survived SIGKILL"
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

# Executors the workers of this run folder launched that are still alive (a worker killed
# with SIGKILL, or one asked to launch an executor while it was shutting down, leaves them
# running), recognised by this run folder's SPARK_HOME on their classpath.
stray_executors() {
  local file args
  [ -d /proc ] || return 0
  for file in /proc/[0-9]*/cmdline; do
    read -r args 2>/dev/null <"${file%cmdline}comm" && [ "$args" = java ] || continue
    args=$(tr '\0' ' ' <"$file" 2>/dev/null) || continue
    if [[ $args == *" -cp $RUN_DIR/spark-home/conf/:"* && $args == *CoarseGrainedExecutorBackend* ]]; then
      file=${file#/proc/}
      echo "${file%/cmdline}"
    fi
  done
}

worker_names() {
  local f
  for f in "$RUN_DIR"/worker-*.pid; do
    [ -e "$f" ] && basename "$f" .pid
  done
}

# The master first: while it runs, it relaunches on the remaining workers the executors of
# each worker that stops, and a worker asked to launch one while shutting down orphans it.
stop_all() {
  local w pid
  stop_daemon master "$MASTER_CLASS"
  for w in $(worker_names); do
    stop_daemon "$w" "$WORKER_CLASS"
  done
  for pid in $(stray_executors); do
    kill -TERM "$pid" 2>/dev/null || true
    wait_exit "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    say "stopped executor (pid $pid) that outlived its worker"
  done
}

# Starts a daemon JVM detached from this script (its own session: no terminal signals, and
# it outlives the script) and records its PID in NAME.pid.
launch() { # NAME CLASS [-Dkey=value]... ARGS...
  local name=$1 class=$2 props=()
  shift 2
  while [[ ${1:-} == -D* ]]; do
    props+=("$1")
    shift
  done
  local detach=()
  command -v setsid >/dev/null && detach=(setsid)
  rm -f "$RUN_DIR/$name.pid"
  # shellcheck disable=SC2016
  "${detach[@]}" bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$RUN_DIR/$name.pid" \
    java -Xmx"${SPARK_DAEMON_MEMORY:-256m}" "${MACRONET_JAVA_OPENS[@]}" "${props[@]}" \
    -cp "$SPARK_HOME/jars/*" "$class" "$@" </dev/null >"$RUN_DIR/$name.log" 2>&1 &
  local deadline=$((SECONDS + 10))
  until [ -s "$RUN_DIR/$name.pid" ]; do
    [ $SECONDS -lt $deadline ] || die "$name did not start"
    sleep 0.05
  done
}

# Waits until a log line matches REGEX and prints its first group; fails when NAME's
# process has died or the timeout passed.
await_log() { # NAME CLASS REGEX
  local name=$1 class=$2 regex=$3 line deadline=$((SECONDS + TIMEOUT))
  while :; do
    line=$(grep -m1 -oE "$regex" "$RUN_DIR/$name.log" 2>/dev/null || true)
    if [ -n "$line" ]; then
      [[ $line =~ $regex ]] && echo "${BASH_REMATCH[1]}"
      return 0
    fi
    if ! runs "$(pid_of "$name")" "$class"; then
      tail -n 30 "$RUN_DIR/$name.log" >&2 || true
      return 1
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$RUN_DIR/$name.log" >&2; return 1; }
    sleep 0.2
  done
}

# GET http://127.0.0.1:PORT/PATH with bash's /dev/tcp (no curl on a bare machine).
http_get() { # PORT PATH
  # shellcheck disable=SC2016
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3
    cat <&3' "$1" "$2" 2>/dev/null
}

alive_workers() { # UIPORT: the master's count of ALIVE workers
  local body
  body=$(http_get "$1" /json/) || true
  if [[ $body =~ \"aliveworkers\"\ *:\ *([0-9]+) ]]; then
    echo "${BASH_REMATCH[1]}"
  else
    echo 0
  fi
}

# ---- commands --------------------------------------------------------------------------
start() {
  if runs "$(pid_of master)" "$MASTER_CLASS"; then
    die "a cluster already runs in $RUN_DIR (master pid $(pid_of master), $(cat "$RUN_DIR/master.url" 2>/dev/null)); stop it first"
  fi
  stop_all 2>/dev/null # leftovers of a master that died
  if [ -z "$SPARK_JARS" ] && [ ! -d "$LIB" ]; then
    say "building (mvn package -DskipTests) ..."
    (cd "$MACRONET_HOME" && mvn -B -q -ntp -DskipTests package) >&2
  fi

  # what an earlier run here left
  rm -rf "$RUN_DIR"/worker-* "$RUN_DIR"/master.* "$RUN_DIR"/master-webui.url "$RUN_DIR/local"
  # SPARK_HOME: where a worker finds the jars for the executors it launches
  export SPARK_HOME="$RUN_DIR/spark-home"
  rm -rf "$SPARK_HOME"
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
  local jar n=0
  if [ -n "$SPARK_JARS" ]; then
    for jar in "$SPARK_JARS"/*.jar; do
      [ -e "$jar" ] || continue
      ln -s "$jar" "$SPARK_HOME/jars/"
      n=$((n + 1))
    done
    [ $n -gt 0 ] || die "no jars in $SPARK_JARS"
  else
    for jar in "$LIB"/*.jar; do
      case "$(basename "$jar")" in
        macronet-*) ;; # the driver ships the application's own jars
        *) ln -s "$jar" "$SPARK_HOME/jars/"; n=$((n + 1)) ;;
      esac
    done
    [ $n -gt 0 ] || die "no jars in $LIB; build with: mvn -DskipTests package"
  fi
  export SPARK_CONF_DIR="$SPARK_HOME/conf" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  if [ -n "$PROPERTIES_FILE" ]; then
    # the master and the workers read $SPARK_CONF_DIR/spark-defaults.conf; it may hold a secret
    (umask 077 && cp "$PROPERTIES_FILE" "$SPARK_CONF_DIR/spark-defaults.conf")
  fi
  # executors' scratch space (shuffle files, fetched jars) under the run folder, not /tmp
  export SPARK_LOCAL_DIRS="$RUN_DIR/local"
  mkdir -p "$SPARK_LOCAL_DIRS"
  # executors inherit the workers' environment: one BLAS thread, as bin/macronet sets
  export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
  # and one OpenBLAS kernel set, for the same weights on any x86-64 CPU (see bin/macronet)
  [ "$(uname -m)" != x86_64 ] || export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"

  # on any failure below, leave nothing running
  trap '[ $? -eq 0 ] || stop_all 2>/dev/null' EXIT

  # The master's REST submission server would take the fixed port 6066; the jobs do not use it.
  launch master "$MASTER_CLASS" -Dspark.master.rest.enabled=false \
    --host 127.0.0.1 --port "$PORT" --webui-port "$WEBUI_PORT"
  local url ui
  url=$(await_log master "$MASTER_CLASS" 'Starting Spark master at (spark://[^ ]+)') \
    || die "the master did not start; see $RUN_DIR/master.log"
  ui=$(await_log master "$MASTER_CLASS" "Successfully started service 'MasterUI' on port ([0-9]+)") \
    || die "the master's web UI did not start; see $RUN_DIR/master.log"
  echo "$url" >"$RUN_DIR/master.url"
  echo "http://127.0.0.1:$ui" >"$RUN_DIR/master-webui.url"
  say "master $url (web UI http://127.0.0.1:$ui, pid $(pid_of master))"

  local i
  for i in $(seq 1 "$WORKERS"); do
    mkdir -p "$RUN_DIR/worker-$i"
    launch "worker-$i" "$WORKER_CLASS" --host 127.0.0.1 --port 0 --webui-port 0 --cores "$CORES" \
      --memory "$MEMORY" --work-dir "$RUN_DIR/worker-$i" "$url"
  done

  local deadline=$((SECONDS + TIMEOUT)) alive=0
  while :; do
    alive=$(alive_workers "$ui")
    [ "$alive" -ge "$WORKERS" ] && break
    for i in $(seq 1 "$WORKERS"); do
      runs "$(pid_of "worker-$i")" "$WORKER_CLASS" \
        || { tail -n 30 "$RUN_DIR/worker-$i.log" >&2; die "worker-$i died; see $RUN_DIR/worker-$i.log"; }
    done
    [ $SECONDS -lt $deadline ] || die "only $alive of $WORKERS workers registered in ${TIMEOUT}s; see $RUN_DIR/worker-*.log"
    sleep 0.3
  done
  trap - EXIT
  say "$WORKERS workers with $CORES cores and $MEMORY each registered; logs in $RUN_DIR"
  echo "$url"
}

status() {
  local rc=0 running=0 total=1 pid name
  pid=$(pid_of master)
  if runs "$pid" "$MASTER_CLASS"; then
    running=1
    local ui
    ui=$(cat "$RUN_DIR/master-webui.url")
    echo "master    running  pid $pid  $(cat "$RUN_DIR/master.url")  $ui  (alive workers: $(alive_workers "${ui##*:}"))"
  else
    echo "master    stopped"
  fi
  for name in $(worker_names); do
    total=$((total + 1))
    pid=$(pid_of "$name")
    if runs "$pid" "$WORKER_CLASS"; then
      running=$((running + 1))
      echo "$(printf '%-9s' "$name") running  pid $pid  executors: $(children_of "$pid" | tr '\n' ' ')"
    else
      echo "$(printf '%-9s' "$name") stopped"
    fi
  done
  if [ $running -eq 0 ]; then rc=3; elif [ $running -lt $total ]; then rc=1; fi
  return $rc
}

case "$COMMAND" in
  start) start ;;
  stop) stop_all ;;
  status) status ;;
  *) usage ;;
esac
