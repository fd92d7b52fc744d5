#!/usr/bin/env bash
# The Spark trainer's cost per step against the single-JVM trainer (BENCHMARKS.md, "Spark
# training"): `bin/macronet bench` with train-step and train-comm in local mode, then train-step on
# a standalone cluster of deploy/local/cluster.sh with 1 and then 2 workers of 1 core each (the
# cluster is stopped after each, and on exit). The load average goes with each part, and a table of
# the train-step figures comes at the end.
#
# Usage: bench/train/run.sh [--set KEY=VALUE]...    (passed to every bench command)
# Environment: OUT (folder for the raw output, default a new temporary one).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
CLUSTER_DIR="$ROOT/runs/bench-cluster"
stop_cluster() { "$ROOT/deploy/local/cluster.sh" stop --dir "$CLUSTER_DIR" >/dev/null 2>&1 || true; }
trap stop_cluster EXIT

load() {
  local psi=""
  [ -r /proc/pressure/cpu ] && psi=", cpu pressure $(head -1 /proc/pressure/cpu)"
  echo "# $1: $(date -u +%FT%TZ) load average $(cut -d' ' -f1-3 /proc/loadavg)$psi"
}

bench() { # NAME ARGS...: one bench command, its RESULT lines tagged with NAME
  local name=$1
  shift
  load "$name start"
  "$ROOT/bin/macronet" bench "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || {
    echo "run.sh: $name failed; see $OUT/$name.err" >&2
    exit 1
  }
  grep -E '^(RESULT|bench: Spark)' "$OUT/$name.out" | sed "s/^RESULT /RESULT run=$name /"
  load "$name end"
}

echo "# $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); output in $OUT"
bench local --set bench.workloads=train-step,train-comm "$@" | tee "$OUT/results.txt"
for workers in 1 2; do
  url=$("$ROOT/deploy/local/cluster.sh" start --workers "$workers" --cores 1 --dir "$CLUSTER_DIR" \
    2>"$OUT/cluster-$workers.err" | tail -1)
  # spark.cores.max: the benchmark waits until executors with that many cores have registered
  bench "cluster-$workers" --master "$url" --set bench.workloads=train-step --set spark.cores.max="$workers" "$@" \
    | tee -a "$OUT/results.txt"
  stop_cluster
done

python3 - "$OUT/results.txt" <<'PY'
import re
import sys

rows = {}
for line in open(sys.argv[1]):
    if not line.startswith("RESULT run=") or " train-step " not in line:
        continue
    f = dict(re.findall(r"(\w+)=(\S+)", line))
    name = f["impl"] + "-" + f["threads"] if f["impl"] == "jvm" else f["run"] + "-spark-" + f["partitions"]
    if f["impl"] == "jvm" and f["run"] != "local":
        continue
    rows.setdefault((f["system"], int(f["batch"])), {})[name] = f
print()
print("system     batch  implementation        ms/step  samples/s  overhead ms (range)      job floor ms (bare)")
for (system, batch), impls in sorted(rows.items()):
    for name, f in impls.items():
        extra = ""
        if f["impl"] == "spark":
            extra = (f"{float(f['overhead_ms']):7.1f} ({float(f['overhead_min_ms']):.1f}..{float(f['overhead_max_ms']):.1f})"
                     f" vs jvm-{f['vs_jvm_threads']}   {float(f['job_floor_ms']):.1f} ({float(f['bare_job_ms']):.1f})")
        print(f"{system:10} {batch:5}  {name:20} {float(f['median_ms']):8.2f} {float(f['samples_per_s']):10.0f}  {extra}")
print()
print("Spark steps, mean ms per step or task: in tasks (span), of which executor deserialise / run / result")
print("serialise / scheduler delay; outside the tasks (driver); result KiB per task")
print("system     batch  run                    span  deser    run  rser  delay  outside  result_kb")
for (system, batch), impls in sorted(rows.items()):
    for name, f in impls.items():
        if f["impl"] == "spark":
            g = lambda k: float(f[k])
            print(f"{system:10} {batch:5}  {name:20} {g('task_span_ms'):6.1f} {g('task_deserialize_ms'):6.2f} "
                  f"{g('task_run_ms'):6.2f} {g('task_result_serialize_ms'):5.2f} {g('scheduler_delay_ms'):6.2f} "
                  f"{g('outside_tasks_ms'):8.2f} {g('task_result_kb'):10.1f}")
PY
