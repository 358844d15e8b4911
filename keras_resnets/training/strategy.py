"""Choosing the `tf.distribute` strategy: the same code runs on one device, several GPUs,
several workers or a TPU."""

import json
import os

from keras_resnets.validation import check_choice

STRATEGIES = ("auto", "default", "mirrored", "multi_worker", "tpu")


def resolve_strategy(name="auto"):
    """Returns a ``tf.distribute.Strategy``.

    "auto": TF_CONFIG in the environment -> MultiWorkerMirroredStrategy; several GPUs ->
    MirroredStrategy; a TPU -> TPUStrategy; else the default strategy.
    """
    check_choice("strategy", name, STRATEGIES)
    import tensorflow as tf

    if name == "auto":
        if _tf_config_has_cluster():
            name = "multi_worker"
        elif len(tf.config.list_logical_devices("GPU")) > 1:
            name = "mirrored"
        elif _tpu_resolver() is not None:
            name = "tpu"
        else:
            name = "default"
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        if not _tf_config_has_cluster():
            raise ValueError("strategy 'multi_worker' needs TF_CONFIG with a cluster in the environment")
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        resolver = _tpu_resolver()
        if resolver is None:
            raise ValueError("strategy 'tpu' was asked for but no TPU was found")
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)


def is_chief(strategy):
    """True on the worker that writes the run directory (worker 0 or the only one)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.cluster_spec().as_dict():
        return True
    task_type, task_id = resolver.task_type, resolver.task_id
    return task_type in (None, "chief") or (task_type == "worker" and task_id == 0
                                             and "chief" not in resolver.cluster_spec().as_dict())


def _tf_config_has_cluster():
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        return False
    try:
        return bool(json.loads(raw).get("cluster"))
    except (json.JSONDecodeError, AttributeError) as err:
        raise ValueError(f"TF_CONFIG is not valid JSON: {err}") from err


def _tpu_resolver():
    import tensorflow as tf

    if not os.environ.get("TPU_NAME") and not os.path.exists("/dev/accel0"):
        return None
    try:
        return tf.distribute.cluster_resolver.TPUClusterResolver()
    except (ValueError, RuntimeError):
        return None
