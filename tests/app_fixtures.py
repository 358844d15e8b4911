"""A fake ``saved_models/`` tree for the app's tests: tiny untrained models with the shipped
input/output contract, their .tflite exports, results JSON files of the shipped schemas, and
a few broken files. Built once per test process (`fake_models_dir`)."""

import io
import json
import os

import numpy as np

_BUILT = {}


def _classifier(seed):
    import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Rescaling(1 / 255.0)(inputs)
    x = keras.layers.Conv2D(4, 3, strides=2, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=f"tiny_classifier_{seed}")


def _segmenter(seed):
    import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((64, 64, 1))
    x = keras.layers.Rescaling(1 / 255.0)(inputs)
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(x)
    outputs = keras.layers.Conv2D(11, 1, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=f"tiny_unet_{seed}")


def _library_resnet():
    import keras

    import keras_resnets

    keras.utils.set_random_seed(0)
    return keras_resnets.CifarResNet(depth=8, width=0.25, input_shape=(28, 28, 1), classes=10,
                                     include_preprocessing=True, name="resnet56")


def _library_unet(skip):
    import keras

    import keras_resnets

    keras.utils.set_random_seed(0)
    return keras_resnets.UNet(input_shape=(64, 64, 1), classes=11, depth=2, base_filters=4,
                              skip=skip, include_preprocessing=True, name="unet_noskip")


def png_bytes(array, mode=None):
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(array, np.uint8), mode).save(buffer, format="PNG")
    return buffer.getvalue()


def _write_json(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)


def _results(root):
    runs = []
    for depth, plain_err, res_err in ((20, (0.08, 0.10), (0.06, 0.085)),
                                      (56, (0.14, 0.16), (0.05, 0.08))):
        for skip, (train, test) in ((False, plain_err), (True, res_err)):
            runs.append({
                "model": f"{'resnet' if skip else 'plain'}{depth}", "depth": depth,
                "skip": skip, "train_error": train, "test_error": test,
                "history": [{"epoch": e, "loss": 1.0 / e, "accuracy": 1 - train * (3 - e),
                             "val_accuracy": 1 - test * (3 - e)} for e in (1, 2)],
            })
    _write_json(root / "experiments" / "degradation" / "results.json",
                {"experiment": "degradation", "runs": runs,
                 "budget": {"epochs": 2, "limit_train": 10000},
                 "effect": {"shallowest": 20, "deepest": 56,
                            "plain_deeper_has_higher_train_error": True,
                            "residual_deeper_matches_or_beats": True, "shown": True},
                 "command": "keras-resnets experiment degradation", "wall_seconds": 120.0})
    _write_json(root / "experiments" / "lesion" / "results.json", {
        "resnet56": [{"block": f"conv{2 + i // 9}_block{1 + i % 9}", "accuracy": 0.9 - 0.01 * (i % 3)}
                     for i in range(27)],
        "plain56": [{"block": f"conv{2 + i // 9}_block{2 + i % 8}", "accuracy": 0.1 + 0.001 * i}
                    for i in range(24)],
        "baseline": {"resnet56": 0.92, "plain56": 0.88},
        "experiment": "lesion", "dataset": "fashion_mnist", "num_images": 1000,
        "models": {"resnet56": "saved_models/resnet56/model.keras",
                   "plain56": "saved_models/plain56/model.keras"},
    })
    _write_json(root / "experiments" / "unet_skips" / "results.json",
                {"with_skips": {"mean_iou": 0.81}, "without_skips": {"mean_iou": 0.62},
                 "budget": {"epochs": 10, "train_images": 30000, "batch_size": 32}})


def build_fake_models_dir(root, tflite=True):
    """Writes the fake tree under ``root`` (a pathlib.Path) and returns it."""
    root.mkdir(parents=True, exist_ok=True)
    _results(root)
    for seed, name in enumerate(("resnet20", "resnet56"), 1):
        # resnet56: a real library network (option A shortcuts: the custom ZeroPadChannels)
        model = _classifier(seed) if name == "resnet20" else _library_resnet()
        (root / name).mkdir(exist_ok=True)
        model.save(root / name / "model.keras")
        _write_json(root / name / "metrics.json",
                    {"test_accuracy": 0.9 + 0.01 * seed, "params": model.count_params(),
                     "epochs": 30 // seed, "train_images": 54000 // seed})
    (root / "resnet20" / "MODEL_CARD.md").write_text("# resnet20 (fake)\n")
    (root / "plain20").mkdir(exist_ok=True)  # corrupt model and metrics
    (root / "plain20" / "model.keras").write_bytes(b"this is not a zip file")
    (root / "plain20" / "metrics.json").write_text("{not json")
    if tflite:
        from keras_resnets import lite

        model = _classifier(1)
        rng = np.random.default_rng(0)
        images = rng.integers(0, 256, (24, 28, 28, 1)).astype("uint8")
        labels = rng.integers(0, 10, 24)
        for variant, mode in (("float32", "none"), ("int8", "int8")):
            path = str(root / "resnet20" / f"model_{variant}.tflite")
            lite.export_tflite(model, path, quantization=mode,
                               representative_data=images if mode == "int8" else None)
            lite.verify_tflite(path, model, images, labels, latency_runs=3)
            lite.write_sidecar(path, class_names=[str(i) for i in range(10)],
                               source_model="resnet20", quantization=mode)
    (root / "plain20" / "model_int8.tflite").write_bytes(b"TFL3 truncated")
    (root / "unet_fashion_scenes").mkdir(exist_ok=True)
    _segmenter(1).save(root / "unet_fashion_scenes" / "model.keras")
    (root / "unet_fashion_scenes_noskip").mkdir(exist_ok=True)
    _library_unet(skip=False).save(root / "unet_fashion_scenes_noskip" / "model.keras")
    (root / "test_images").mkdir(exist_ok=True)
    item = np.zeros((28, 28), np.uint8)
    item[6:22, 8:20] = 200
    (root / "test_images" / "gray_item.png").write_bytes(png_bytes(item))
    rgba = np.zeros((30, 40, 4), np.uint8)
    rgba[5:25, 10:30] = (20, 40, 200, 255)
    (root / "test_images" / "rgba_item.png").write_bytes(png_bytes(rgba, "RGBA"))
    return root


def fake_models_dir(tmp_path_factory, tflite=True):
    """The fake tree, built once per process."""
    key = ("full" if tflite else "light")
    if key not in _BUILT:
        _BUILT[key] = build_fake_models_dir(tmp_path_factory.mktemp(f"saved_models_{key}"),
                                            tflite=tflite)
    return _BUILT[key]
