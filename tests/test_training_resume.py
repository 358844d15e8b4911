"""Kill a real training process in the middle of a run, check that nothing it left is
truncated, and resume it to the end with the same command; resume run folders written by
the runner of before the redesign (the in-progress experiment runs)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import keras
import pytest
from fakes import TINY_OPTIONS, child_process, write_fake_mnist

pytestmark = pytest.mark.slow


def test_kill_and_resume(tmp_path):
    data = write_fake_mnist(tmp_path / "data", n_train=800, n_test=32)
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "keras_resnets", "train", "resnet20",
               "--model-options", json.dumps(TINY_OPTIONS), "--epochs", "4",
               "--batch-size", "32", "--limit-train", "640", "--limit-test", "32",
               "--recipe", "adam", "--data-dir", data, "--out", str(run_dir), "--quiet"]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_CONFIG", None)
    state_path = run_dir / "backup" / "state.json"
    with child_process(command, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE) as proc:
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and proc.poll() is None:
            if state_path.exists() and json.loads(state_path.read_text())["epochs_done"] >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
        assert state_path.exists(), "no epoch finished in time"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)

    # the killed process's lock file stays, with its PID; the kernel has released the lock
    assert (run_dir / ".lock").read_text().strip() == str(proc.pid)
    done = json.loads(state_path.read_text())["epochs_done"]
    assert 1 <= done < 4 and not (run_dir / "metrics.json").exists()
    for root, _, files in os.walk(run_dir):
        for name in files:
            if name.endswith(".keras") and not name.startswith(".tmp-"):
                keras.models.load_model(os.path.join(root, name))  # complete, loadable

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=400)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    history = json.loads((run_dir / "history.json").read_text())
    assert [row["epoch"] for row in history] == [1, 2, 3, 4]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["epochs"] == 4
    assert sorted(os.listdir(run_dir / "backup")) == ["epoch-0004.keras", "state.json"]
    leftovers = [n for _, _, files in os.walk(run_dir) for n in files if n.startswith(".tmp-")]
    assert not leftovers  # partial writes of the killed process were removed on resume
    assert not (run_dir / ".lock").exists()  # the resumed run's own lock, removed at its end


# config.json of the degradation experiment's in-progress runs
# (runs/experiments/degradation_full/runs/resnet20/config.json), keys and layout as saved;
# only the budget is made tiny.
IN_PROGRESS_CONFIG = {
    "augment": True, "batch_size": 128, "data_dir": None, "dataset": "fashion_mnist",
    "deterministic": False, "epochs": 30, "fused_batchnorm": True, "jit_compile": False,
    "label_smoothing": 0.0, "learning_rate": None, "limit_test": None, "limit_train": None,
    "mixed_precision": False, "model": "resnet20",
    "model_options": {"depth": 20, "name": "resnet20", "width": 1.0, "zero_init_last": True},
    "recipe": "cosine", "seed": 0, "steps_per_execution": 1, "strategy": "auto",
    "sync_batchnorm": False, "test_every_epoch": True, "validation_split": 0.1,
    "warmup_epochs": 1.0, "weight_decay": None,
}
COMMITTED_RUN = os.path.join(os.path.dirname(__file__), "..", "saved_models", "_in_progress",
                             "degradation_full", "runs", "resnet20")


def _check_resumed(run_dir, epochs):
    from keras_resnets.training.callbacks import read_backup

    history = json.loads((run_dir / "history.json").read_text())
    assert [row["epoch"] for row in history] == list(range(1, epochs + 1))
    assert {"test_accuracy", "test_loss", "test_seconds", "val_accuracy"} <= set(history[-1])
    assert json.loads((run_dir / "metrics.json").read_text())["epochs"] == epochs
    backup = read_backup(str(run_dir))
    assert backup["epochs_done"] == epochs and backup["monitor"] == "val_accuracy"
    model = keras.models.load_model(backup["model_path"], safe_mode=True)
    norms = [layer for layer in model.layers if "BatchNormalization" in type(layer).__name__]
    assert norms and all(type(layer) is keras.layers.BatchNormalization for layer in norms)
    return model


def test_resumes_a_run_with_the_in_progress_config_layout(tmp_path):
    """A run folder as the in-progress runs hold it (that config.json, a backup of plain
    Keras layers with its optimizer, state.json) resumes to the end."""
    from keras_resnets.data import dataset_info
    from keras_resnets.training import TrainConfig, train
    from keras_resnets.training.data import prepare_data
    from keras_resnets.training.model import build_model, compile_model

    data = write_fake_mnist(tmp_path / "data", n_train=200, n_test=32)
    saved = dict(IN_PROGRESS_CONFIG, data_dir=data, epochs=2, batch_size=32, limit_train=64,
                 limit_test=32, model_options=dict(IN_PROGRESS_CONFIG["model_options"],
                                                   depth=8, width=0.25))
    run_dir = tmp_path / "run"
    (run_dir / "backup").mkdir(parents=True)
    (run_dir / "config.json").write_text(json.dumps(saved, indent=2, sort_keys=True))
    config = TrainConfig.load(run_dir / "config.json")
    # fields added since (dataset_options) take their defaults
    assert {k: v for k, v in config.to_dict().items() if k in saved} == saved

    # epoch 1 as the runner of before this redesign left it: the model itself trained
    info = dataset_info(config.dataset)
    splits = prepare_data(config, info)
    keras.utils.set_random_seed(0)
    model = compile_model(build_model(config, info), config, info, splits.steps_per_epoch)
    logs = model.fit(splits.train, validation_data=splits.validation, verbose=0).history
    row = {k: v[0] for k, v in logs.items()}
    row.update(epoch=1, seconds=1.0, learning_rate=0.01, test_accuracy=0.1, test_loss=2.3,
               test_seconds=0.1)
    model.save(run_dir / "backup" / "epoch-0001.keras")
    (run_dir / "backup" / "state.json").write_text(json.dumps({
        "best": row["val_accuracy"], "epochs_done": 1, "history": [row],
        "model_file": "epoch-0001.keras", "monitor": "val_accuracy"}))
    iterations = int(model.optimizer.iterations.numpy())

    metrics = train(config, str(run_dir), verbose=0)
    assert metrics["epochs"] == 2 and metrics["registry_name"] == "resnet20"
    resumed = _check_resumed(run_dir, 2)
    assert int(resumed.optimizer.iterations.numpy()) == 2 * iterations


@pytest.mark.skipif(not os.path.isdir(COMMITTED_RUN),
                    reason="saved_models/_in_progress holds no resnet20 run")
def test_resumes_the_committed_in_progress_backup(tmp_path):
    """The degradation experiment's committed backup, written by the runner of before
    this redesign, resumes for one more epoch (on a tiny fake set)."""
    from keras_resnets.training import TrainConfig, train

    run_dir = tmp_path / "resnet20"
    # what resumes a run (finished or not): its config and backup
    shutil.copytree(os.path.join(COMMITTED_RUN, "backup"), run_dir / "backup")
    shutil.copy(os.path.join(COMMITTED_RUN, "config.json"), run_dir / "config.json")
    saved = json.loads((run_dir / "config.json").read_text())
    assert set(saved) == set(IN_PROGRESS_CONFIG)
    done = json.loads((run_dir / "backup" / "state.json").read_text())["epochs_done"]
    saved.update(data_dir=write_fake_mnist(tmp_path / "data", n_train=320, n_test=32),
                 limit_train=256, limit_test=32, epochs=done + 1)
    (run_dir / "config.json").write_text(json.dumps(saved, indent=2, sort_keys=True))
    before = keras.models.load_model(run_dir / "backup" / f"epoch-{done:04d}.keras")

    train(TrainConfig.load(run_dir / "config.json"), str(run_dir), verbose=0)
    resumed = _check_resumed(run_dir, done + 1)
    assert int(resumed.optimizer.iterations.numpy()) == \
        int(before.optimizer.iterations.numpy()) + 2  # 256 images, batches of 128
