"""keras_resnets.training.runner: what a finished run leaves in its directory, a diverging
run, and the train/evaluate command line."""

import json
import math
import os

import keras
import numpy as np
import pytest
from fakes import TINY_OPTIONS, write_fake_mnist

from keras_resnets.cli import main
from keras_resnets.training import TrainConfig, TrainingDiverged, runner, train

TINY = dict(model="resnet20", model_options=TINY_OPTIONS, batch_size=32, limit_train=128,
            limit_test=64, recipe="adam", learning_rate=0.01, validation_split=0.2)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_fake_mnist(tmp_path_factory.mktemp("fake_fmnist"), n_train=200, n_test=64)


@pytest.fixture(scope="module")
def finished_run(data_dir, tmp_path_factory):
    run_dir = str(tmp_path_factory.mktemp("run"))
    config = TrainConfig(epochs=2, data_dir=data_dir, **TINY)
    return config, run_dir, train(config, run_dir, verbose=0)


def test_run_directory(finished_run):
    config, run_dir, metrics = finished_run
    names = set(os.listdir(run_dir))
    assert {"config.json", "history.csv", "history.json", "best.keras", "last.keras",
            "metrics.json", "backup", "logs"} <= names
    assert not [n for n in names if n.startswith(".tmp-")]
    assert TrainConfig.load(os.path.join(run_dir, "config.json")) == config
    history = json.load(open(os.path.join(run_dir, "history.json")))
    assert [row["epoch"] for row in history] == [1, 2]
    for row in history:
        assert {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate", "seconds"} <= set(row)
    csv = open(os.path.join(run_dir, "history.csv")).read().splitlines()
    assert csv[0].split(",")[0] == "epoch" and "val_accuracy" in csv[0] and len(csv) == 3
    state = json.load(open(os.path.join(run_dir, "backup", "state.json")))
    assert state["epochs_done"] == 2 and state["monitor"] == "val_accuracy"
    assert sorted(os.listdir(os.path.join(run_dir, "backup"))) == ["epoch-0002.keras", "state.json"]
    on_disk = json.load(open(os.path.join(run_dir, "metrics.json")))
    assert on_disk == json.loads(json.dumps(metrics))
    assert {"model", "dataset", "epochs", "test_examples", "test_loss", "test_accuracy",
            "params", "trainable_params", "flops_per_image", "depth", "images_per_second",
            "train_seconds_total", "train_wall_seconds_this_session", "best_val_accuracy",
            "final_train_loss", "final_train_accuracy"} <= set(metrics)
    assert metrics["epochs"] == 2 and metrics["test_examples"] == 64
    assert metrics["machine"]["cpus"] >= 1 and metrics["machine"]["cpu_model"]
    assert metrics["best_val_accuracy"] == max(r["val_accuracy"] for r in history)
    assert metrics["depth"] == 8 and metrics["trainable_params"] < 10_000
    model = keras.models.load_model(os.path.join(run_dir, "best.keras"))
    assert model.input_shape == (None, 28, 28, 1)  # takes raw pixels: rescaling is inside


def test_finished_run_is_not_retrained(finished_run, capsys):
    config, run_dir, metrics = finished_run
    again = train(config, run_dir, verbose=1)
    assert again["epochs"] == 2 and "starting" not in capsys.readouterr().out
    assert again["test_loss"] == pytest.approx(metrics["test_loss"], rel=1e-5)


def test_cli_evaluate_run_dir(finished_run, data_dir, capsys):
    _, run_dir, _ = finished_run
    assert main(["evaluate", run_dir, "--data-dir", data_dir, "--limit", "32"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["test_examples"] == 32 and 0 <= result["test_accuracy"] <= 1
    assert result["model"] == os.path.join(run_dir, "best.keras")
    assert os.path.isfile(os.path.join(run_dir, "evaluation-fashion_mnist.json"))


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["train", "nosuchmodel", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("keras-resnets train: error: Unknown model 'nosuchmodel'")
    assert "\n" not in err and not (tmp_path / "r").exists()
    assert main(["evaluate", str(tmp_path / "none.keras")]) == 2
    assert "No model at" in capsys.readouterr().err
    assert main(["train", "resnet20", "--out", str(tmp_path / "r"), "--model-options", "{x"]) == 2
    assert "--model-options is not valid JSON" in capsys.readouterr().err


def test_diverged_run_keeps_last_good_epoch(data_dir, tmp_path, monkeypatch):
    class Throughput(runner.Throughput):
        """One of the run's own callbacks, made to stand in for a blow-up: every weight
        becomes NaN at the start of the second epoch."""

        def on_epoch_begin(self, epoch, logs=None):
            super().on_epoch_begin(epoch, logs)
            if epoch == 1:
                for w in self.model.trainable_weights:
                    w.assign(np.full(w.shape, np.nan, "float32"))

    monkeypatch.setattr(runner, "Throughput", Throughput)
    run_dir = str(tmp_path)
    config = TrainConfig(epochs=3, data_dir=data_dir, **TINY)
    with pytest.raises(TrainingDiverged, match=r"NaN/Inf at step 1 of epoch 2; training "
                                               r"stopped.*last\.keras, backup/"):
        train(config, run_dir, verbose=0)
    history = json.load(open(os.path.join(run_dir, "history.json")))
    assert [row["epoch"] for row in history] == [1]
    assert json.load(open(os.path.join(run_dir, "backup", "state.json")))["epochs_done"] == 1
    assert not os.path.exists(os.path.join(run_dir, "metrics.json"))
    for name in ("last.keras", "best.keras", "backup/epoch-0001.keras"):
        weights = keras.models.load_model(os.path.join(run_dir, name)).get_weights()
        assert all(np.isfinite(w).all() for w in weights), name
    assert math.isfinite(history[0]["loss"])


def test_precision_policy_is_bfloat16_on_cpu_only_when_asked():
    from keras_resnets.training.model import precision_policy

    assert precision_policy(TrainConfig(model="resnet20")) == "float32"
    mixed = TrainConfig(model="resnet20", mixed_precision=True)
    assert precision_policy(mixed) == "mixed_bfloat16"  # this machine has no GPU


def test_divergence_before_any_checkpoint_says_so(data_dir, tmp_path, monkeypatch):
    class Throughput(runner.Throughput):
        """Every weight becomes NaN at the start of the first epoch."""

        def on_epoch_begin(self, epoch, logs=None):
            super().on_epoch_begin(epoch, logs)
            for w in self.model.trainable_weights:
                w.assign(np.full(w.shape, np.nan, "float32"))

    monkeypatch.setattr(runner, "Throughput", Throughput)
    config = TrainConfig(epochs=1, data_dir=data_dir, **TINY)
    with pytest.raises(TrainingDiverged, match=r"epoch 1; training stopped\. No epoch finished, "
                                               r"so no model was saved\.") as err:
        train(config, str(tmp_path), verbose=0)
    assert "last.keras" not in str(err.value)
    assert not os.path.exists(tmp_path / "last.keras")
