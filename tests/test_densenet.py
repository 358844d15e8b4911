"""DenseNet (Huang et al. 2017): blocks, layouts, parameter counts, keras.applications
weight compatibility, serialization and argument errors."""

import keras
import numpy as np
import pytest
from keras import layers

import keras_resnets
from keras_resnets import densenet
from keras_resnets.applications import transfer_weights

# keras.applications.DenseNetXXX(weights=None).count_params() with the top (Keras 3.15).
KERAS_PARAMS = {121: 8_062_504, 169: 14_307_880, 201: 20_242_984}


def tiny_bc(**kwargs):
    """DenseNet-BC with one bottleneck layer per block and k=4: 3 dense blocks."""
    kwargs.setdefault("growth_rate", 4)
    return densenet.DenseNetBC(depth=10, **kwargs)


def inbound_layer_names(layer):
    return [t._keras_history.operation.name for t in layer._inbound_nodes[0].input_tensors]


def check_no_concat_across_downsampling(model, blocks):
    """Every concatenation joins two tensors of its own resolution, and its running input
    comes from the previous layer of the same dense block or, for a block's first layer,
    from the block's input (stem or transition): nothing crosses a transition."""
    concats = [l for l in model.layers if isinstance(l, layers.Concatenate)]
    assert len(concats) == sum(blocks)
    for layer in concats:
        stage, block = layer.name.split("_")[:2]
        i = int(block[len("block"):])
        out_hw = tuple(layer.output.shape[1:3])
        for t in layer._inbound_nodes[0].input_tensors:
            assert tuple(t.shape[1:3]) == out_hw
        running, new = inbound_layer_names(layer)
        assert new == f"{stage}_block{i}_2_conv"
        if i > 1:
            assert running == f"{stage}_block{i - 1}_concat"
        else:
            stage_index = int(stage[len("conv"):])
            assert running in ("conv1_conv", "pool1", f"pool{stage_index - 1}_pool")


# --- blocks -------------------------------------------------------------------------------

def test_dense_conv_block_layout_and_names():
    x = keras.Input((8, 8, 5))
    y = densenet.dense_conv_block(x, 4, name="b")
    model = keras.Model(x, y)
    assert [l.name for l in model.layers[1:]] == [
        "b_0_bn", "b_0_relu", "b_1_conv", "b_1_bn", "b_1_relu", "b_2_conv", "b_concat"]
    assert model.get_layer("b_1_conv").filters == 16  # 4k bottleneck
    assert model.get_layer("b_2_conv").kernel_size == (3, 3)
    assert y.shape[1:] == (8, 8, 9)


def test_dense_conv_block_without_bottleneck_or_norm():
    x = keras.Input((8, 8, 5))
    y = densenet.dense_conv_block(x, 3, bottleneck=False, norm=None, name="b")
    model = keras.Model(x, y)
    assert [l.name for l in model.layers[1:]] == ["b_0_relu", "b_2_conv", "b_concat"]
    assert model.get_layer("b_2_conv").use_bias
    assert y.shape[1:] == (8, 8, 8)


def test_dense_block_channels():
    x = keras.Input((6, 6, 7))
    y = densenet.dense_block(x, 3, 5, name="conv2")
    assert y.shape[1:] == (6, 6, 7 + 3 * 5)
    names = [l.name for l in keras.Model(x, y).layers]
    assert "conv2_block3_concat" in names and "conv2_block4_0_bn" not in names


@pytest.mark.parametrize("compression, channels", [(0.5, 5), (0.3, 3), (1.0, 10), (0.01, 1)])
def test_transition_block(compression, channels):
    x = keras.Input((9, 8, 10))
    y = densenet.transition_block(x, compression, name="pool2")
    model = keras.Model(x, y)
    assert [l.name for l in model.layers[1:]] == ["pool2_bn", "pool2_relu", "pool2_conv",
                                                  "pool2_pool"]
    assert y.shape[1:] == (4, 4, channels)


# --- ImageNet DenseNets -------------------------------------------------------------------

@pytest.mark.slow
def test_densenet121_matches_keras_applications():
    ours = densenet.DenseNet121(input_shape=(64, 64, 3))
    ref = keras.applications.DenseNet121(weights=None, input_shape=(64, 64, 3))
    assert ours.count_params() == ref.count_params() == KERAS_PARAMS[121]
    with_weights = lambda m: [l.name for l in m.layers if l.weights]  # noqa: E731
    assert with_weights(ours) == with_weights(ref)
    assert [w.shape for w in ours.weights] == [w.shape for w in ref.weights]
    transfer_weights(ref, ours)
    batch = np.random.default_rng(0).uniform(-1, 1, (2, 64, 64, 3)).astype("float32")
    np.testing.assert_allclose(ours.predict(batch, verbose=0), ref.predict(batch, verbose=0),
                               rtol=1e-5, atol=1e-6)
    check_no_concat_across_downsampling(ours, densenet.IMAGENET_BLOCKS[121])


@pytest.mark.slow
def test_imagenet_parameter_counts():
    assert densenet.DenseNet169().count_params() == KERAS_PARAMS[169]
    assert densenet.DenseNet201().count_params() == KERAS_PARAMS[201]
    for depth in (121, 169, 201):
        assert keras_resnets.model_spec(f"densenet{depth}").params == KERAS_PARAMS[depth]
    # DenseNet264 has no keras.applications twin; building it takes long on a shared CPU,
    # so only its layout is checked (it measured 33,736,232 parameters with the top).
    assert densenet.IMAGENET_BLOCKS[264] == (6, 12, 64, 48)


def test_imagenet_layout_tiny_and_headless():
    model = densenet.DenseNet((1, 1), growth_rate=4, input_shape=(32, 48, 1),
                              include_top=False, pooling=None)
    assert model.get_layer("conv1_conv").filters == 8  # 2k
    # stride 4, one transition: 8 + 4 = 12 channels, compressed to 6, + 4 = 10.
    assert model.output_shape == (None, 4, 6, 10)
    check_no_concat_across_downsampling(model, (1, 1))
    pooled = densenet.DenseNet((1, 1), growth_rate=4, input_shape=(32, 32, 3),
                               include_top=False, pooling="max")
    assert pooled.output_shape == (None, 10)


def test_densenet264_has_no_imagenet_weights():
    with pytest.raises(ValueError, match="densenet264"):
        densenet.DenseNet264(weights="imagenet")


# --- CIFAR DenseNet-BC --------------------------------------------------------------------

def test_densenet_bc100_parameter_count():
    model = densenet.DenseNetBC()
    assert model.count_params() == 793_150  # about 0.8M, Huang et al. 2017, table 2
    assert model.input_shape == (None, 32, 32, 3) and model.output_shape == (None, 10)
    blocks = [l.name for l in model.layers if l.name.endswith("_concat")]
    assert len(blocks) == 48 and "conv4_block16_concat" in blocks
    check_no_concat_across_downsampling(model, (16, 16, 16))


@pytest.mark.parametrize("shape", [(32, 32, 3), (28, 28, 1), (40, 24, 1), (None, None, 3)])
def test_densenet_bc_output_shapes(shape):
    model = tiny_bc(input_shape=shape, include_top=False)
    h = 16 if shape[0] is None else shape[0]
    w = 16 if shape[1] is None else shape[1]
    out = model.predict(np.zeros((2, h, w, shape[2]), "float32"), verbose=0)
    # stem 8 (2k) -> +4 = 12 -> 6 -> +4 = 10 -> 5 -> +4 = 9 channels; two transitions.
    assert out.shape == (2, h // 4, w // 4, 9)
    assert model.get_layer("conv1_conv").kernel_size == (3, 3)


def test_densenet_bc_top_and_classes():
    model = tiny_bc(input_shape=(16, 16, 1), classes=3)
    probs = model.predict(np.random.default_rng(1).normal(size=(2, 16, 16, 1)), verbose=0)
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_uncompressed_and_unnormalized():
    model = tiny_bc(compression=1.0, norm=None, include_top=False)
    assert model.output_shape[-1] == 8 + 3 * 4
    assert not any(isinstance(l, layers.BatchNormalization) for l in model.layers)


def test_include_preprocessing():
    model = tiny_bc(include_preprocessing=True)
    assert model.get_layer("rescaling") is not None


def test_save_load_safe_mode(tmp_path):
    model = tiny_bc(input_shape=(16, 16, 3), classes=4)
    batch = np.random.default_rng(2).uniform(0, 1, (3, 16, 16, 3)).astype("float32")
    path = tmp_path / "densenet.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(loaded.predict(batch, verbose=0), model.predict(batch, verbose=0))


def test_registry():
    names = keras_resnets.list_models()
    for name in ("densenet121", "densenet169", "densenet201", "densenet264",
                 "densenet_bc100"):
        assert name in names
    model = keras_resnets.build("densenet_bc100", depth=10, growth_rate=2,
                                input_shape=(8, 8, 1))
    assert model.name == "densenet_bc10" and model.output_shape == (None, 10)
    with pytest.raises(TypeError, match="bogus"):
        keras_resnets.build("densenet_bc100", bogus=1)


# --- errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [50, 101, 11])
def test_bc_depth_must_be_6n_plus_4(depth):
    with pytest.raises(ValueError, match=rf"depth.*Received: depth={depth}"):
        densenet.DenseNetBC(depth=depth)


@pytest.mark.parametrize("compression", [0, 0.0, -0.5, 1.5, float("nan")])
def test_compression_range(compression):
    with pytest.raises(ValueError, match="compression"):
        tiny_bc(compression=compression)
    x = keras.Input((4, 4, 8))
    with pytest.raises(ValueError, match="compression"):
        densenet.transition_block(x, compression)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(growth_rate=0), ValueError, "growth_rate"),
    (dict(growth_rate=2.0), TypeError, "growth_rate"),
    (dict(compression="0.5"), TypeError, "compression"),
    (dict(bottleneck=1), TypeError, "bottleneck"),
    (dict(stem="resnet"), ValueError, "stem"),
    (dict(stem_filters=0), ValueError, "stem_filters"),
    (dict(norm="layer"), ValueError, "norm"),
    (dict(kernel_initializer="nope"), ValueError, "kernel_initializer"),
    (dict(pooling="sum", include_top=False), ValueError, "pooling"),
    (dict(input_shape=(2, 2, 3)), ValueError, "input_shape"),
    (dict(input_shape=(32, 32)), ValueError, "input_shape"),
])
def test_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        tiny_bc(**kwargs)


def test_blocks_errors():
    with pytest.raises(ValueError, match="blocks"):
        densenet.DenseNet(())
    with pytest.raises(ValueError, match="blocks"):
        densenet.DenseNet((6, 0))
    x = keras.Input((4, 4, 8))
    with pytest.raises(ValueError, match="blocks"):
        densenet.dense_block(x, 0, 4)
    with pytest.raises(ValueError, match="growth_rate"):
        densenet.dense_conv_block(x, -1)
