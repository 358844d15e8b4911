#!/usr/bin/env bash
# Every benchmark, one after the other, on an otherwise idle machine:
#   training throughput (project vs naive Keras vs PyTorch), MFU, input pipeline, probes;
#   then inference latency (Keras vs LiteRT float32/float16/dynamic/int8, 1 and 2 threads).
# Results: benchmarks/results/*.json (tables: benchmarks/report.py). About 30 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export TF_CPP_MIN_LOG_LEVEL=3
$PY benchmarks/training.py "$@"
$PY benchmarks/inference.py
$PY benchmarks/report.py
