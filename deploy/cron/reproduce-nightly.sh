#!/usr/bin/env bash
# Runs `reproduce` for pinned configurations on a Spark cluster with spark-submit, one after the
# other, for cron (deploy/cron/reproduce.cron):
#
#   deploy/cron/reproduce-nightly.sh [NAME | FILE.conf]...    (default: sho lds grayscott)
#
# NAME is conf/repro/NAME.conf. Each run's console output is appended to a log file of the day,
# $MACRONET_LOG_DIR/reproduce-YYYY-MM-DD.log, after a header line; a summary line per run goes
# to the log and, when the run did not pass, to stdout, so that cron mails only bad news.
# Exit status: 0 when every run passed, else the highest status of a run:
#   1  drift (a value differs from its baseline beyond its tolerance) or the job failed
#   2  usage or configuration error (e.g. a missing baseline): the setup is broken
#   3  a previous invocation still runs (nothing started)
#   other  spark-submit itself failed (126/127: not found or not executable, 137: killed)
#
# Environment (defaults in brackets):
#   MACRONET_HOME              the checkout with conf/repro [this script's ../..]
#   SPARK_SUBMIT               [spark-submit on PATH]; deploy/local/submit.sh without Spark
#   MACRONET_MASTER            the master URL [spark://127.0.0.1:7077]
#   MACRONET_SPARK_PROPERTIES  spark-submit --properties-file, e.g. a copy of
#                              deploy/spark-defaults.conf.example with the secret [none]
#   MACRONET_APP_JAR           [$MACRONET_HOME/jobs/target/macronet-app.jar]
#   MACRONET_RUNS_DIR          reproduce.runs-dir, where run folders go; a path every node
#                              reaches (hdfs://, a shared mount) [the configuration's]
#   MACRONET_LOG_DIR           [$MACRONET_HOME/runs/repro/logs]
# The driver runs here (client deploy mode), so the exit status is the job's and training uses
# this host's CPU; OPENBLAS_NUM_THREADS=1 and OPENBLAS_CORETYPE=Haswell are set as bin/macronet
# sets them.
set -uo pipefail

MACRONET_HOME="${MACRONET_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SPARK_SUBMIT="${SPARK_SUBMIT:-spark-submit}"
MASTER="${MACRONET_MASTER:-spark://127.0.0.1:7077}"
APP_JAR="${MACRONET_APP_JAR:-$MACRONET_HOME/jobs/target/macronet-app.jar}"
LOG_DIR="${MACRONET_LOG_DIR:-$MACRONET_HOME/runs/repro/logs}"

mkdir -p "$LOG_DIR" || exit 2
LOG="$LOG_DIR/reproduce-$(date -u +%F).log"

# one invocation at a time: a slow night must not overlap the next
exec 9>"$LOG_DIR/.reproduce.lock"
if ! flock -n 9; then
  echo "reproduce-nightly: a previous run still holds $LOG_DIR/.reproduce.lock; nothing started" | tee -a "$LOG"
  exit 3
fi

export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
if [ "$(uname -m)" = x86_64 ]; then
  export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
fi

submit=("$SPARK_SUBMIT" --master "$MASTER")
if [ -n "${MACRONET_SPARK_PROPERTIES:-}" ]; then
  submit+=(--properties-file "$MACRONET_SPARK_PROPERTIES")
fi

[ $# -gt 0 ] || set -- sho lds grayscott
worst=0
for which in "$@"; do
  case "$which" in
    *.conf) conf=$which ;;
    *) conf="$MACRONET_HOME/conf/repro/$which.conf" ;;
  esac
  args=(reproduce --conf "$conf")
  if [ -n "${MACRONET_RUNS_DIR:-}" ]; then
    args+=(--set "reproduce.runs-dir=$MACRONET_RUNS_DIR")
  fi
  started=$(date -u +%FT%TZ)
  echo "==== $started reproduce $conf on $MASTER" >>"$LOG"
  first=$(($(wc -l <"$LOG") + 1))
  "${submit[@]}" "$APP_JAR" "${args[@]}" </dev/null >>"$LOG" 2>&1
  status=$?
  case $status in
    0) what="pass" ;;
    1) what="DRIFT or job failure" ;;
    2) what="CONFIGURATION ERROR (setup broken)" ;;
    *) what="spark-submit FAILED (exit status $status)" ;;
  esac
  line="reproduce-nightly: $(basename "$conf" .conf): $what, exit status $status (started $started; log $LOG)"
  echo "$line" >>"$LOG"
  if [ $status -ne 0 ]; then
    echo "$line"
    # this run's verdict headline, drifted values or error, for the mail
    tail -n +"$first" "$LOG" | grep -E '^(reproduce|macronet): ' | grep -E 'DRIFT|error|failed' | head -n 12
  fi
  [ $status -le $worst ] || worst=$status
done
exit $worst
