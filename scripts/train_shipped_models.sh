#!/usr/bin/env bash
# Trains the classifiers shipped in saved_models/ (Fashion-MNIST, raw-pixel inputs).
# Resumable: run it again after an interruption and each run continues where it stopped.
# Budgets are sized for a 2-core CPU; the model cards record the exact commands.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/shipped}
KR=".venv/bin/keras-resnets"
common=(--dataset fashion_mnist --batch-size 128 --recipe cosine --warmup-epochs 1 --seed 0)
$KR train resnet20 "${common[@]}" --epochs 14 --out "$OUT/resnet20"
$KR train plain20  "${common[@]}" --epochs 6  --out "$OUT/plain20"
$KR train resnet56 "${common[@]}" --epochs 3 --limit-train 20000 --out "$OUT/resnet56"
$KR train plain56  "${common[@]}" --epochs 3 --limit-train 20000 --out "$OUT/plain56"
