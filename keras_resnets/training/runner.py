"""`train`: one run, from a `TrainConfig` to a run directory that holds everything needed
to reproduce and use it, resumable after a kill at any moment.

Run directory:
    config.json     the full configuration
    history.csv/.json   per-epoch metrics, learning rate and seconds
    logs/           TensorBoard
    best.keras      the best model by validation metric; last.keras the last epoch's
    metrics.json    test metrics, parameters, FLOPs, wall time, images/s
    backup/         the state that resumes the run (model + optimizer, epoch, history)

A session of a run is put together from `data.prepare_data` (the datasets),
`model.prepare_model` (the model, new or resumed, and the model that is trained),
`loops.select_loop` (Keras' ``fit`` or the multi-worker loop, chosen once) and
`evaluation.Evaluator` (the test metrics).
"""

import json
import os
import tempfile
import time

import keras

from keras_resnets import artifacts
from keras_resnets.data import dataset_info
from keras_resnets.training.callbacks import (
    NonFiniteGuard,
    RunState,
    TestEachEpoch,
    Throughput,
    read_backup,
)
from keras_resnets.training.config import TrainConfig
from keras_resnets.training.data import prepare_data
from keras_resnets.training.errors import TrainingDiverged
from keras_resnets.training.evaluation import Evaluator
from keras_resnets.training.loops import select_loop
from keras_resnets.training.model import prepare_model
from keras_resnets.training.rundir import CONFIG_FILE, RunDirectory, RunDirError
from keras_resnets.training.strategy import is_chief, resolve_strategy
from keras_resnets.validation import check_data_format


class ConfigMismatch(ValueError):
    """The run directory holds a different run."""


def _saved_config(run_dir):
    """The configuration saved in ``run_dir`` (a dict as JSON holds it), or None."""
    path = os.path.join(run_dir, CONFIG_FILE)
    if not os.path.lexists(path):
        return None
    try:
        return TrainConfig.load(path).to_dict()
    except (ValueError, TypeError) as err:
        raise RunDirError(f"{path} is not a training configuration of keras-resnets ({err}); "
                          f"use another --out") from None


def _check_config(run_dir, config):
    """Refuses a run directory that holds a started run of another configuration; one
    whose start failed before its first epoch may be retried with any configuration."""
    saved = _saved_config(run_dir)
    current = json.loads(json.dumps(config.to_dict()))  # as saved: tuples become lists
    if saved is None or saved == current or read_backup(run_dir) is None:
        return
    diff = sorted(k for k in set(saved) | set(current) if saved.get(k) != current.get(k))
    raise ConfigMismatch(
        f"{run_dir} holds a run with a different configuration ({', '.join(diff)} "
        f"differ); use another --out or the same arguments to resume it"
    )


def finished_metrics(run_dir, config):
    """The metrics of ``run_dir`` when it holds ``config``'s run, finished (all epochs
    trained and tested); else None."""
    backup = read_backup(run_dir)
    path = os.path.join(run_dir, "metrics.json")
    if backup is None or backup["epochs_done"] < config.epochs or not os.path.isfile(path):
        return None
    try:
        metrics = artifacts.read_json(path)
    except (ValueError, OSError):
        return None  # cut short by hand: test again and rewrite it
    return metrics if isinstance(metrics, dict) and metrics.get("epochs") == \
        backup["epochs_done"] else None


def train(config, run_dir, verbose=1, allow_existing=False, callbacks=()):
    """Trains ``config`` into ``run_dir``; resumes from ``run_dir``'s backup if there is one.

    Returns the metrics dict also written to ``metrics.json``. A run that already finished
    is not touched: its saved metrics are returned.

    Args:
        config: a `TrainConfig`.
        run_dir: the run directory; made when missing. An existing one must be empty or a
            run of keras-resnets, and is locked for the run's life (`rundir`).
        verbose: 0 silent, 1 progress bars, 2 one line per epoch.
        allow_existing: train into an existing non-empty folder that is not a run, as long
            as it holds none of the files a run writes.
        callbacks: more Keras callbacks, called after the run's own (which save the
            epoch's checkpoints and history in ``on_epoch_end``).

    Raises:
        ValueError: a bad configuration or run directory (before anything is written:
            the configuration is saved only once training starts, so a failed start can be
            retried with corrected arguments).
        RunDirLocked: another process trains in ``run_dir``.
        TrainingDiverged: the loss became NaN/Inf; checkpoints of the last good epoch stay.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"`config` must be a TrainConfig. Received: {type(config).__name__}")
    check_data_format()
    info = dataset_info(config.dataset)
    strategy = resolve_strategy(config.strategy)
    replicas = strategy.num_replicas_in_sync
    if config.batch_size % replicas:
        raise ValueError(
            f"`batch_size` ({config.batch_size}) must be divisible by the number of replicas "
            f"({replicas}): it is the global batch, split evenly across replicas"
        )
    loop = select_loop(strategy, config, info)
    if not is_chief(strategy):
        done = finished_metrics(run_dir, config)  # as the chief decides: no collective runs
        if done is not None:
            return done
        # The other workers of a multi-worker run write their (identical) checkpoints to a
        # temporary directory, under $KERAS_RESNETS_WORKER_DIR when set.
        write_dir = tempfile.mkdtemp(prefix="keras_resnets_worker_",
                                     dir=os.environ.get("KERAS_RESNETS_WORKER_DIR"))
        return _train(config, info, strategy, loop, run_dir, write_dir, False, verbose,
                      callbacks)
    directory = RunDirectory.open(run_dir, allow_existing=allow_existing)
    try:
        _check_config(run_dir, config)
        done = finished_metrics(run_dir, config)
        if done is not None:
            if verbose:
                print(f"{run_dir} holds this run, finished; nothing to do. "
                      f"{summary_line(done)}", flush=True)
            return done
        directory.remove_partial_writes()
        return _train(config, info, strategy, loop, run_dir, run_dir, True, verbose, callbacks)
    finally:
        directory.close()


def _seed(config):
    keras.utils.set_random_seed(config.seed)
    if config.deterministic:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def _train(config, info, strategy, loop, run_dir, write_dir, chief, verbose, extra=()):
    """One session of a run: data, model (new or resumed), ``loop``, test metrics."""
    _seed(config)
    data = prepare_data(config, info)
    # Every worker resumes from the chief's backup (the run directory must be on a shared
    # filesystem to resume a multi-worker run, as with keras.callbacks.BackupAndRestore):
    # workers starting at different epochs would run different collectives and hang.
    backup = read_backup(run_dir)
    models = prepare_model(config, info, strategy, data.steps_per_epoch,
                           resume_from=backup["model_path"] if backup else None)
    if chief and not backup:
        # the run starts here: from now on the directory is this configuration's
        artifacts.write_json(os.path.join(run_dir, CONFIG_FILE), config.to_dict())
    initial_epoch = backup["epochs_done"] if backup else 0
    evaluator = Evaluator(models.training_model, info.task, info.num_classes,
                          strategy=strategy, jit_compile=config.jit_compile)

    monitor_metric = "mean_iou" if info.task == "segmentation" else "accuracy"
    monitor = f"val_{monitor_metric}" if data.validation is not None else monitor_metric
    state = RunState(write_dir, monitor, "max",
                     history=backup["history"] if backup else None,
                     best=backup["best"] if backup else None, saved_model=models.model)
    guard, speed = NonFiniteGuard(), Throughput(config.batch_size)
    callbacks = [guard, speed]
    if config.test_every_epoch:
        callbacks.append(TestEachEpoch(evaluator, data.test))
    callbacks.append(state)
    if chief:
        callbacks.append(keras.callbacks.TensorBoard(os.path.join(run_dir, "logs"),
                                                     update_freq="epoch", write_graph=False))
    callbacks.extend(extra)
    started = time.perf_counter()
    if initial_epoch < config.epochs:
        if verbose:
            what = f"resuming after epoch {initial_epoch}" if initial_epoch else "starting"
            print(f"{config.model} on {config.dataset}: {what}; {config.epochs} epochs, "
                  f"{data.steps_per_epoch} steps each, {strategy.num_replicas_in_sync} "
                  f"replica(s)", flush=True)
        loop(models.training_model, data.train, data.validation, config.epochs, initial_epoch,
             callbacks, verbose)
    if guard.bad_step is not None:
        kept = (f"The last good epoch's models are in {run_dir} (last.keras, backup/)"
                if state.history else "No epoch finished, so no model was saved")
        raise TrainingDiverged(
            f"The loss became NaN/Inf at step {guard.bad_step + 1} of epoch "
            f"{len(state.history) + 1}; training stopped. {kept}. Lower the learning rate "
            f"or add normalization."
        )
    wall = time.perf_counter() - started

    results = evaluator(data.test)
    metrics = _metrics(models.model, config, info, results, state, speed, wall,
                       data.test_examples)
    if chief:
        artifacts.write_json(os.path.join(run_dir, "metrics.json"), metrics)
    if verbose:
        print(summary_line(metrics), flush=True)
    return metrics


def _metrics(model, config, info, results, state, speed, wall, test_size):
    from keras_resnets import machine
    from keras_resnets.profile import model_profile

    profile = model_profile(model)
    metrics = {
        "model": model.name,
        "registry_name": config.model,
        "dataset": config.dataset,
        "epochs": len(state.history),
        "test_examples": test_size,
        "test_loss": float(results["loss"]),
        "params": profile["params"],
        "trainable_params": profile["trainable_params"],
        "flops_per_image": profile["flops"],
        "depth": profile["depth"],
        "train_wall_seconds_this_session": wall,
        "train_seconds_total": float(sum(r.get("seconds", 0.0) for r in state.history)),
        "images_per_second": speed.images_per_second(),
        "best_" + state.monitor: state.best,
        "machine": machine.describe(),
    }
    if info.task == "segmentation":
        metrics["test_mean_iou"] = float(results["mean_iou"])
        metrics["test_pixel_accuracy"] = float(results["accuracy"])
    else:
        metrics["test_accuracy"] = float(results["accuracy"])
    if state.history:
        last = state.history[-1]
        metrics["final_train_loss"] = last.get("loss")
        metrics["final_train_accuracy"] = last.get("accuracy")
    return metrics


def summary_line(metrics):
    score = (f"test mean IoU {metrics['test_mean_iou']:.4f}" if "test_mean_iou" in metrics
             else f"test accuracy {metrics['test_accuracy']:.4f}")
    return (f"{metrics['model']} on {metrics['dataset']}: {score}, test loss "
            f"{metrics['test_loss']:.4f} after {metrics['epochs']} epochs; "
            f"{metrics['trainable_params']:,} parameters; "
            f"{_number(metrics['images_per_second'], '.0f')} images/s; "
            f"{metrics['train_seconds_total']:.0f} s training")


def _number(value, spec):
    return "-" if value is None else format(value, spec)


__all__ = ["train", "TrainingDiverged", "ConfigMismatch", "summary_line"]
