#!/usr/bin/env bash
# Every benchmark, one after the other, on an otherwise idle machine:
#   training throughput (project vs naive Keras vs PyTorch, and whole epochs of
#   `keras-resnets train` on 12,800 Fashion-MNIST images for the 28x28 models), MFU, input
#   pipeline, probes; then inference (the app's single image, batch 64 vs PyTorch eval,
#   Keras vs LiteRT float32/float16/dynamic/int8 with 1 and 2 threads).
# Results: benchmarks/results/*.json (tables: benchmarks/report.py). About 30 minutes on 2
# cores before the command line's epochs were added; they take several minutes per model.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export TF_CPP_MIN_LOG_LEVEL=3
$PY benchmarks/training.py "$@"
$PY benchmarks/inference.py
$PY benchmarks/report.py
