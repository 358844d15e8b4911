"""Copies trained runs into saved_models/: the .keras model, float32 and int8 .tflite files
with their verification JSON and sidecars, metrics, history and a model card.

    python scripts/package_saved_models.py NAME=RUN_DIR[/FILE.keras] ... [--command NAME=CMD]

The run's best.keras is shipped unless a model file inside the run directory is named.

Each model is evaluated again from the shipped file on the full test set, so the card's
numbers are those of the file a user gets.
"""

import argparse
import os
import shutil
import sys


from keras_resnets import artifacts

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def package(name, run_dir, command, out_root, verify_images=None, calibration=500):
    import keras

    import keras_resnets  # noqa: F401  (registers custom layers)
    from keras_resnets.data import dataset_info, load_arrays
    from keras_resnets.lite import export_tflite, verify_tflite, write_sidecar
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
    model = keras.models.load_model(model_path, safe_mode=True)

    images, targets = load_arrays(config.dataset, "test", limit=verify_images)
    calib, _ = load_arrays(config.dataset, "train", limit=calibration)
    metric = "mean_iou" if info.task == "segmentation" else "accuracy"
    variants = {}
    for mode, file in (("none", "model_float32.tflite"), ("int8", "model_int8.tflite")):
        path = os.path.join(out, file)
        export_tflite(model, path, quantization=mode, representative_data=calib)
        report = verify_tflite(path, model, images, targets, threads=1, latency_runs=100)
        write_sidecar(path, class_names=info.class_names, source_model=name,
                      accuracy={"dataset": config.dataset, "split": "test",
                                "num_images": int(len(images)),
                                f"{metric}_keras": report[f"{metric}_keras"],
                                f"{metric}_tflite": report[f"{metric}_tflite"]},
                      quantization=mode, dataset=config.dataset,
                      extra={"source_file": "model.keras"})
        variants[file] = report

    profile = model_profile(model)
    float_report = variants["model_float32.tflite"]
    metrics = {
        "model": name, "dataset": config.dataset, "test_examples": int(len(images)),
        f"test_{metric}": float_report[f"{metric}_keras"],
        "params": profile["params"], "trainable_params": profile["trainable_params"],
        "flops_per_image": profile["flops"], "depth": profile["depth"],
        "residual_blocks": profile["residual_blocks"], "log2_paths": profile["log2_paths"],
        "epochs": config.epochs, "train_images": _train_images(config),
        "tflite": {f: {k: r[k] for k in ("file_size_bytes", "max_abs_diff", "top1_agreement",
                                         f"{metric}_tflite", "latency_ms") if k in r}
                   for f, r in variants.items()},
    }
    run_metrics = artifacts.read_json(os.path.join(run_dir, "metrics.json"))
    metrics["train_seconds"] = run_metrics.get("train_seconds_total")
    metrics["train_images_per_second"] = run_metrics.get("images_per_second")
    artifacts.write_json(os.path.join(out, "metrics.json"), metrics)
    shutil.copyfile(os.path.join(run_dir, "history.json"), os.path.join(out, "history.json"))
    shutil.copyfile(os.path.join(run_dir, "config.json"), os.path.join(out, "config.json"))
    artifacts.write_text(os.path.join(out, "MODEL_CARD.md"),
                         model_card(name, config, metrics, command, info))
    return metrics


def _train_images(config):
    full = {"fashion_mnist": 60000, "fashion_scenes": 6000}.get(config.dataset)
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
        f"| recipe | {config.recipe} (batch {config.batch_size}, augment={config.augment}, "
        f"seed {config.seed}) |",
        f"| training time | {metrics['train_seconds'] or 0:.0f} s on a 2-core CPU |",
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", metavar="NAME=RUN_DIR")
    parser.add_argument("--command", action="append", default=[], metavar="NAME=COMMAND",
                        help="the command that trained NAME, for its model card")
    parser.add_argument("--out", default=os.path.join(ROOT, "saved_models"))
    parser.add_argument("--verify-images", type=int, default=None,
                        help="test images for verification (default: the whole test set)")
    args = parser.parse_args(argv)
    commands = dict(c.split("=", 1) for c in args.command)
    for item in args.runs:
        name, _, run_dir = item.partition("=")
        metrics = package(name, run_dir, commands.get(name, "(not recorded)"), args.out,
                          verify_images=args.verify_images)
        key = "test_mean_iou" if "test_mean_iou" in metrics else "test_accuracy"
        print(f"{name}: {key} {metrics[key]:.4f}; "
              + "; ".join(f"{f} {r['file_size_bytes'] / 1024:.0f} KB" for f, r in metrics["tflite"].items()),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
