#!/usr/bin/env bash
# Builds the phone page (web/phone/) for offline use: installs LiteRT.js from npm at the
# version package-lock.json pins, copies its ES modules and WASM runtimes into
# phone/vendor/, and the shipped int8 classifier with its labels into phone/model/.
# Nothing is fetched at run time (no CDN). `make app` and `make test` run it.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
rm -rf phone/vendor phone/model
mkdir -p phone/vendor/wasm phone/model
cp node_modules/@litertjs/core/dist/index.js phone/vendor/litert-core.js
cp node_modules/@litertjs/wasm-utils/dist/index.js phone/vendor/wasm-utils.js
# the two single-threaded runtimes loadLiteRt() chooses between (relaxed SIMD or not)
for name in litert_wasm_internal litert_wasm_compat_internal; do
  cp "node_modules/@litertjs/core/wasm/$name.js" "node_modules/@litertjs/core/wasm/$name.wasm" \
    phone/vendor/wasm/
done
cp ../saved_models/resnet20/model_int8.tflite phone/model/model.tflite
cp ../saved_models/resnet20/model_int8.tflite.labels.txt phone/model/labels.txt
touch phone/.built
