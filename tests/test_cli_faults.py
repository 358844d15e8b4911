"""The faults a new user runs into, through the command line: each ends in one line naming
the file or argument, exit status 2, and nothing of the user's changed (every file under
the test's folder, with its bytes, is the same afterwards; nothing is added)."""

import errno
import hashlib
import io
import json
import os
import re
import shutil
import types

import numpy as np
import pytest
from fakes import TINY_OPTIONS, fake_mnist_arrays, write_fake_mnist, write_idx
from PIL import Image

from keras_resnets import artifacts, lite
from keras_resnets.cli import main
from keras_resnets.training.rundir import RunDirectory

SAVED = os.path.join(os.path.dirname(__file__), "..", "saved_models", "resnet20")
TINY = ["--model-options", json.dumps(TINY_OPTIONS), "--epochs", "1", "--batch-size", "32",
        "--limit-train", "64", "--limit-test", "32", "--recipe", "adam", "--quiet"]


def snapshot(root):
    """{relative path: sha256 or 'dir'} of everything under ``root``."""
    tree = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs:
            tree[os.path.relpath(os.path.join(directory, name), root)] = "dir"
        for name in files:
            path = os.path.join(directory, name)
            with open(path, "rb") as f:
                tree[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return tree


def fake_data(tmp, labels=None, images=None):
    directory = write_fake_mnist(tmp / "data", n_train=96, n_test=32, gz=False)
    if labels is not None:
        write_idx(os.path.join(directory, "train-labels-idx1-ubyte"), labels)
    if images is not None:
        write_idx(os.path.join(directory, "train-images-idx3-ubyte"), images)
    return directory


def train(tmp, out, data=None, *extra):
    return ["train", "resnet20", "--out", str(out), "--data-dir",
            data or fake_data(tmp), *TINY, *extra]


def bad_labels(tmp):
    labels = fake_mnist_arrays(96)[1]
    labels[5] = 12
    return train(tmp, tmp / "run", fake_data(tmp, labels=labels))


def nan_images(tmp):
    images = fake_mnist_arrays(96)[0].astype(">f4")
    images[7, 3, 3] = np.nan
    return train(tmp, tmp / "run", fake_data(tmp, images=images))


def not_a_run(tmp):
    out = tmp / "results"
    out.mkdir()
    (out / "best.keras").write_bytes(b"the user's model")
    (out / "metrics.json").write_text('{"accuracy": 0.99}')
    return train(tmp, out)


def corrupt_backup_state(tmp):
    data = fake_data(tmp)
    argv = train(tmp, tmp / "run", data)
    (tmp / "run" / "backup").mkdir(parents=True)
    (tmp / "run" / "config.json").write_text('{"model": "resnet20"}')
    (tmp / "run" / "backup" / "state.json").write_text("[1, 2]")
    return argv


def out_is_a_file(tmp):
    (tmp / "run").write_text("notes")
    return train(tmp, tmp / "run")


def config_is_a_folder(tmp):
    (tmp / "run" / "config.json").mkdir(parents=True)
    return train(tmp, tmp / "run")


def locked(tmp, env):
    (tmp / "run").mkdir()
    (tmp / "run" / "config.json").write_text("{}")
    env.finalize(RunDirectory.open(tmp / "run").close)  # held while the command runs
    return train(tmp, tmp / "run")


def read_only(tmp, env):
    def makedirs(path, mode=0o777, exist_ok=False):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    env.monkeypatch.setattr(os, "makedirs", makedirs)
    return ["train", "resnet20", "--out", str(tmp / "run"), *TINY]


def disk_full(tmp, env):
    def write_json(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    env.monkeypatch.setattr(artifacts, "write_json", write_json)
    return train(tmp, tmp / "run")


def channels_first(tmp, env):
    import keras

    env.monkeypatch.setattr(keras.config, "image_data_format", lambda: "channels_first")
    return train(tmp, tmp / "run")


def model_option(options):
    def setup(tmp):
        argv = train(tmp, tmp / "run")
        argv[argv.index("--model-options") + 1] = json.dumps(options)
        return argv
    return setup


def batch_too_large(tmp):
    argv = train(tmp, tmp / "run")
    argv[argv.index("--batch-size") + 1] = "4096"
    return argv


def truncated_keras(tmp):
    raw = open(os.path.join(SAVED, "model.keras"), "rb").read()
    (tmp / "model.keras").write_bytes(raw[: len(raw) // 2])
    return ["evaluate", str(tmp / "model.keras")]


def tflite_copy(tmp):
    path = str(tmp / "model.tflite")
    shutil.copyfile(os.path.join(SAVED, "model_float32.tflite"), path)
    lite.write_sidecar(path, class_names=[str(i) for i in range(10)])
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(tmp / "image.png")
    return path


def flipped_bytes(tmp):
    path = tflite_copy(tmp)
    raw = bytearray(open(path, "rb").read())
    raw[-8000:-4000] = bytes(b ^ 0xFF for b in raw[-8000:-4000])
    open(path, "wb").write(raw)
    return ["predict", path, str(tmp / "image.png")]


def sidecar_is_a_list(tmp):
    path = tflite_copy(tmp)
    open(path + ".json", "w").write("[]")
    return ["predict", path, str(tmp / "image.png")]


def image_file(name, save):
    def setup(tmp):
        path = tflite_copy(tmp)
        save(tmp / name)
        return ["predict", path, str(tmp / name)]
    return setup


def huge_png(path):
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((13_000, 13_000), np.uint8)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


CASES = [
    ("labels out of range", bad_labels,
     r"data/train-labels-idx1-ubyte: labels must be in 0\.\.9 \(10 classes\); found 12"),
    ("NaN in a float IDX", nan_images,
     r"data/train-images-idx3-ubyte: image 7 holds NaN or infinite values"),
    ("--out a folder that is not a run", not_a_run,
     r"results is not empty \(best\.keras, metrics\.json\) and is not a run"),
    ("backup/state.json is a list", corrupt_backup_state,
     r"run/backup/state\.json: not a backup state of keras-resnets"),
    ("--out is a file", out_is_a_file, r"/run is a file; the run directory must be a folder"),
    ("config.json is a folder", config_is_a_folder, r"run/config\.json is not a file"),
    ("run folder in use", locked,
     rf"run is in use by another keras-resnets process \(PID {os.getpid()}\)"),
    ("read-only filesystem", read_only, r"/run: Read-only file system"),
    ("disk full", disk_full, r"run/config\.json: No space left on device"),
    ("channels_first keras.json", channels_first, r"builds channels_last models only"),
    ("width 1e-9", model_option({**TINY_OPTIONS, "width": 1e-9}),
     r"`width` 1e-09 leaves layers with no filter"),
    ("depth 6,000,002", model_option({"depth": 6_000_002}),
     r"6,000,002 weight layers, over the bound of 2,000; pass allow_large=True"),
    ("classes=1 with softmax", model_option({**TINY_OPTIONS, "classes": 1}),
     r"`classes=1` with a softmax always outputs 1\.0; use classifier_activation='sigmoid'"),
    ("missing --data-dir", lambda tmp: train(tmp, tmp / "run", str(tmp / "nowhere")),
     r"`data_dir` is not a directory"),
    ("batch larger than the data", batch_too_large,
     r"The training set has 64 examples, fewer than one batch of 4096"),
    ("truncated .keras", truncated_keras, r"model\.keras is not a complete \.keras file"),
    ("flipped bytes in a .tflite", flipped_bytes,
     r"model\.tflite does not match .*model\.tflite\.json \(SHA-256"),
    ("sidecar JSON is a list", sidecar_is_a_list,
     r"model\.tflite\.json: not a metadata JSON file \(it holds a list"),
    ("13,000 x 13,000 PNG", image_file("huge.png", huge_png),
     r"huge\.png is 13000x13000 = 169,000,000 pixels; the limit is 16,777,216"),
    ("float TIFF of 1e30", image_file("float.tiff", lambda p: Image.fromarray(
        np.full((28, 28), 1e30, np.float32)).save(p)),
     r"float\.tiff: image 0 has values in 1e\+30\.\.1e\+30; expected pixels in 0\.\.255"),
    ("uint16 array up to 65535", image_file("deep.npy", lambda p: np.save(
        p, np.full((28, 28), 65535, np.uint16))), r"deep\.npy: .*divide by 257"),
    ("(28, 28, 5) array", image_file("five.npy", lambda p: np.save(p, np.zeros((28, 28, 5)))),
     r"five\.npy: an array of shape \(28, 28, 5\) is neither one image nor a batch"),
]


@pytest.mark.parametrize("setup, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fault_is_one_line_and_changes_nothing(setup, message, tmp_path, monkeypatch, request,
                                               capsys):
    env = types.SimpleNamespace(monkeypatch=monkeypatch, finalize=request.addfinalizer)
    argv = setup(tmp_path, env) if setup.__code__.co_argcount == 2 else setup(tmp_path)
    before = snapshot(tmp_path)
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"keras-resnets {argv[0]}: error: ") and "Traceback" not in err
    assert re.search(message, err), err
    assert snapshot(tmp_path) == before


def test_failed_start_is_retried_and_a_finished_run_is_left_alone(tmp_path, capsys):
    data = fake_data(tmp_path)
    out = tmp_path / "run"
    argv = train(tmp_path, out, data)
    wrong = list(argv)
    wrong[wrong.index("--batch-size") + 1] = "4096"
    assert main(wrong) == 2 and not out.exists()  # refused before anything was written
    assert main(argv) == 0  # the corrected command is not "a different configuration"
    finished = snapshot(out)
    stamps = {name: os.stat(out / name).st_mtime_ns for name in os.listdir(out)}
    capsys.readouterr()
    assert main(argv[:-1]) == 0  # the same run, not quiet
    said = capsys.readouterr().out
    assert "holds this run, finished; nothing to do" in said and "test accuracy" in said
    assert snapshot(out) == finished
    assert {name: os.stat(out / name).st_mtime_ns for name in os.listdir(out)} == stamps


def test_predict_no_verify_uses_a_file_changed_on_purpose(tmp_path, capsys):
    path = tflite_copy(tmp_path)
    raw = bytearray(open(path, "rb").read())
    middle = len(raw) // 2  # inside the weights: the file stays a valid model
    raw[middle:middle + 4000] = bytes(b ^ 0xFF for b in raw[middle:middle + 4000])
    open(path, "wb").write(raw)
    argv = ["predict", path, str(tmp_path / "image.png")]
    assert main(argv) == 2
    capsys.readouterr()
    assert main([*argv, "--no-verify"]) == 0
    assert capsys.readouterr().out.startswith(f"{argv[2]}: ")
