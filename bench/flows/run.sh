#!/usr/bin/env bash
# The flow training step, macronet against PyTorch in one run: for each repetition and thread
# count, `bin/macronet bench flows T STEPS` and realnvp_bench.py T STEPS back to back (which goes
# first alternates between repetitions), then each pair's samples/s and ratio, and per network and
# thread count the ratio of the medians, the median of the pairs' ratios and the ratio of the best
# runs (each side's least disturbed run: on a shared machine the fairest single figure).
#
# Usage: bench/flows/run.sh [REPS [STEPS [THREADS...]]]     defaults: 3 1000 1 2
# Environment: PYTHON, an interpreter with torch (default /usr/bin/python3, Debian's python3-torch).
# Both sides run with OPENBLAS_NUM_THREADS=1 and whatever OPENBLAS_CORETYPE the caller has, so their
# matrix products use the same OpenBLAS kernels (each RESULT line of torch names them).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPS="${1:-3}"
STEPS="${2:-1000}"
shift $(( $# < 2 ? $# : 2 ))
THREADS=("$@")
[ ${#THREADS[@]} -eq 0 ] && THREADS=(1 2)
PYTHON="${PYTHON:-/usr/bin/python3}"
export OPENBLAS_NUM_THREADS=1

"$PYTHON" -c 'import torch' 2>/dev/null || {
  echo "run.sh: $PYTHON cannot import torch (apt-get install python3-torch, or set PYTHON)" >&2
  exit 1
}
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; reps=$REPS steps=$STEPS threads=${THREADS[*]}"

java_side() { "$ROOT/bin/macronet" bench flows "$1" "$STEPS" | grep '^RESULT' | sed "s/^/rep=$2 /"; }
torch_side() { "$PYTHON" "$HERE/realnvp_bench.py" "$1" "$STEPS" 100 | grep '^RESULT' | sed "s/^/rep=$2 /"; }

for ((r = 1; r <= REPS; r++)); do
  for t in "${THREADS[@]}"; do
    if ((r % 2)); then
      java_side "$t" "$r" | tee -a "$LOG"
      torch_side "$t" "$r" | tee -a "$LOG"
    else
      torch_side "$t" "$r" | tee -a "$LOG"
      java_side "$t" "$r" | tee -a "$LOG"
    fi
  done
done

python3 - "$LOG" <<'PY'
import re
import statistics
import sys

runs = {}
for line in open(sys.argv[1]):
    f = dict(re.findall(r"(\w+)=(\S+)", line))
    side = "java" if " flow " in line else "torch"
    runs.setdefault((f["net"], int(f["threads"])), {}).setdefault(int(f["rep"]), {})[side] = f
print()
print("net threads rep   java_sps  torch_sps  ratio")
for (net, t), reps in sorted(runs.items()):
    ratios, js, ts = [], [], []
    for rep, s in sorted(reps.items()):
        if "java" in s and "torch" in s:
            j = float(s["java"]["samples_per_s_median"])
            p = float(s["torch"]["samples_per_s_median"])
            js.append(j); ts.append(p); ratios.append(j / p)
            print(f"{net:3} {t:7} {rep:3} {j:10.0f} {p:10.0f} {j / p:6.2f}")
    if ratios:
        jm, tm = statistics.median(js), statistics.median(ts)
        print(f"{net:3} {t:7} med {jm:10.0f} {tm:10.0f} {jm / tm:6.2f}   median of ratios {statistics.median(ratios):.2f}"
              f" (range {min(ratios):.2f}-{max(ratios):.2f})")
        print(f"{net:3} {t:7} max {max(js):10.0f} {max(ts):10.0f} {max(js) / max(ts):6.2f}   ratio of the best runs")
PY
