#!/usr/bin/env bash
# The residual-science experiments with their committed default budgets (2-core CPU).
# Each is resumable: run the script again after an interruption.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/experiments}
KR=.venv/bin/keras-resnets
case "${1:-all}" in
  degradation|all) $KR experiment degradation --out "$OUT/degradation" ;;&
  unet_skips|all)  $KR experiment unet_skips --out "$OUT/unet_skips" ;;&
  lesion|all)      $KR experiment lesion --out "$OUT/lesion" ;;&
  deep)            $KR experiment deep --out "$OUT/deep" ;;
esac
