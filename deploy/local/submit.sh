#!/usr/bin/env bash
# spark-submit without a Spark installation: runs Spark's own submitter
# (org.apache.spark.deploy.SparkSubmit, which is all bin/spark-submit starts) on the Spark jars
# that `mvn -Pcluster -DskipTests package` copies to jobs/target/spark/jars. The arguments are
# spark-submit's, unchanged:
#
#   deploy/local/submit.sh --master spark://127.0.0.1:PORT [--properties-file FILE] \
#       [--conf KEY=VALUE]... jobs/target/macronet-app.jar generate --conf conf/quickstart.conf
#
# (--class is not needed: the application jar's manifest names org.macronet.jobs.cli.Main.)
# With a Spark 4.2 installation, run its bin/spark-submit with the same arguments instead.
#
# The driver is this script's JVM (client deploy mode, the default): it gets the JVM options of
# bin/macronet (bin/java-options.sh) and the project's logging (conf/log4j2.properties);
# MACRONET_JAVA_OPTS adds JVM options such as -Xmx4g. --driver-memory,
# --driver-java-options and --driver-class-path are read by bin/spark-submit's launcher before
# it starts the JVM, which this script does not have: use MACRONET_JAVA_OPTS. The exit status is
# the job's (0 ok, 1 failed or drifted, 2 usage or configuration error).
#
# YARN: HADOOP_CONF_DIR (and YARN_CONF_DIR) name the cluster's client configuration, which goes on
# the classpath after the jars, as bin/spark-submit puts it. With --deploy-mode cluster this JVM
# only submits and waits: 0 when the application succeeded, 1 otherwise (deploy/README.md, "YARN").
set -euo pipefail

MACRONET_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=bin/java-options.sh
source "$MACRONET_HOME/bin/java-options.sh"
SPARK_JARS="${MACRONET_SPARK_JARS:-$MACRONET_HOME/jobs/target/spark/jars}"

if [ ! -d "$SPARK_JARS" ] || [ -z "$(ls "$SPARK_JARS"/*.jar 2>/dev/null | head -n 1)" ]; then
  echo "submit.sh: no Spark jars in $SPARK_JARS; build them (and the application jar) with:" >&2
  echo "  mvn -Pcluster -DskipTests package" >&2
  exit 2
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# as bin/macronet: training runs in the driver, with one BLAS thread and one OpenBLAS kernel set
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
if [ "$(uname -m)" = x86_64 ]; then
  export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
fi
CLASSPATH_="$SPARK_JARS/*"
for conf_dir in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
  if [ -n "$conf_dir" ]; then
    CLASSPATH_="$CLASSPATH_:$conf_dir"
  fi
done
# shellcheck disable=SC2086
exec java "${MACRONET_JAVA_OPENS[@]}" \
  -Dlog4j2.configurationFile="$MACRONET_HOME/conf/log4j2.properties" ${MACRONET_JAVA_OPTS:-} \
  -cp "$CLASSPATH_" org.apache.spark.deploy.SparkSubmit "$@"
