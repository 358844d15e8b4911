"""Single-image and batch inference latency of a shipped model: Keras ``model(x)``,
``model.predict(x)`` and the LiteRT interpreter on float32 / float16 / dynamic-range / int8
files, with 1 and 2 threads, all in one process. Prints a table with each variant's speed-up
over ``model(x)`` and writes JSON with the machine's description.

    .venv/bin/python benchmarks/inference.py [--model saved_models/resnet20/model.keras]
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_utils import machine_info, time_calls  # noqa: E402

from keras_resnets.lite.export import QUANTIZATIONS  # noqa: E402
from keras_resnets.tensorflow_flags import set_tensorflow_defaults  # noqa: E402


def run(model_path, runs=200, batch=64, out=None, modes=QUANTIZATIONS):
    from keras_resnets import artifacts
    from keras_resnets.data import load_arrays
    from keras_resnets.lite import export_tflite
    from keras_resnets.lite.runtime import load_interpreter
    from keras_resnets.lite.runtime import run as run_interpreter

    model = artifacts.load_model(model_path)
    images, _ = load_arrays("fashion_mnist", "test", limit=batch)
    calibration, _ = load_arrays("fashion_mnist", "train", limit=500)
    one = images[:1].astype("float32")
    rows = {}
    rows["keras model(x)"] = time_calls(lambda: model(one, training=False), runs)
    rows["keras predict(x)"] = time_calls(lambda: model.predict(one, verbose=0), max(20, runs // 10))
    rows[f"keras predict(batch {batch})"] = time_calls(
        lambda: model.predict(images.astype("float32"), batch_size=batch, verbose=0), 10)
    with tempfile.TemporaryDirectory() as tmp:
        for mode in modes:
            path = os.path.join(tmp, f"{mode}.tflite")
            export_tflite(model, path, quantization=mode, representative_data=calibration)
            size = os.path.getsize(path)
            for threads in (1, 2):
                interpreter = load_interpreter(path, threads=threads)
                name = f"litert {'float32' if mode == 'none' else mode} {threads}t"
                rows[name] = time_calls(lambda: run_interpreter(interpreter, one), runs)
                rows[name]["file_size_bytes"] = size
    base = rows["keras model(x)"]["median_ms"]
    for row in rows.values():
        row["speedup_vs_keras_call"] = base / row["median_ms"]
    result = {"benchmark": "inference", "model": model_path, "machine": machine_info(),
              "rows": rows}
    print(f"{'variant':<26} {'median ms':>10} {'p90 ms':>9} {'x vs model(x)':>14} {'size KB':>8}")
    for name, row in rows.items():
        size = row.get("file_size_bytes")
        print(f"{name:<26} {row['median_ms']:>10.3f} {row['p90_ms']:>9.3f} "
              f"{row['speedup_vs_keras_call']:>14.1f} {'' if size is None else f'{size / 1024:.0f}':>8}")
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=2)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="saved_models/resnet20/model.keras")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--out", default="benchmarks/results/inference.json")
    args = parser.parse_args(argv)
    set_tensorflow_defaults()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    run(args.model, runs=args.runs, out=args.out)


if __name__ == "__main__":
    main()
