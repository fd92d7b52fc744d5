#!/usr/bin/env bash
# Checks that image_flow_bench.py computes the same function as macronet's image flow: macronet
# writes its parameters, 4 rows, z, log-det, gradient and head permutation (ImageFlowExport.java),
# and same_function.py loads them into the PyTorch network and compares (float32 rounding only).
# Usage: bench/image-flow/same_function.sh [NET...]     default: I1 I2
# Environment: PYTHON, an interpreter with torch and numpy (default /usr/bin/python3).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
NETS=("$@")
[ ${#NETS[@]} -eq 0 ] && NETS=(I1 I2)
"$ROOT/bin/macronet" help >/dev/null # builds the jars when the sources are newer
# shellcheck source=bin/java-options.sh
source "$ROOT/bin/java-options.sh"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
for net in "${NETS[@]}"; do
  java "${MACRONET_JAVA_OPENS[@]}" -cp "$ROOT/jobs/target/macronet-jobs.jar:$ROOT/jobs/target/lib/*:$ROOT/bench/target/macronet-bench.jar" "$HERE/ImageFlowExport.java" "$net" "$DIR"
  (cd "$HERE" && "$PYTHON" same_function.py "$net" "$DIR")
done
