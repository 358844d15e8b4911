"""The builders are backend-agnostic: they build and run under Keras' torch backend."""

import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import numpy as np
import keras
assert keras.backend.backend() == "torch", keras.backend.backend()
import keras_resnets as kr
models = [
    kr.build("resnet20", input_shape=(16, 16, 1)),
    kr.build("plain20", input_shape=(16, 16, 1)),
    kr.PreActResNet(depth=11, input_shape=(16, 16, 3)),
    kr.ResNet50V2(input_shape=(32, 32, 3), width=0.125, classes=4),
    kr.build("densenet_bc100", input_shape=(16, 16, 1)),
    kr.build("unet", input_shape=(32, 32, 1), classes=3, depth=2, base_filters=4),
]
for m in models:
    x = np.random.default_rng(0).uniform(0, 255, (2, *m.input_shape[1:])).astype("float32")
    y = keras.ops.convert_to_numpy(m(x))
    assert np.isfinite(y).all() and y.shape[0] == 2, m.name
    print(m.name, y.shape)
print("ok")
"""


def test_builders_run_under_the_torch_backend():
    pytest.importorskip("torch")
    env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="")
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
