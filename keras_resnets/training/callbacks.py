"""Callbacks of a training run: the run directory's state after every epoch, written
atomically, and a guard that stops on a non-finite loss."""

import math
import os
import time

import keras

from keras_resnets import artifacts

STATE_FILE = "state.json"


class RunState(keras.callbacks.Callback):
    """After each epoch: history (CSV and JSON), ``last.keras``, ``best.keras`` (by
    ``monitor``) and the backup that resumes the run, all written atomically.

    The backup is ``backup/epoch-NNNN.keras`` (model and optimizer state) named by
    ``backup/state.json``; the JSON is written last, so it always names a complete file.
    Epochs whose loss is not finite are not saved.

    ``saved_model`` is the model written, by default the one being trained; a run that
    trains a view of its model (`batchnorm.fused_training_model`) saves the model itself.
    """

    def __init__(self, run_dir, monitor, mode, history=None, best=None, write=True,
                 saved_model=None):
        super().__init__()
        self.run_dir = run_dir
        self.saved_model = saved_model
        self.backup_dir = os.path.join(run_dir, "backup")
        self.monitor, self.mode = monitor, mode
        self.history = list(history or [])
        self.best = best
        self.write = write
        self._epoch_start = None
        self.images_seen = 0
        self.train_seconds = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: float(v) for k, v in (logs or {}).items()}
        if not all(math.isfinite(v) for k, v in logs.items() if k.endswith("loss")):
            return
        logs["epoch"] = epoch + 1
        logs["seconds"] = time.perf_counter() - self._epoch_start
        lr = self.model.optimizer.learning_rate
        logs["learning_rate"] = float(lr.numpy() if hasattr(lr, "numpy") else lr)
        self.history.append(logs)
        value = logs.get(self.monitor)
        improved = value is not None and (
            self.best is None or (value < self.best if self.mode == "min" else value > self.best))
        if improved:
            self.best = value
        if not self.write:
            return
        model = self.model if self.saved_model is None else self.saved_model
        if improved:
            artifacts.save_model(model, os.path.join(self.run_dir, "best.keras"))
        artifacts.save_model(model, os.path.join(self.run_dir, "last.keras"))
        self._write_history()
        self._write_backup(model, epoch + 1)

    def _write_history(self):
        artifacts.write_json(os.path.join(self.run_dir, "history.json"), self.history)
        keys = sorted({k for row in self.history for k in row} - {"epoch"})
        lines = [",".join(["epoch"] + keys)]
        for row in self.history:
            lines.append(",".join([str(row["epoch"])] + [f"{row.get(k, '')}" for k in keys]))
        artifacts.write_text(os.path.join(self.run_dir, "history.csv"), "\n".join(lines) + "\n")

    def _write_backup(self, model, epochs_done):
        name = f"epoch-{epochs_done:04d}.keras"
        artifacts.save_model(model, os.path.join(self.backup_dir, name))
        artifacts.write_json(os.path.join(self.backup_dir, STATE_FILE), {
            "epochs_done": epochs_done, "model_file": name, "best": self.best,
            "monitor": self.monitor, "history": self.history,
        })
        for old in os.listdir(self.backup_dir):
            if old.startswith("epoch-") and old != name:
                os.remove(os.path.join(self.backup_dir, old))


def read_backup(run_dir):
    """The backup state of ``run_dir`` (a dict with the model file's full path), or None."""
    path = os.path.join(run_dir, "backup", STATE_FILE)
    if not os.path.isfile(path):
        return None
    try:
        state = artifacts.read_json(path)
    except (ValueError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not a backup state of keras-resnets ({err})") from None
    keys = ("epochs_done", "model_file", "best", "history")
    if not isinstance(state, dict) or not all(k in state for k in keys) or not isinstance(
            state["model_file"], str) or not isinstance(state["epochs_done"], int):
        raise ValueError(f"{path}: not a backup state of keras-resnets (it needs "
                         f"{', '.join(keys)})")
    state["model_path"] = os.path.join(run_dir, "backup", state["model_file"])
    if not os.path.isfile(state["model_path"]):
        raise FileNotFoundError(f"backup state names a missing file: {state['model_path']}")
    return state


class TestEachEpoch(keras.callbacks.Callback):
    """Evaluates on a held-out dataset at the end of every epoch with ``evaluator`` (an
    `evaluation.Evaluator`) and adds its metrics to the epoch's logs as ``test_<metric>``
    (and ``test_seconds``), so that `RunState`, placed after it, records them in the
    history: learning curves such as He et al. 2015, fig. 6. The numbers are for plotting
    only; nothing in training reads them."""

    def __init__(self, evaluator, dataset):
        super().__init__()
        self.evaluator = evaluator
        self.dataset = dataset

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        started = time.perf_counter()
        results = self.evaluator(self.dataset)
        logs.update({f"test_{k}": float(v) for k, v in results.items()})
        logs["test_seconds"] = time.perf_counter() - started


class NonFiniteGuard(keras.callbacks.Callback):
    """Stops training at the first batch whose loss is NaN or infinite."""

    def __init__(self):
        super().__init__()
        self.bad_step = None

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self.bad_step = batch
            self.model.stop_training = True


class Throughput(keras.callbacks.Callback):
    """Images per second over the training batches (validation excluded), the first epoch
    (compilation) excluded when there is more than one."""

    def __init__(self, batch_size):
        super().__init__()
        self.batch_size = batch_size
        self.epochs = []  # (images, seconds) per epoch
        self._start = None
        self._batches = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = self._last = time.perf_counter()
        self._batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self._batches = batch + 1  # with steps_per_execution > 1, `batch` is the last step
        self._last = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append((self._batches * self.batch_size, self._last - self._start))

    def images_per_second(self):
        """Training images per second, or None when no epoch was trained (a resumed run
        that only had its test left)."""
        rows = self.epochs[1:] if len(self.epochs) > 1 else self.epochs
        images = sum(r[0] for r in rows)
        seconds = sum(r[1] for r in rows)
        return images / seconds if seconds else None
