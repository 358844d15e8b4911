"""Run by tests/test_training_distributed.py in a fresh process: two logical CPU devices must
be configured before TensorFlow initializes its devices."""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402
from fakes import TINY_OPTIONS  # noqa: E402

from keras_resnets.training import TrainConfig, resolve_strategy, train  # noqa: E402

data_dir, out = sys.argv[1], sys.argv[2]
result = {"replicas": resolve_strategy("mirrored").num_replicas_in_sync}
# One batch per epoch: under a strategy Keras draws one batch before the first epoch
# (`_maybe_symbolic_build`), which moves the reshuffling of the epochs by one; a full-batch
# step is independent of the order. Synchronized BN: per-replica batch statistics differ.
common = dict(model="resnet20", model_options=TINY_OPTIONS, epochs=3, batch_size=32,
              data_dir=data_dir, augment=False, deterministic=True, sync_batchnorm=True,
              limit_train=32, limit_test=64, recipe="he2016", learning_rate=0.05)
try:
    train(TrainConfig(strategy="mirrored", **dict(common, batch_size=33)),
          os.path.join(out, "odd"), verbose=0)
except ValueError as err:
    result["odd_batch_error"] = str(err)
result["odd_dir_exists"] = os.path.exists(os.path.join(out, "odd"))
for strategy in ("default", "mirrored"):
    run = os.path.join(out, strategy)
    metrics = train(TrainConfig(strategy=strategy, **common), run, verbose=0)
    with open(os.path.join(run, "history.json")) as f:
        history = json.load(f)
    weights = keras.models.load_model(os.path.join(run, "last.keras")).get_weights()
    result[strategy] = {"loss": [row["loss"] for row in history],
                        "val_loss": [row.get("val_loss") for row in history],
                        "test_loss": metrics["test_loss"],
                        "weights": float(sum(np.abs(w).sum() for w in weights)),
                        "first_kernel": weights[0].ravel()[:20].tolist()}
print("RESULT " + json.dumps(result))
