#!/usr/bin/env bash
# Rebuilds everything in saved_models/ from scratch (or resumes it): the trained models,
# their TFLite exports and model cards, and the experiment results. Every step resumes
# where it stopped when the script is run again. About 1.5 hours on an idle 2-core CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-runs}
PY=.venv/bin/python
step=${1:-all}

if [[ $step == all || $step == train ]]; then
  OUT=$RUNS/shipped scripts/train_shipped_models.sh
  OUT=$RUNS/experiments scripts/run_experiments.sh degradation
  OUT=$RUNS/experiments scripts/run_experiments.sh unet_skips
fi

if [[ $step == all || $step == package ]]; then
  deg=$RUNS/experiments/degradation/runs
  unet=$RUNS/experiments/unet_skips/runs
  train20="keras-resnets train resnet20 --dataset fashion_mnist --batch-size 128 --recipe cosine --warmup-epochs 0.5 --epochs 8 --no-augment --seed 0 --out runs/shipped/resnet20"
  degcmd="keras-resnets experiment degradation --out runs/experiments/degradation  # then the run's precise_bn.keras"
  unetcmd="keras-resnets experiment unet_skips --out runs/experiments/unet_skips"
  $PY scripts/package_saved_models.py \
    resnet20=$RUNS/shipped/resnet20 \
    plain20=$deg/plain20/precise_bn.keras \
    resnet56=$deg/resnet56/precise_bn.keras \
    plain56=$deg/plain56/precise_bn.keras \
    unet_fashion_scenes=$unet/with_skips \
    unet_fashion_scenes_noskip=$unet/without_skips \
    --command "resnet20=$train20" --command "plain20=$degcmd" \
    --command "resnet56=$degcmd" --command "plain56=$degcmd" \
    --command "unet_fashion_scenes=$unetcmd" --command "unet_fashion_scenes_noskip=$unetcmd"
fi

# `make_saved_models.sh reexport`: the .tflite files, their reports and the cards again from
# the shipped model.keras files (no training), e.g. after a change to the export
if [[ $step == reexport ]]; then
  $PY scripts/package_saved_models.py --reexport resnet20 plain20 resnet56 plain56 \
    unet_fashion_scenes unet_fashion_scenes_noskip
fi

if [[ $step == all || $step == lesion ]]; then
  OUT=$RUNS/experiments scripts/run_experiments.sh lesion
fi

if [[ $step == all || $step == results ]]; then
  for name in degradation unet_skips lesion deep; do
    src=$RUNS/experiments/$name
    [[ -f $src/results.json ]] || continue
    mkdir -p saved_models/experiments/$name
    cp "$src/results.json" "$src"/*.png saved_models/experiments/$name/
  done
fi
