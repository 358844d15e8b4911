"""The deepest networks of the papers build (and their parameter counts match)."""

import numpy as np
import pytest

import keras_resnets as kr


@pytest.mark.slow
def test_resnet1202_has_the_papers_19_4m_parameters():
    model = kr.build("resnet1202")
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert round(trainable / 1e6, 1) == 19.4
    assert model.count_params() == kr.model_spec("resnet1202").params


@pytest.mark.slow
def test_preact_resnet1001_builds_and_runs():
    model = kr.build("preact_resnet1001", input_shape=(8, 8, 1))
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert round(trainable / 1e6, 1) == 10.4  # He et al. 2016 quote 10.2M (biases counted here)
    assert sum(type(l).__name__ == "Add" for l in model.layers) == 333
    # eagerly: tracing `predict` for 3,000 layers costs more than the forward pass
    out = np.asarray(model(np.zeros((1, 8, 8, 1), "float32"), training=False))
    assert out.shape == (1, 10) and np.isfinite(out).all()
