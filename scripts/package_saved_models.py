"""Copies trained runs into saved_models/: the .keras model, float32 and int8 .tflite files
(the mobile target, with metadata) with their verification JSON and sidecars, metrics,
history and a model card.

    python scripts/package_saved_models.py NAME=RUN_DIR[/FILE.keras] ... [--command NAME=CMD]
    python scripts/package_saved_models.py --reexport NAME ...   # from saved_models/NAME

The run's best.keras is shipped unless a model file inside the run directory is named.
``--reexport`` exports the shipped model.keras again (nothing is retrained, the .keras file
is not touched) and rewrites the exports, metrics.json's "tflite" part and the model card.

Each model is evaluated again from the shipped file on the full test set, so the card's
numbers are those of the file a user gets; each export also runs through MediaPipe Tasks
(ImageClassifier / ImageSegmenter) on the same images.
"""

import argparse
import os
import re
import shutil
import sys

from keras_resnets import artifacts
from keras_resnets.tensorflow_flags import set_tensorflow_defaults

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


# int8 top-1 agreement with Keras on 10,000 test images (every op int8), calibrated on
# 500 / 2,000 images:
# resnet20 99.38 / 99.56 %, plain20 99.44 / 99.33 %, resnet56 98.67 / 98.28 %
CALIBRATION_IMAGES = 2000


def package(name, run_dir, command, out_root, verify_images=None,
            calibration=CALIBRATION_IMAGES, note=None):
    from keras_resnets.data import dataset_info
    from keras_resnets.profile import model_profile
    from keras_resnets.training import TrainConfig

    source = os.path.join(run_dir, "best.keras")
    if run_dir.endswith(".keras"):  # a chosen model file inside a run directory
        source, run_dir = run_dir, os.path.dirname(run_dir)
    config = TrainConfig.load(os.path.join(run_dir, "config.json"))
    info = dataset_info(config.dataset)
    out = os.path.join(out_root, name)
    os.makedirs(out, exist_ok=True)
    model_path = os.path.join(out, "model.keras")
    shutil.copyfile(source, model_path + ".tmp")
    os.replace(model_path + ".tmp", model_path)
    model = artifacts.load_model(model_path)
    variants = export_variants(name, out, model, config.dataset, info, verify_images,
                               calibration)
    metric = "mean_iou" if info.task == "segmentation" else "accuracy"
    profile = model_profile(model)
    float_report = variants["model_float32.tflite"]
    metrics = {
        "model": name, "dataset": config.dataset, "test_examples": float_report["num_images"],
        f"test_{metric}": float_report[f"{metric}_keras"],
        "params": profile["params"], "trainable_params": profile["trainable_params"],
        "flops_per_image": profile["flops"], "depth": profile["depth"],
        "residual_blocks": profile["residual_blocks"], "log2_paths": profile["log2_paths"],
        "epochs": config.epochs, "train_images": _train_images(config),
        "tflite": tflite_summary(variants, metric),
    }
    run_metrics = artifacts.read_json(os.path.join(run_dir, "metrics.json"))
    metrics["train_seconds"] = run_metrics.get("train_seconds_total")
    metrics["train_images_per_second"] = run_metrics.get("images_per_second")
    metrics["machine"] = _machine(run_metrics)
    epochs = sorted(r["seconds"] for r in artifacts.read_json(
        os.path.join(run_dir, "history.json")) if r.get("seconds"))
    if epochs:
        metrics["epoch_seconds"] = {"min": epochs[0], "median": epochs[len(epochs) // 2],
                                    "max": epochs[-1]}
    if note:
        metrics["note"] = note
    artifacts.write_json(os.path.join(out, "metrics.json"), metrics)
    shutil.copyfile(os.path.join(run_dir, "history.json"), os.path.join(out, "history.json"))
    shutil.copyfile(os.path.join(run_dir, "config.json"), os.path.join(out, "config.json"))
    artifacts.write_text(os.path.join(out, "MODEL_CARD.md"),
                         model_card(name, config, metrics, command, info))
    return metrics


VARIANTS = (("none", "model_float32.tflite"), ("int8", "model_int8.tflite"))


def export_variants(name, out, model, dataset, info, verify_images=None,
                    calibration=CALIBRATION_IMAGES):
    """Exports ``model`` to ``out``/model_float32.tflite and model_int8.tflite (mobile
    target, metadata with the class names), verifies each against Keras and through
    MediaPipe on the test split, writes their sidecars; returns {file: report}."""
    from keras_resnets.data import load_arrays
    from keras_resnets.lite import export_tflite, verify_tflite, write_sidecar

    images, targets = load_arrays(dataset, "test", limit=verify_images)
    calib, _ = load_arrays(dataset, "train", limit=calibration)
    metric = "mean_iou" if info.task == "segmentation" else "accuracy"
    kind = "classifier" if info.task == "classification" else "segmentation model"
    variants = {}
    for mode, file in VARIANTS:
        path = os.path.join(out, file)
        export_tflite(model, path, quantization=mode, representative_data=calib,
                      labels=list(info.class_names),
                      info={"name": name, "description":
                            f"{name}: {info.task} {kind} trained on {dataset} by keras-resnets "
                            f"({'float32' if mode == 'none' else 'int8'}); input: RGB pixels "
                            f"0..255"})
        report = verify_tflite(path, model, images, targets, threads=1, latency_runs=100,
                               mediapipe=True, write=False)
        if mode == "int8":
            report["calibration_images"] = int(len(calib))
        artifacts.write_json(path + ".verify.json", report)
        write_sidecar(path, class_names=info.class_names, source_model=name,
                      accuracy={"dataset": dataset, "split": "test",
                                "num_images": int(len(images)),
                                f"{metric}_keras": report[f"{metric}_keras"],
                                f"{metric}_tflite": report[f"{metric}_tflite"]},
                      quantization=mode, dataset=dataset,
                      extra={"source_file": "model.keras", "target": "mobile"})
        print(f"  {name}/{file}: agreement {report['top1_agreement']:.4f}, MediaPipe "
              f"{report['mediapipe']['top1_agreement']:.4f}", flush=True)
        variants[file] = report
    return variants


def tflite_summary(variants, metric):
    keys = ("file_size_bytes", "max_abs_diff", "top1_agreement", f"{metric}_keras",
            f"{metric}_tflite", "latency_ms", "input_dtype", "ops_not_delegated_xnnpack",
            "mediapipe", "num_images", "calibration_images")
    return {f: {k: r[k] for k in keys if k in r} for f, r in variants.items()}


def reexport(name, out_root, verify_images=None, calibration=CALIBRATION_IMAGES):
    """Exports saved_models/``name``/model.keras again; rewrites the .tflite files, their
    reports and sidecars, metrics.json's "tflite" entry and the model card."""
    from keras_resnets.data import dataset_info
    from keras_resnets.training import TrainConfig

    out = os.path.join(out_root, name)
    config = TrainConfig.load(os.path.join(out, "config.json"))
    info = dataset_info(config.dataset)
    model = artifacts.load_model(os.path.join(out, "model.keras"))
    variants = export_variants(name, out, model, config.dataset, info, verify_images,
                               calibration)
    metric = "mean_iou" if info.task == "segmentation" else "accuracy"
    metrics = artifacts.read_json(os.path.join(out, "metrics.json"))
    metrics["tflite"] = tflite_summary(variants, metric)
    artifacts.write_json(os.path.join(out, "metrics.json"), metrics)
    with open(os.path.join(out, "MODEL_CARD.md")) as f:
        found = re.search(r"```bash\n(.*?)\n```", f.read(), re.S)
    command = found.group(1) if found else "(not recorded)"
    artifacts.write_text(os.path.join(out, "MODEL_CARD.md"),
                         model_card(name, config, metrics, command, info))
    return metrics


def _machine(run_metrics):
    """The machine that trained the run, as its metrics.json recorded it; runs finished
    before runs recorded it are described by the machine packaging them, and say so."""
    from keras_resnets import machine

    if run_metrics.get("machine"):
        return dict(run_metrics["machine"], recorded_by="training")
    return dict(machine.describe(), recorded_by="packaging")


def _augmentation(config, info):
    """What the training pipeline (`make_dataset` with its default padding) did to images."""
    from keras_resnets.data.pipeline import PAD

    if not config.augment:
        return "none"
    flip = ", horizontal flips" if info.hflip else ""
    return (f"{PAD}-pixel zero padding + random {info.image_shape[0]}x{info.image_shape[1]} "
            f"crop{flip}")


def _schedule(config):
    warmup = f", {config.warmup_epochs:g} epoch(s) of linear warm-up" if config.warmup_epochs else ""
    return f"{config.recipe}{warmup}, batch {config.batch_size}, seed {config.seed}"


def _training_time(metrics):
    from keras_resnets import machine

    seconds = metrics.get("train_seconds") or 0
    where = machine.summary(metrics["machine"]) if metrics.get("machine") else "a 2-core CPU"
    if metrics.get("machine", {}).get("recorded_by") == "packaging":
        where += " (the machine that packaged the run; the run itself did not record one)"
    spread = metrics.get("epoch_seconds")
    if spread:
        where += (f"; an epoch took {spread['min']:,.0f} to {spread['max']:,.0f} s "
                  f"(median {spread['median']:,.0f} s)")
    return f"{seconds:,.0f} s ({seconds / 3600:.1f} h) on {where}"


def _train_images(config):
    from keras_resnets.data.scenes import DEFAULT_SIZES

    scenes = config.dataset_options.get("train_images", DEFAULT_SIZES["train"])
    full = {"fashion_mnist": 60000, "fashion_scenes": scenes}.get(config.dataset)
    if full is None:
        return None
    n = int(round(full * (1 - config.validation_split)))
    return min(n, config.limit_train) if config.limit_train else n


def model_card(name, config, metrics, command, info):
    metric = "mean_iou" if info.task == "segmentation" else "accuracy"
    lines = [
        f"# {name}",
        "",
        f"Trained by keras-resnets on **{config.dataset}** ({info.task}; input "
        f"{info.image_shape}, raw 0..255 pixels: scaling is inside the model).",
        "",
        "| | |",
        "|---|---|",
        f"| test {metric.replace('_', ' ')} (Keras, {metrics['test_examples']} test images) | "
        f"{metrics[f'test_{metric}']:.4f} |",
        f"| trainable parameters | {metrics['trainable_params']:,} |",
        f"| FLOPs per image | {metrics['flops_per_image']:,} |",
        f"| weight layers (depth) | {metrics['depth']} |",
        f"| residual blocks / paths | {metrics['residual_blocks']} / 2^{metrics['log2_paths']:.0f} |",
        f"| training images | {metrics['train_images']} |",
        f"| epochs | {config.epochs} |",
        f"| schedule | {_schedule(config)} |",
        f"| augmentation | {_augmentation(config, info)} |",
        f"| precision | {'mixed bfloat16' if config.mixed_precision else 'float32'} |",
        f"| training time | {_training_time(metrics)} |",
        "",
        "## TFLite / LiteRT",
        "",
        f"| file | size KB | max abs diff vs Keras | top-1 agreement | {metric} | "
        "latency median / p90 ms (1 thread) |",
        "|---|---|---|---|---|---|",
    ]
    for file, r in metrics["tflite"].items():
        lines.append(
            f"| {file} | {r['file_size_bytes'] / 1024:.1f} | {r['max_abs_diff']:.2e} | "
            f"{r.get('top1_agreement', float('nan')):.4f} | {r.get(f'{metric}_tflite', float('nan')):.4f} | "
            f"{r['latency_ms']['median']:.2f} / {r['latency_ms']['p90']:.2f} |")
    calibrated = [r["calibration_images"] for r in metrics["tflite"].values()
                  if "calibration_images" in r]
    if calibrated:
        lines += ["", f"int8: activations calibrated on {calibrated[0]:,} training images."]
    if metrics.get("note"):
        lines += ["", metrics["note"]]
    lines += mobile_section(metrics, metric, info)
    lines += [
        "",
        "## How it was made",
        "",
        "```bash",
        command,
        "```",
        "",
        "then `python scripts/package_saved_models.py` (this card, the evaluation and the "
        "exports). Full configuration: `config.json`; per-epoch history: `history.json`.",
        "",
    ]
    return "\n".join(lines)


def mobile_section(metrics, metric, info):
    """The model card's "On phones" part: the input contract, MediaPipe Tasks' results and
    the ops XNNPACK does not delegate (empty for files exported before the mobile target)."""
    rows = {f: r for f, r in metrics["tflite"].items() if "mediapipe" in r}
    if not rows:
        return []
    h, w = info.image_shape[:2]
    task = "ImageClassifier" if metric == "accuracy" else "ImageSegmenter"
    output = "probabilities" if metric == "accuracy" else "mask"
    lines = [
        "",
        "## On phones (MediaPipe Tasks, LiteRT)",
        "",
        f"Input `image`: 1 x {h} x {w} x 3 RGB pixels 0..255, float32 (gray conversion and "
        f"scaling are inside the graph); output `{output}`. The files carry TFLite metadata "
        "(labels, normalization mean 0 / std 1, colour space), so MediaPipe Tasks' "
        f"`{task}` opens them as they are (docs/mobile.md). Measured with MediaPipe "
        f"{_mediapipe_version()} on the test images above:",
        "",
        f"| file | MediaPipe top-1 agreement with Keras | MediaPipe {metric.replace('_', ' ')} | "
        f"Keras {metric.replace('_', ' ')} | ops XNNPACK leaves to LiteRT |",
        "|---|---|---|---|---|",
    ]
    for file, r in rows.items():
        mp = r["mediapipe"]
        ops = ", ".join(r.get("ops_not_delegated_xnnpack") or []) or "none"
        lines.append(f"| {file} | {mp['top1_agreement']:.4f} | {mp.get(metric, float('nan')):.4f} | "
                     f"{r.get(f'{metric}_keras', float('nan')):.4f} | {ops} |")
    return lines


def _mediapipe_version():
    try:
        from importlib.metadata import version

        return version("mediapipe")
    except Exception:  # not installed: the numbers were written elsewhere
        return "(version unknown)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", metavar="NAME=RUN_DIR",
                        help="NAME=RUN_DIR to package a run, or NAME with --reexport")
    parser.add_argument("--reexport", action="store_true",
                        help="export saved_models/NAME/model.keras again (no training)")
    parser.add_argument("--command", action="append", default=[], metavar="NAME=COMMAND",
                        help="the command that trained NAME, for its model card")
    parser.add_argument("--note", action="append", default=[], metavar="NAME=TEXT",
                        help="a sentence for NAME's model card (e.g. how the run shared the CPU)")
    parser.add_argument("--out", default=os.path.join(ROOT, "saved_models"))
    parser.add_argument("--verify-images", type=int, default=None,
                        help="test images for verification (default: the whole test set)")
    parser.add_argument("--calibration-images", type=int, default=CALIBRATION_IMAGES,
                        help=f"training images calibrating int8 (default: {CALIBRATION_IMAGES})")
    args = parser.parse_args(argv)
    set_tensorflow_defaults()
    commands = dict(c.split("=", 1) for c in args.command)
    notes = dict(n.split("=", 1) for n in args.note)
    for item in args.runs:
        name, _, run_dir = item.partition("=")
        if args.reexport:
            reexport(name, args.out, verify_images=args.verify_images,
                     calibration=args.calibration_images)
            continue
        metrics = package(name, run_dir, commands.get(name, "(not recorded)"), args.out,
                          verify_images=args.verify_images, calibration=args.calibration_images,
                          note=notes.get(name))
        key = "test_mean_iou" if "test_mean_iou" in metrics else "test_accuracy"
        print(f"{name}: {key} {metrics[key]:.4f}; "
              + "; ".join(f"{f} {r['file_size_bytes'] / 1024:.0f} KB" for f, r in metrics["tflite"].items()),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
