"""Inference latency and throughput of the shipped models.

1. The app's Keras column, one 28x28 image: the eager ``model(x)`` it used to call against
   `keras_resnets.inference.InferenceFunction` (the pass traced once, called directly), in
   alternating rounds; median and p90 per call, median of per-round ratios.
2. A batch of 64 on ResNet-20 and ResNet-56 (28x28x1): Keras ``model.predict`` and
   `InferenceFunction` against PyTorch eval (channels_last, ``torch.inference_mode``) of the
   same architecture, PyTorch in a worker process (`training.Worker`), alternating rounds.
3. Every single-image path of one model in one process: ``model(x)``, ``model.predict``,
   `InferenceFunction` and the LiteRT interpreter on float32 / float16 / dynamic-range /
   int8 files, with 1 and 2 threads.

Writes JSON with the machine's description.

    .venv/bin/python benchmarks/inference.py [--model saved_models/resnet20/model.keras]
"""

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_utils import call_times, machine_info, summarize, time_calls, write_result  # noqa: E402

from keras_resnets.lite.export import QUANTIZATIONS  # noqa: E402
from keras_resnets.tensorflow_flags import set_tensorflow_defaults  # noqa: E402

# benchmark key (training.MODELS) -> shipped model
BATCH_MODELS = {"resnet20": "saved_models/resnet20/model.keras",
                "resnet56": "saved_models/resnet56/model.keras"}


def _load(path, key=None):
    """The shipped model at ``path``, or (when it is absent) the registry's ``key`` at
    28x28x1 with random weights: the speed is the architecture's."""
    from keras_resnets import artifacts, build

    if os.path.isfile(path) or key is None:
        return artifacts.load_model(path, compile=False)
    return build(key, input_shape=(28, 28, 1), classes=10, include_preprocessing=True)


def app_single_image(model, image, rounds=5, calls=20):
    """The app's Keras column before (eager ``model(x)``) and after (`InferenceFunction`),
    alternating rounds of ``calls`` calls each."""
    from keras_resnets.inference import InferenceFunction

    start = time.perf_counter()
    infer = InferenceFunction(model)
    first_ms = (time.perf_counter() - start) * 1000
    paths = {"model(x), eager (before)": lambda: np.asarray(model(image, training=False))[0],
             "InferenceFunction (after)": lambda: infer(image)[0]}
    np.testing.assert_allclose(paths["InferenceFunction (after)"](),
                               paths["model(x), eager (before)"](), rtol=1e-4, atol=1e-5)
    samples = {name: [] for name in paths}
    round_medians = {name: [] for name in paths}
    for _ in range(rounds):
        for name, fn in paths.items():
            fn()
            ms = call_times(fn, calls)
            samples[name] += ms
            round_medians[name].append(statistics.median(ms))
    names = list(paths)
    return {"rounds": rounds, "calls_per_round": calls, "trace_and_warm_up_ms": first_ms,
            "paths": {name: summarize(s) for name, s in samples.items()},
            "speedup_after_vs_before": statistics.median(
                b / a for b, a in zip(round_medians[names[0]], round_medians[names[1]]))}


def batch_vs_torch(key, path, batch=64, rounds=5, calls=5, torch=True, predict=True):
    """Images/s of a batch of ``batch`` through Keras ``predict``, `InferenceFunction` and
    (in a worker process) PyTorch eval, alternating rounds of ``calls`` calls each."""
    import training
    from keras_resnets.inference import InferenceFunction

    model = _load(path, key)
    x = np.random.default_rng(0).uniform(0, 255, (batch, 28, 28, 1)).astype("float32")
    infer = InferenceFunction(model)
    keras_runs = {"keras predict": lambda: model.predict(x, batch_size=batch, verbose=0),
                  "keras InferenceFunction": lambda: infer(x)}
    if not predict:
        del keras_runs["keras predict"]
    runners = {name: training.timed(lambda fn=fn: [fn() for _ in range(calls)])
               for name, fn in keras_runs.items()}
    workers = {}
    if torch:
        workers["pytorch eval channels_last"] = training.Worker(
            {"kind": "torch_eval", "key": key, "batch": batch, "calls": calls})
    try:
        speeds = training.interleave(dict(runners, **workers), rounds, batch * calls)
    finally:
        for worker in workers.values():
            worker.close()
    row = {"model": key, "source": path if os.path.isfile(path) else "built (random weights)",
           "batch_size": batch, "calls_per_round": calls, "rounds": rounds,
           "images_per_second": {k: statistics.median(v) for k, v in speeds.items()},
           "images_per_second_rounds": speeds, "ratios": {}}
    for a, b in (("keras InferenceFunction", "pytorch eval channels_last"),
                 ("keras predict", "pytorch eval channels_last"),
                 ("keras InferenceFunction", "keras predict")):
        if a in speeds and b in speeds:
            row["ratios"][f"{a} / {b}"] = statistics.median(
                x / y for x, y in zip(speeds[a], speeds[b]))
    return row


def single_image_paths(model, images, calibration, runs, modes):
    """Every single-image path of ``model`` in one process (LiteRT files exported here)."""
    from keras_resnets.inference import InferenceFunction
    from keras_resnets.lite import export_tflite
    from keras_resnets.lite.runtime import load_interpreter
    from keras_resnets.lite.runtime import run as run_interpreter

    one = images[:1].astype("float32")
    infer = InferenceFunction(model)
    rows = {}
    rows["keras model(x)"] = time_calls(lambda: model(one, training=False), runs)
    rows["keras predict(x)"] = time_calls(lambda: model.predict(one, verbose=0),
                                          max(20, runs // 10))
    rows["keras InferenceFunction(x)"] = time_calls(lambda: infer(one), runs)
    rows[f"keras predict(batch {len(images)})"] = time_calls(
        lambda: model.predict(images.astype("float32"), batch_size=len(images), verbose=0), 10)
    rows[f"keras InferenceFunction(batch {len(images)})"] = time_calls(
        lambda: infer(images), max(10, runs // 10))
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
    return rows


def run(model_path, runs=200, batch=64, out=None, modes=QUANTIZATIONS, rounds=5,
        batch_models=BATCH_MODELS, torch=None):
    """Runs every measurement; returns the results dict, also written to ``out``.
    ``torch=None``: PyTorch where it is installed."""
    from keras_resnets.data import load_arrays

    torch = importlib.util.find_spec("torch") is not None if torch is None else torch
    model = _load(model_path)
    images, _ = load_arrays("fashion_mnist", "test", limit=batch)
    calibration, _ = load_arrays("fashion_mnist", "train", limit=500)
    result = {"benchmark": "inference", "model": model_path, "machine": machine_info()}
    result["app_single_image"] = app_single_image(model, images[:1].astype("float32"), rounds)
    result["batch_vs_torch"] = [batch_vs_torch(key, path, batch, rounds, torch=torch)
                                for key, path in batch_models.items()]
    result["rows"] = single_image_paths(model, images, calibration, runs, modes)
    result["machine"]["load_average_at_end"] = os.getloadavg()
    print(_summary(result))
    return write_result(result, out)


def _summary(result):
    app = result["app_single_image"]
    lines = [f"app, one image ({app['rounds']} rounds x {app['calls_per_round']} calls; "
             f"trace + warm-up {app['trace_and_warm_up_ms']:.0f} ms):"]
    for name, row in app["paths"].items():
        lines.append(f"  {name:<28} median {row['median_ms']:7.2f} ms  p90 {row['p90_ms']:7.2f} ms")
    lines.append(f"  after / before: {app['speedup_after_vs_before']:.1f}x faster")
    for row in result["batch_vs_torch"]:
        lines.append(f"{row['model']}, batch {row['batch_size']}:")
        for name, speed in row["images_per_second"].items():
            lines.append(f"  {name:<28} {speed:8.0f} images/s")
        for name, value in row["ratios"].items():
            lines.append(f"  {name}: {value:.2f}x")
    lines.append(f"{'variant':<34} {'median ms':>10} {'p90 ms':>9} {'x vs model(x)':>14} "
                 f"{'size KB':>8}")
    for name, row in result["rows"].items():
        size = row.get("file_size_bytes")
        lines.append(f"{name:<34} {row['median_ms']:>10.3f} {row['p90_ms']:>9.3f} "
                     f"{row['speedup_vs_keras_call']:>14.1f} "
                     f"{'' if size is None else f'{size / 1024:.0f}':>8}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="saved_models/resnet20/model.keras")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-torch", action="store_false", dest="torch", default=None)
    parser.add_argument("--out", default="benchmarks/results/inference.json")
    args = parser.parse_args(argv)
    set_tensorflow_defaults()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    run(args.model, runs=args.runs, out=args.out, rounds=args.rounds, torch=args.torch)


if __name__ == "__main__":
    main()
