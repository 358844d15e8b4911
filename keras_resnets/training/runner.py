"""`train`: one run, from a `TrainConfig` to a run directory that holds everything needed
to reproduce and use it, resumable after a kill at any moment.

Run directory:
    config.json     the full configuration
    history.csv/.json   per-epoch metrics, learning rate and seconds
    logs/           TensorBoard
    best.keras      the best model by validation metric; last.keras the last epoch's
    metrics.json    test metrics, parameters, FLOPs, wall time, images/s
    backup/         the state that resumes the run (model + optimizer, epoch, history)
"""

import json
import os
import tempfile
import time

import keras
import numpy as np

from keras_resnets import artifacts
from keras_resnets.data import dataset_info, load_arrays, make_dataset, split_validation
from keras_resnets.registry import build
from keras_resnets.training.callbacks import (
    NonFiniteGuard,
    RunState,
    TestEachEpoch,
    Throughput,
    read_backup,
)
from keras_resnets.training.config import TrainConfig
from keras_resnets.training.custom_loop import (
    evaluate_distributed,
    fit_distributed,
    make_eval_fn,
)
from keras_resnets.training.errors import TrainingDiverged
from keras_resnets.training.fused_batchnorm import use_fused_batchnorm
from keras_resnets.training.recipes import make_optimizer
from keras_resnets.training.rundir import CONFIG_FILE, RunDirectory, RunDirError
from keras_resnets.training.strategy import is_chief, resolve_strategy
from keras_resnets.validation import check_data_format


class ConfigMismatch(ValueError):
    """The run directory holds a different run."""


def precision_policy(config):
    """The Keras dtype policy of ``config``: with ``mixed_precision``, float16 compute on
    GPUs and bfloat16 elsewhere (Micikevicius et al. 2018); float32 otherwise."""
    if not config.mixed_precision:
        return "float32"
    import tensorflow as tf

    return "mixed_float16" if tf.config.list_logical_devices("GPU") else "mixed_bfloat16"


def build_model(config, info):
    """The configured model, taking raw pixels (in-model rescaling)."""
    options = dict(input_shape=info.image_shape, classes=info.num_classes,
                   include_preprocessing=True)
    options.update(config.model_options)
    model = build(config.model, **options)
    if config.sync_batchnorm:
        model = _synchronized_batchnorm(model)
    return model


def _synchronized_batchnorm(model):
    cfg = model.get_config()
    for layer in cfg["layers"]:
        if layer["class_name"] == "BatchNormalization":
            layer["config"]["synchronized"] = True
    return model.__class__.from_config(cfg)


def compile_model(model, config, info, steps_per_epoch):
    optimizer = make_optimizer(config.recipe, steps_per_epoch, config.epochs,
                               config.batch_size, config.learning_rate,
                               config.weight_decay, config.warmup_epochs)
    if info.task == "segmentation":
        loss = keras.losses.SparseCategoricalCrossentropy()
        metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
                   keras.metrics.MeanIoU(info.num_classes, sparse_y_pred=False, name="mean_iou")]
    elif config.label_smoothing:
        loss = keras.losses.CategoricalCrossentropy(label_smoothing=config.label_smoothing)
        metrics = [keras.metrics.CategoricalAccuracy(name="accuracy")]
    else:
        loss = keras.losses.SparseCategoricalCrossentropy()
        metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics,
                  jit_compile=config.jit_compile,
                  steps_per_execution=config.steps_per_execution)
    return model


def _one_hot(images, targets, classes):
    import tensorflow as tf

    return images, tf.one_hot(targets, classes)


def load_splits(config, info):
    """(train, validation, test) as (images, targets) NumPy pairs."""
    images, targets = load_arrays(config.dataset, "train", data_dir=config.data_dir,
                                  options=config.dataset_options)
    train, val = split_validation(images, targets, config.validation_split, seed=config.seed)
    if config.limit_train:
        train = (train[0][:config.limit_train], train[1][:config.limit_train])
    test = load_arrays(config.dataset, "test", data_dir=config.data_dir,
                       limit=config.limit_test)
    return train, val, test


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


def train(config, run_dir, verbose=1, allow_existing=False):
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

    Raises:
        ValueError: a bad configuration or run directory (before anything is written:
            the configuration is saved only once training starts, so a failed start can be
            retried with corrected arguments).
        RunDirLocked: another process trains in ``run_dir``.
        TrainingDiverged: the loss became NaN/Inf; checkpoints of the last good epoch stay.
    """
    import tensorflow as tf

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
    # Keras 3.15's fit fails under MultiWorkerMirroredStrategy; use our own loop there.
    custom_loop = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
    if custom_loop and info.task != "classification":
        raise ValueError("multi-worker training supports classification datasets only")
    if custom_loop and config.test_every_epoch:
        raise ValueError("test_every_epoch is not supported by multi-worker training")
    if not is_chief(strategy):
        done = finished_metrics(run_dir, config)  # as the chief decides: no collective runs
        if done is not None:
            return done
        # The other workers of a multi-worker run write their (identical) checkpoints to a
        # temporary directory, under $KERAS_RESNETS_WORKER_DIR when set.
        write_dir = tempfile.mkdtemp(prefix="keras_resnets_worker_",
                                     dir=os.environ.get("KERAS_RESNETS_WORKER_DIR"))
        return _train(config, info, strategy, custom_loop, run_dir, write_dir, False, verbose)
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
        return _train(config, info, strategy, custom_loop, run_dir, run_dir, True, verbose)
    finally:
        directory.close()


def _train(config, info, strategy, custom_loop, run_dir, write_dir, chief, verbose):
    import tensorflow as tf

    replicas = strategy.num_replicas_in_sync
    keras.utils.set_random_seed(config.seed)
    if config.deterministic:
        tf.config.experimental.enable_op_determinism()
    if config.mixed_precision:
        keras.mixed_precision.set_global_policy(precision_policy(config))

    train_arrays, val_arrays, test_arrays = load_splits(config, info)
    if len(train_arrays[0]) < config.batch_size:
        raise ValueError(
            f"The training set has {len(train_arrays[0])} examples, fewer than one batch "
            f"of {config.batch_size}"
        )
    steps_per_epoch = len(train_arrays[0]) // config.batch_size
    common = dict(batch_size=config.batch_size, seed=config.seed,
                  deterministic=config.deterministic, hflip=info.hflip)
    train_ds = make_dataset(*train_arrays, training=True, augment=config.augment, **common)
    val_ds = make_dataset(*val_arrays, **common) if len(val_arrays[0]) else None
    test_ds = make_dataset(*test_arrays, **common)
    if config.label_smoothing and info.task == "classification":
        fn = lambda x, y: _one_hot(x, y, info.num_classes)  # noqa: E731
        train_ds, test_ds = train_ds.map(fn), test_ds.map(fn)
        val_ds = val_ds.map(fn) if val_ds is not None else None

    # Every worker resumes from the chief's backup (the run directory must be on a shared
    # filesystem to resume a multi-worker run, as with keras.callbacks.BackupAndRestore):
    # workers starting at different epochs would run different collectives and hang.
    backup = read_backup(run_dir)
    with strategy.scope():
        if backup:
            model = artifacts.load_model(backup["model_path"])
        else:
            model = compile_model(build_model(config, info), config, info, steps_per_epoch)
    if chief and not backup:
        # the run starts here: from now on the directory is this configuration's
        artifacts.write_json(os.path.join(run_dir, CONFIG_FILE), config.to_dict())
    if config.fused_batchnorm:
        use_fused_batchnorm(model)
    initial_epoch = backup["epochs_done"] if backup else 0

    monitor_metric = "mean_iou" if info.task == "segmentation" else "accuracy"
    monitor = f"val_{monitor_metric}" if val_ds is not None else monitor_metric
    state = RunState(write_dir, monitor, "max",
                     history=backup["history"] if backup else None,
                     best=backup["best"] if backup else None)
    guard, speed = NonFiniteGuard(), Throughput(config.batch_size)
    callbacks = [guard, speed] + ([TestEachEpoch(test_ds)] if config.test_every_epoch else [])
    callbacks.append(state)
    if chief:
        callbacks.append(keras.callbacks.TensorBoard(os.path.join(run_dir, "logs"),
                                                     update_freq="epoch", write_graph=False))
    started = time.perf_counter()
    if initial_epoch < config.epochs:
        if verbose:
            what = f"resuming after epoch {initial_epoch}" if initial_epoch else "starting"
            print(f"{config.model} on {config.dataset}: {what}; {config.epochs} epochs, "
                  f"{steps_per_epoch} steps each, {replicas} replica(s)", flush=True)
        if custom_loop:
            fit_distributed(model, strategy, train_ds, val_ds, config.epochs, initial_epoch,
                            callbacks, config.batch_size)
        else:
            model.fit(train_ds, validation_data=val_ds, epochs=config.epochs,
                      initial_epoch=initial_epoch, callbacks=callbacks, verbose=verbose)
    if guard.bad_step is not None:
        kept = (f"The last good epoch's models are in {run_dir} (last.keras, backup/)"
                if state.history else "No epoch finished, so no model was saved")
        raise TrainingDiverged(
            f"The loss became NaN/Inf at step {guard.bad_step + 1} of epoch "
            f"{len(state.history) + 1}; training stopped. {kept}. Lower the learning rate "
            f"or add normalization."
        )
    wall = time.perf_counter() - started

    if custom_loop:
        results = evaluate_distributed(make_eval_fn(model, strategy),
                                       strategy.experimental_distribute_dataset(test_ds))
    else:
        results = model.evaluate(test_ds, verbose=0, return_dict=True)
    metrics = _metrics(model, config, info, results, state, speed, wall, len(test_arrays[0]))
    if chief:
        artifacts.write_json(os.path.join(run_dir, "metrics.json"), metrics)
    if verbose:
        print(summary_line(metrics), flush=True)
    return metrics


def _metrics(model, config, info, results, state, speed, wall, test_size):
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


def evaluate(model_or_run, dataset, data_dir=None, limit=None, batch_size=256):
    """Test metrics of a `.keras` file or a run directory (its best.keras) on ``dataset``;
    written to ``<run>/evaluation-<dataset>.json`` for a run directory."""
    path = model_or_run
    if os.path.isdir(path):
        path = os.path.join(model_or_run, "best.keras")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No model at {path}")
    model = artifacts.load_model(path)
    info = dataset_info(dataset)
    images, targets = load_arrays(dataset, "test", data_dir=data_dir, limit=limit)
    expected = tuple(model.input_shape[1:])
    if expected[-1] != images.shape[-1]:
        raise ValueError(f"{path} takes inputs {expected} but {dataset} images are {images.shape[1:]}")
    probs = model.predict(images, batch_size=batch_size, verbose=0)
    if info.task == "segmentation":
        pred = probs.argmax(-1)
        from keras_resnets.metrics import mean_iou

        result = {"test_mean_iou": mean_iou(targets, pred, info.num_classes),
                  "test_pixel_accuracy": float((pred == targets).mean())}
    else:
        p = np.clip(probs[np.arange(len(targets)), targets], 1e-7, 1.0)
        result = {"test_accuracy": float((probs.argmax(-1) == targets).mean()),
                  "test_loss": float(-np.log(p).mean())}
    result.update(model=path, dataset=dataset, test_examples=int(len(images)))
    if os.path.isdir(model_or_run):
        artifacts.write_json(os.path.join(model_or_run, f"evaluation-{dataset}.json"), result)
    return result


__all__ = ["train", "evaluate", "TrainingDiverged", "ConfigMismatch", "summary_line"]
