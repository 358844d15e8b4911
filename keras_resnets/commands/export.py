"""`keras-resnets export`: a saved .keras model -> .tflite files (one per quantization
mode) with TFLite metadata, each verified against the Keras model and given its sidecar
files. The default target, ``mobile``, takes RGB camera frames (`keras_resnets.lite.mobile`)."""

import os

from keras_resnets.commands import UsageError
from keras_resnets.data import list_datasets
from keras_resnets.lite.export import INT8_IO, QUANTIZATIONS
from keras_resnets.lite.mobile import TARGETS

DEFAULT_MODES = ",".join(QUANTIZATIONS)
INT8_IO_CHOICES = tuple(mode or "none" for mode in INT8_IO)  # "none": float tensors


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "export", help="export a .keras model to TFLite / LiteRT (float32 and quantized)",
        description="Exports MODEL.keras to DIR/<name>_<mode>.tflite for each quantization "
                    "mode, verifies each file against the Keras model on test images, writes "
                    "<file>.json, <file>.labels.txt and <file>.verify.json, and prints a table. "
                    "Each file carries TFLite metadata (labels, normalization, description) "
                    "that MediaPipe Tasks reads.")
    parser.add_argument("model", metavar="MODEL.keras", help="a model saved by Keras 3")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--quantization", default=DEFAULT_MODES,
                        help=f"comma-separated modes among {', '.join(QUANTIZATIONS)} "
                             f"(default: {DEFAULT_MODES})")
    parser.add_argument("--dataset", default=None, choices=list_datasets(),
                        help="dataset for int8 calibration (train split) and verification "
                             "(test split); default: fashion_mnist for a classifier, "
                             "fashion_scenes for a segmentation model")
    parser.add_argument("--num-images", type=int, default=200,
                        help="test images to verify on (default: 200)")
    parser.add_argument("--calibration-images", type=int, default=2000,
                        help="training images to calibrate int8 on (default: 2000)")
    parser.add_argument("--int8-io", choices=INT8_IO_CHOICES, default="none",
                        help="integer input/output tensors for int8 (default: float)")
    parser.add_argument("--target", choices=TARGETS, default="mobile",
                        help="mobile: input 'image' 1xHxWx3 RGB pixels 0..255, gray conversion "
                             "in the graph, as MediaPipe Tasks and phone cameras want; model: "
                             "the model's own input (default: mobile)")
    parser.add_argument("--dynamic-batch", action="store_true",
                        help="keep the batch dimension dynamic (default: batch 1; MediaPipe "
                             "needs batch 1)")
    parser.add_argument("--mediapipe", action="store_true",
                        help="also run each file through MediaPipe Tasks and report it")
    parser.add_argument("--threads", type=int, default=1,
                        help="interpreter threads for the latency measurement (default: 1)")
    parser.add_argument("--latency-runs", type=int, default=50,
                        help="runs of one image to time (default: 50)")
    parser.set_defaults(func=run)


def parse_modes(text):
    modes = [m.strip().lower() for m in text.split(",") if m.strip()]
    unknown = [m for m in modes if m not in QUANTIZATIONS]
    if not modes or unknown:
        raise UsageError(
            f"--quantization takes a comma-separated list of {', '.join(QUANTIZATIONS)}. "
            f"Received: {text!r}"
        )
    return list(dict.fromkeys(modes))


def load_keras_model(path):
    import keras

    from keras_resnets import layers  # noqa: F401  (registers ZeroPadChannels, in older files)

    if not os.path.isfile(path):
        raise FileNotFoundError(f"model file not found: {path}")
    if not path.endswith(".keras"):
        raise ValueError(f"{path}: expected a Keras 3 model file ending in .keras")
    try:
        return keras.saving.load_model(path)
    except Exception as err:  # zip, JSON or deserialization errors of many types
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(f"{path}: cannot load the Keras model ({reason})") from None


def _fmt(value, spec):
    return "-" if value is None else format(value, spec)


def run(args):
    from keras_resnets.lite import export_tflite, verify_tflite, write_sidecar
    from keras_resnets.lite.samples import load_samples

    modes = parse_modes(args.quantization)
    for flag, value in (("--num-images", args.num_images),
                        ("--calibration-images", args.calibration_images),
                        ("--threads", args.threads), ("--latency-runs", args.latency_runs)):
        if value < 1:
            raise UsageError(f"{flag} must be >= 1. Received: {value}")
    if args.int8_io == "int8" and args.target == "mobile" and "int8" in modes:
        raise UsageError("--int8-io int8 cannot meet the mobile contract (MediaPipe takes "
                         "float32 or uint8 tensors); use --int8-io uint8 or --target model")
    model = load_keras_model(args.model)
    from keras_resnets.lite.mobile import check_mobile_contract, model_task

    _, task = (check_mobile_contract if args.target == "mobile" else model_task)(model)
    segmentation = task == "segmentation"
    dataset = args.dataset or ("fashion_scenes" if segmentation else "fashion_mnist")
    images, targets, class_names = load_samples(dataset, "test", limit=args.num_images)
    if (targets.ndim == 3) != segmentation:
        kind = "segmentation" if segmentation else "classification"
        raise UsageError(f"{model.name!r} is a {kind} model but dataset {dataset!r} is not")
    classes = int(model.outputs[0].shape[-1])
    if len(class_names) != classes:
        raise UsageError(
            f"{model.name!r} has {classes} output classes but dataset {dataset!r} has "
            f"{len(class_names)}"
        )
    calibration = None
    if "int8" in modes:
        calibration, _, _ = load_samples(dataset, "train", limit=args.calibration_images)

    stem = os.path.splitext(os.path.basename(args.model))[0]
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for mode in modes:
        path = os.path.join(args.out, f"{stem}_{mode}.tflite")
        int8_io = args.int8_io if mode == "int8" and args.int8_io != "none" else False
        export_tflite(model, path, quantization=mode, representative_data=calibration,
                      int8_io=int8_io, static_batch=not args.dynamic_batch, target=args.target,
                      labels=list(class_names))
        report = verify_tflite(path, model, images, targets, threads=args.threads,
                               latency_runs=args.latency_runs, mediapipe=args.mediapipe)
        metric = "mean_iou" if segmentation else "accuracy"
        accuracy = {"dataset": dataset, "split": "test", "num_images": len(images),
                    f"{metric}_keras": report[f"{metric}_keras"],
                    f"{metric}_tflite": report[f"{metric}_tflite"]}
        write_sidecar(path, class_names=class_names, source_model=model.name,
                      accuracy=accuracy, quantization=mode, dataset=dataset,
                      extra={"source_file": os.path.basename(args.model),
                             "target": args.target})
        rows.append((mode, report, report[f"{metric}_keras"], report[f"{metric}_tflite"]))

    metric = "miou" if segmentation else "acc"
    header = (f"{'variant':<9} {'size KB':>9} {'max abs diff':>12} {'top1 agree':>10} "
              f"{metric + ' keras':>10} {metric + ' tflite':>11} {'latency ms med/p90':>19}")
    print(f"{model.name}: {len(images)} {dataset} test images, {args.threads} thread(s)")
    print(header)
    print("-" * len(header))
    for mode, report, acc_keras, acc_tflite in rows:
        latency = f"{report['latency_ms']['median']:.2f}/{report['latency_ms']['p90']:.2f}"
        print(f"{mode:<9} {report['file_size_bytes'] / 1024:>9.1f} "
              f"{report['max_abs_diff']:>12.2e} {report['top1_agreement']:>10.3f} "
              f"{_fmt(acc_keras, '.4f'):>10} {_fmt(acc_tflite, '.4f'):>11} {latency:>19}")
    for mode, report, _, _ in rows:
        if "mediapipe" in report:
            mp = report["mediapipe"]
            print(f"MediaPipe {mode}: top-1 agreement with Keras {mp['top1_agreement']:.4f}, "
                  f"{metric} {mp.get('mean_iou', mp.get('accuracy')):.4f}")
    print(f"files in {args.out} (target {args.target})")
    return 0
