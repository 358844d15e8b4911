import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_resnets import build
from keras_resnets.training.batchnorm import FusedBatchNormalization, fused_training_model


def _twin_layers(**options):
    inputs = keras.Input((6, 5, 4))
    keras_model = keras.Model(inputs, keras.layers.BatchNormalization(**options)(inputs))
    plain_model = keras.Model.from_config(keras_model.get_config())
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=w.shape).astype("float32") for w in keras_model.get_weights()]
    weights[-1] = np.abs(weights[-1]) + 0.5  # moving variance
    keras_model.set_weights(weights)
    plain_model.set_weights(weights)
    fused_model = fused_training_model(plain_model)
    assert _fused_layers(fused_model) == 1
    assert all(a is b for a, b in zip(fused_model.weights, plain_model.weights))
    return keras_model, fused_model


def _fused_layers(model):
    return sum(isinstance(layer, FusedBatchNormalization) for layer in model.layers)


@pytest.mark.parametrize("options", [{}, {"center": False}, {"scale": False, "epsilon": 1.001e-5},
                                     {"momentum": 0.9}])
def test_fused_kernel_matches_keras_in_training_and_inference(options):
    keras_model, fused_model = _twin_layers(**options)
    rng = np.random.default_rng(1)
    x = tf.constant(rng.normal(2.0, 3.0, (8, 6, 5, 4)).astype("float32"))
    upstream = tf.constant(rng.normal(size=(8, 6, 5, 4)).astype("float32"))
    for training in (True, False):
        grads, outputs = [], []
        for model in (keras_model, fused_model):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = model(x, training=training)
                loss = tf.reduce_sum(y * upstream)
            grads.append(tape.gradient(loss, [x] + model.trainable_weights))
            outputs.append(y.numpy())
        np.testing.assert_allclose(outputs[1], outputs[0], rtol=1e-4, atol=1e-4)
        for g_fused, g_keras in zip(grads[1], grads[0]):
            np.testing.assert_allclose(g_fused.numpy(), g_keras.numpy(), rtol=1e-3, atol=1e-4)
    # Moving statistics after the training calls (two per model: forward under two tapes).
    for w_fused, w_keras in zip(fused_model.non_trainable_weights, keras_model.non_trainable_weights):
        np.testing.assert_allclose(w_fused.numpy(), w_keras.numpy(), rtol=1e-5, atol=1e-6)


def test_fused_kernel_matches_keras_under_mixed_bfloat16_without_casts():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        keras_model, fused_model = _twin_layers()
    finally:
        keras.mixed_precision.set_global_policy("float32")
    rng = np.random.default_rng(1)
    x = tf.constant(rng.normal(2.0, 3.0, (8, 6, 5, 4)).astype("float32"))
    for training in (True, False):
        y_keras = keras_model(x, training=training)
        y_fused = fused_model(x, training=training)
        assert y_fused.dtype == y_keras.dtype == tf.bfloat16
        np.testing.assert_allclose(tf.cast(y_fused, "float32").numpy(),
                                   tf.cast(y_keras, "float32").numpy(), rtol=2e-2, atol=2e-2)
    layer = next(l for l in fused_model.layers if isinstance(l, FusedBatchNormalization))
    graph = tf.function(lambda t: layer(t, training=True)).get_concrete_function(
        tf.TensorSpec((8, 6, 5, 4), tf.bfloat16)).graph
    # the activations are not cast (a scalar count still is)
    assert not [op.name for op in graph.get_operations()
                if op.type == "Cast" and op.inputs[0].shape.rank == 4]


def test_fused_model_trains_like_keras_and_saves_standard_layers(tmp_path):
    x = np.random.default_rng(0).integers(0, 255, (16, 12, 12, 1)).astype("uint8")
    y = np.arange(16) % 3
    losses = []
    for fused in (False, True):
        keras.utils.set_random_seed(0)
        model = build("resnet20", depth=8, input_shape=(12, 12, 1), classes=3)
        config = model.get_config()
        trained = fused_training_model(model) if fused else model
        if fused:
            assert _fused_layers(trained) == 7
            assert fused_training_model(trained) is trained  # nothing left to fuse
            assert [v.path for v in trained.trainable_variables] == \
                [v.path for v in model.trainable_variables]  # the optimizer's slot order
        trained.compile(optimizer=keras.optimizers.SGD(0.05),
                        loss="sparse_categorical_crossentropy")
        history = trained.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        losses.append(history.history["loss"])
    np.testing.assert_allclose(losses[1], losses[0], rtol=1e-3)
    # Training the fused view trained the model itself, which saves as plain Keras.
    assert model.get_config() == config
    path = tmp_path / "fused.keras"
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert type(loaded.get_layer("conv1_bn")) is keras.layers.BatchNormalization
    np.testing.assert_allclose(loaded.predict(x, verbose=0), trained.predict(x, verbose=0),
                               rtol=1e-4, atol=1e-5)
    with pytest.raises(NotImplementedError, match="save the model it was made from"):
        trained.get_config()


def test_synchronized_and_non_batchnorm_layers_are_left_alone():
    inputs = keras.Input((4, 4, 2))
    h = keras.layers.BatchNormalization(synchronized=True)(inputs)
    h = keras.layers.LayerNormalization()(h)
    model = keras.Model(inputs, h)
    assert fused_training_model(model) is model
