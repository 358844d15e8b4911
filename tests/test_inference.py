"""InferenceFunction: the compiled inference pass gives the model's own outputs, for one
image and for batches of any size, without retracing."""

import numpy as np
import pytest

from keras_resnets import build
from keras_resnets.inference import InferenceFunction


@pytest.fixture(scope="module")
def model():
    return build("resnet20", depth=8, input_shape=(12, 12, 1), classes=5,
                 include_preprocessing=True)


def test_matches_the_eager_model_for_one_image_and_batches(model):
    images = np.random.default_rng(0).uniform(0, 255, (9, 12, 12, 1)).astype("float32")
    expected = np.asarray(model(images, training=False))
    infer = InferenceFunction(model, batch_size=4)  # 9 images: chunks of 4, 4 and 1
    np.testing.assert_allclose(infer(images), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(infer(images[0]), expected[:1], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(infer(images[:3].astype("uint8")),
                               np.asarray(model(images[:3].astype("uint8").astype("float32"),
                                                training=False)), rtol=1e-4, atol=1e-5)


def test_one_trace_serves_every_batch_size(model):
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("the traced signature is TensorFlow's")
    infer = InferenceFunction(model)
    for n in (1, 2, 7, 64):
        infer(np.zeros((n, 12, 12, 1), "float32"))
    assert infer._traced.experimental_get_tracing_count() == 1


def test_refuses_what_the_model_cannot_take(model):
    infer = InferenceFunction(model, warm_up=False)
    with pytest.raises(ValueError, match=r"takes images of shape \(12, 12, 1\).*\(2, 12, 12\)"):
        infer(np.zeros((2, 12, 12)))
    with pytest.raises(ValueError, match="non-empty"):
        infer(np.zeros((0, 12, 12, 1)))
    with pytest.raises(ValueError, match="batch_size must be >= 1; got 0"):
        InferenceFunction(model, batch_size=0)
    free = build("resnet20", depth=8, input_shape=(None, None, 1), classes=5)
    with pytest.raises(ValueError, match="fixed input shape"):
        InferenceFunction(free)
