"""ResNet builders: the papers' parameter counts, keras.applications parity, plain twins,
options and shapes."""

import keras
import numpy as np
import pytest

import keras_resnets as kr
from keras_resnets.applications import transfer_weights


def trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def layer_types(model):
    return {type(layer).__name__ for layer in model.layers}


# He et al. 2015, table 6: 0.27M, 0.46M, 0.66M, 0.85M, 1.7M (and 19.4M for 1202, below).
@pytest.mark.parametrize("depth, millions", [(20, 0.27), (32, 0.46), (44, 0.66), (56, 0.85),
                                             (110, 1.7)])
def test_cifar_resnet_parameter_counts_match_the_paper(depth, millions):
    model = kr.build(f"resnet{depth}", input_shape=(32, 32, 3))
    assert round(trainable(model) / 1e6, 2 if millions < 1 else 1) == millions


def test_resnet20_exact_counts_and_structure():
    model = kr.build("resnet20", input_shape=(32, 32, 3))
    assert trainable(model) == 269_722
    convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]
    assert len(convs) == 19  # 6n+1 convolutions + 1 dense = 20 weight layers
    assert sum(isinstance(l, keras.layers.Add) for l in model.layers) == 9
    pads = [l for l in model.layers if isinstance(l, keras.layers.ZeroPadding2D)]
    assert [l.name for l in pads] == ["conv3_block1_0_pad", "conv4_block1_0_pad"]  # option A
    assert all(l.__module__.startswith("keras.") for l in model.layers)  # no custom layer


def test_option_a_appends_zero_channels():
    inputs = keras.Input((3, 5, 2))
    model = keras.Model(inputs, kr.blocks.zero_pad_channels(inputs, 3, "pad"))
    x = np.random.default_rng(0).normal(size=(2, 3, 5, 2)).astype("float32")
    y = keras.ops.convert_to_numpy(model(x))
    assert y.shape == (2, 3, 5, 5)
    np.testing.assert_array_equal(y[..., :2], x)
    assert not y[..., 2:].any()


@pytest.mark.parametrize("depth", [20, 56])
def test_plain_twin_has_same_layers_and_no_addition(depth):
    residual = kr.build(f"resnet{depth}", input_shape=(28, 28, 1))
    plain = kr.build(f"plain{depth}", input_shape=(28, 28, 1))
    assert "Add" not in layer_types(plain)
    assert "ZeroPadding2D" not in layer_types(plain)
    # Option A shortcuts have no parameters, so the twins have identical weights.
    assert [w.shape for w in plain.weights] == [w.shape for w in residual.weights]
    weight_layers = lambda m: [l.name for l in m.layers if l.weights]  # noqa: E731
    assert weight_layers(plain) == weight_layers(residual)


def test_imagenet_plain_twins_drop_the_projections():
    resnet18, plain18 = kr.build("resnet18"), kr.build("plain18")
    projections = [l for l in resnet18.layers if l.name.endswith("_0_conv")]
    assert len(projections) == 3
    assert "Add" not in layer_types(plain18)
    removed = sum(l.count_params() for l in resnet18.layers
                  if l.name.endswith(("_0_conv", "_0_bn")))
    assert resnet18.count_params() - plain18.count_params() == removed
    assert trainable(resnet18) == 11_689_512  # torchvision's resnet18 count


@pytest.mark.parametrize("name, reference, params", [
    ("resnet50", "ResNet50", 25_636_712),
    ("resnet50v2", "ResNet50V2", 25_613_800),
])
def test_imagenet_resnets_match_keras_applications(name, reference, params):
    """Same parameters, same weights in the same order, and with keras.applications'
    weights copied in, the same outputs: its ImageNet weights file fits ours."""
    theirs = getattr(keras.applications, reference)(weights=None, input_shape=(32, 32, 3))
    ours = kr.build(name, input_shape=(32, 32, 3))
    assert ours.count_params() == theirs.count_params() == params
    assert [w.shape for w in ours.weights] == [w.shape for w in theirs.weights]
    transfer_weights(theirs, ours)
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


# keras.applications' counts, measured once by building its models (weights=None).
@pytest.mark.parametrize("name, params", [
    ("resnet101", 44_707_176),
    ("resnet152", 60_419_944),
    ("resnet101v2", 44_675_560),
    ("resnet152v2", 60_380_648),
])
def test_deeper_imagenet_resnets_have_keras_applications_counts(name, params):
    assert kr.build(name, input_shape=(32, 32, 3)).count_params() == params
    assert kr.model_spec(name).params == params


def test_imagenet_weights_offline_fail_with_a_clear_message(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network unreachable")

    monkeypatch.setattr(keras.utils, "get_file", no_network)
    monkeypatch.setattr("keras.src.utils.file_utils.get_file", no_network)
    with pytest.raises(RuntimeError, match="ImageNet weights of 'resnet50'.*network access"):
        kr.ResNet50(weights="imagenet")
    with pytest.raises(ValueError, match="No ImageNet weights exist for 'resnet18'"):
        kr.ResNet18(weights="imagenet")


def test_weights_file_round_trip(tmp_path):
    model = kr.build("resnet20", input_shape=(16, 16, 1))
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    again = kr.build("resnet20", input_shape=(16, 16, 1), weights=path)
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(FileNotFoundError, match="weights"):
        kr.build("resnet20", weights=str(tmp_path / "missing.h5"))


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (40, 24, 2), (8, 8, 5)])
def test_cifar_output_shape_any_size_and_channels(shape):
    model = kr.CifarResNet(depth=8, input_shape=shape, classes=7)
    assert model.output_shape == (None, 7)
    assert model(np.zeros((2, *shape), "float32")).shape == (2, 7)


def test_features_without_top():
    model = kr.ResNet18(include_top=False, input_shape=(64, 64, 3))
    assert model.output_shape == (None, 2, 2, 512)
    pooled = kr.ResNet18(include_top=False, pooling="max", input_shape=(64, 64, 3))
    assert pooled.output_shape == (None, 512)


def test_input_tensor():
    inputs = keras.Input((32, 32, 3))
    model = kr.CifarResNet(depth=8, input_tensor=inputs)
    assert model.inputs[0] is inputs


def test_shortcut_options():
    a = kr.CifarResNet(depth=20, shortcut="A")
    b = kr.CifarResNet(depth=20, shortcut="B")
    c = kr.CifarResNet(depth=20, shortcut="C")
    n_proj = lambda m: sum(l.name.endswith("_0_conv") for l in m.layers)  # noqa: E731
    assert (n_proj(a), n_proj(b), n_proj(c)) == (0, 2, 9)
    assert trainable(a) < trainable(b) < trainable(c)


def test_norm_none_and_zero_init_last():
    bare = kr.CifarResNet(depth=8, norm=None)
    assert "BatchNormalization" not in layer_types(bare)
    assert all(l.use_bias for l in bare.layers if isinstance(l, keras.layers.Conv2D))
    zero = kr.CifarResNet(depth=8, zero_init_last=True)
    for layer in zero.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            expected = 0.0 if layer.name.endswith("_2_bn") else 1.0
            assert np.all(layer.gamma.numpy() == expected), layer.name


def test_zero_init_last_makes_blocks_identities_at_init():
    model = kr.CifarResNet(depth=14, zero_init_last=True, preact=True, shortcut="B",
                           input_shape=(16, 16, 3))
    block = model.get_layer("conv2_block2_out")
    probe = keras.Model(model.input, [model.get_layer("conv2_block1_out").output, block.output])
    x = np.random.default_rng(1).normal(size=(2, 16, 16, 3)).astype("float32")
    before, after = probe.predict(x, verbose=0)
    np.testing.assert_allclose(after, before)


def test_width_multiplier():
    wide = kr.CifarResNet(depth=8, width=2.0)
    assert wide.get_layer("conv4_block1_2_conv").filters == 128


def test_preact_resnet164_matches_the_paper():
    model = kr.build("preact_resnet164")
    assert round(trainable(model) / 1e6, 1) == 1.7  # He et al. 2016: 1.7M
    assert model.get_layer("post_bn") is not None
    assert "Add" in layer_types(model)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(depth=21), ValueError, r"6n\+2.*depth=21"),
    (dict(depth=5), ValueError, "depth"),
    (dict(depth="20"), TypeError, "depth"),
    (dict(shortcut="D"), ValueError, "shortcut='D'"),
    (dict(norm="layer"), ValueError, "norm='layer'"),
    (dict(classes=-1), ValueError, "classes=-1"),
    (dict(input_shape=(2, 2, 3)), ValueError, "too small.*at least 4"),
    (dict(input_shape=(32, 32)), ValueError, "3 entries"),
    (dict(pooling="mean"), ValueError, "pooling='mean'"),
    (dict(width=0), ValueError, "width"),
    (dict(kernel_initializer="nope"), ValueError, "kernel_initializer='nope'"),
    (dict(classifier_activation="nope"), ValueError, "classifier_activation='nope'"),
    (dict(skip="yes"), TypeError, "skip='yes'"),
])
def test_bad_arguments_get_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        kr.CifarResNet(**kwargs)


def test_preact_depth_must_be_9n_plus_2():
    with pytest.raises(ValueError, match=r"9n\+2.*depth=100"):
        kr.PreActResNet(depth=100)


def test_imagenet_input_too_small():
    with pytest.raises(ValueError, match="at least 32"):
        kr.ResNet50(input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="depth"):
        kr.resnet.imagenet_resnet(18, v2=True)


def test_option_a_cannot_reduce_channels():
    x = keras.Input((8, 8, 32))
    with pytest.raises(ValueError, match="option A"):
        kr.basic_block(x, 16, shortcut="A", name="b")
