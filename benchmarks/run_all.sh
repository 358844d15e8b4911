#!/usr/bin/env bash
# Every benchmark, one after the other, on an otherwise idle machine:
#   training throughput (project vs naive Keras vs PyTorch), MFU, input pipeline, probes;
#   then inference latency (Keras vs LiteRT float32/float16/dynamic/int8, 1 and 2 threads).
# Results: benchmarks/results/*.json. About 15 minutes on a 2-core CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export TF_CPP_MIN_LOG_LEVEL=3
$PY benchmarks/training.py "$@"
$PY benchmarks/inference.py
