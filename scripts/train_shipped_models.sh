#!/usr/bin/env bash
# Trains the ResNet-20 shipped in saved_models/ (Fashion-MNIST, raw-pixel inputs).
# plain20, resnet56 and plain56 come from the degradation experiment (same budget for all).
# Resumable: run it again after an interruption and it continues where it stopped.
# The budget is sized for a 2-core CPU; the model card records the exact command.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/shipped}
.venv/bin/keras-resnets train resnet20 --dataset fashion_mnist --batch-size 128 \
    --recipe cosine --warmup-epochs 0.5 --epochs 8 --no-augment --seed 0 --out "$OUT/resnet20"
