#!/usr/bin/env bash
# The image flows' forward + backward step, macronet against PyTorch in one run, on one thread:
# for each repetition `bin/macronet bench image-flow STEPS BATCH`, image_flow_bench.py (PyTorch
# as it runs by default: convolutions through oneDNN) and image_flow_bench.py --no-mkldnn
# (PyTorch's native im2col + GEMM convolutions, macronet's algorithm) back to back, the order
# reversed every other repetition; then each repetition's samples/s and ratios, and per network
# the medians, the ratio of the medians, the median of the paired ratios with their range, and the
# ratio of the best runs (each side's least disturbed run).
#
# Usage: bench/image-flow/run.sh [REPS [STEPS [BATCH]]]     defaults: 3 20 32 (warm-up: 5 steps)
# Environment: PYTHON, an interpreter with torch (default /usr/bin/python3, Debian's python3-torch);
# OPENBLAS_CORETYPE, the OpenBLAS kernels of both sides (default Haswell, as bin/macronet pins it
# when unset; OPENBLAS_CORETYPE=Cooperlake gives both the AVX-512 ones). Both sides run with
# OPENBLAS_NUM_THREADS=1; each RESULT line of torch names the kernels (blas_core=). PyTorch's oneDNN
# convolutions pick their own instructions (AVX-512 on a CPU that has it) whatever this says.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPS="${1:-3}"
STEPS="${2:-20}"
BATCH="${3:-32}"
PYTHON="${PYTHON:-/usr/bin/python3}"
export OPENBLAS_NUM_THREADS=1
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"

"$PYTHON" -c 'import torch' 2>/dev/null || {
  echo "run.sh: $PYTHON cannot import torch (apt-get install python3-torch, or set PYTHON)" >&2
  exit 1
}
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; reps=$REPS steps=$STEPS batch=$BATCH"

side() {
  case "$1" in
    java) "$ROOT/bin/macronet" bench image-flow "$STEPS" "$BATCH" ;;
    torch) "$PYTHON" "$HERE/image_flow_bench.py" "$STEPS" 5 "$BATCH" ;;
    native) "$PYTHON" "$HERE/image_flow_bench.py" "$STEPS" 5 "$BATCH" --no-mkldnn ;;
  esac | grep '^RESULT' | sed "s/^/rep=$2 side=$1 /" | tee -a "$LOG"
}

for ((r = 1; r <= REPS; r++)); do
  if ((r % 2)); then order=(java torch native); else order=(native torch java); fi
  for s in "${order[@]}"; do
    side "$s" "$r"
  done
  echo "# after rep $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
done

python3 - "$LOG" <<'PY'
import re
import statistics
import sys

runs = {}
for line in open(sys.argv[1]):
    f = dict(re.findall(r"(\w+)=(\S+)", line))
    runs.setdefault(f["net"], {}).setdefault(int(f["rep"]), {})[f["side"]] = float(f["samples_per_s_median"])
print()
print("samples/s (median step); java/torch: PyTorch as it runs by default (oneDNN convolutions);")
print("java/native: PyTorch with --no-mkldnn (im2col + OpenBLAS GEMM, macronet's algorithm)")
print("net rep    java   torch  native  java/torch  java/native")
for net, reps in sorted(runs.items()):
    sides = {s: [] for s in ("java", "torch", "native")}
    ratios = {"torch": [], "native": []}
    for rep, v in sorted(reps.items()):
        if all(s in v for s in sides):
            for s in sides:
                sides[s].append(v[s])
            for s in ratios:
                ratios[s].append(v["java"] / v[s])
            print(f"{net:3} {rep:3} {v['java']:7.1f} {v['torch']:7.1f} {v['native']:7.1f} "
                  f"{v['java'] / v['torch']:11.2f} {v['java'] / v['native']:12.2f}")
    if not sides["java"]:
        continue
    med = {s: statistics.median(x) for s, x in sides.items()}
    best = {s: max(x) for s, x in sides.items()}
    print(f"{net:3} med {med['java']:7.1f} {med['torch']:7.1f} {med['native']:7.1f} "
          f"{med['java'] / med['torch']:11.2f} {med['java'] / med['native']:12.2f}   ratio of medians")
    print(f"{net:3} max {best['java']:7.1f} {best['torch']:7.1f} {best['native']:7.1f} "
          f"{best['java'] / best['torch']:11.2f} {best['java'] / best['native']:12.2f}   ratio of the best runs")
    for s, label in (("torch", "java/torch"), ("native", "java/native")):
        x = ratios[s]
        print(f"{net:3} {label}: median of paired ratios {statistics.median(x):.2f} (range {min(x):.2f}-{max(x):.2f})")
PY
