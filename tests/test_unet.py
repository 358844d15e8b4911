"""U-Net (Ronneberger et al. 2015) and the ResNet-34 U-Net: shapes, skips, upsampling,
parameter counts, serialization and argument errors."""

import keras
import numpy as np
import pytest
from keras import layers

import keras_resnets
from keras_resnets import unet


def tiny(**kwargs):
    kwargs.setdefault("input_shape", (16, 16, 3))
    kwargs.setdefault("depth", 2)
    kwargs.setdefault("base_filters", 4)
    return unet.UNet(**kwargs)


def layer_types(model, kind):
    return [l for l in model.layers if isinstance(l, kind)]


def inbound_layer_names(layer):
    return [t._keras_history.operation.name for t in layer._inbound_nodes[0].input_tensors]


# --- parameter counts ---------------------------------------------------------------------

def test_paper_unet_parameter_count():
    model = unet.UNet()  # base_filters=64, depth=4, BatchNormalization
    assert model.count_params() == 31_049_409
    assert model.input_shape == (None, 128, 128, 3)
    assert model.output_shape == (None, 128, 128, 1)
    # Without BN: the paper's network with "same" padding and one output channel, 31.0M.
    assert unet.UNet(norm=None).count_params() == 31_031_745


@pytest.mark.slow
def test_unet_resnet34():
    model = unet.unet_resnet34(input_shape=(64, 64, 3))
    assert model.count_params() == 24_368_449
    assert model.output_shape == (None, 64, 64, 1)
    taps = unet.encoder_feature_layers("resnet34")
    assert taps == ("conv1_relu", "conv2_block3_out", "conv3_block4_out", "conv4_block6_out",
                    "conv5_block3_out")
    strides = [64 // model.get_layer(n).output.shape[1] for n in taps]
    assert strides == [2, 4, 8, 16, 32]
    concats = {l.name: inbound_layer_names(l) for l in layer_types(model, layers.Concatenate)}
    assert concats == {
        "dec5_concat": ["dec5_up", "conv4_block6_out"],
        "dec4_concat": ["dec4_up", "conv3_block4_out"],
        "dec3_concat": ["dec3_up", "conv2_block3_out"],
        "dec2_concat": ["dec2_up", "conv1_relu"],
    }
    assert inbound_layer_names(model.get_layer("dec5_up")) == ["conv5_block3_out"]
    assert [model.get_layer(f"dec{i}_out").output.shape[-1] for i in range(5, 0, -1)] == [
        256, 128, 64, 32, 16]
    assert keras_resnets.unet_resnet34 is unet.unet_resnet34


# --- shapes -------------------------------------------------------------------------------

@pytest.mark.parametrize("upsampling", ["transpose", "bilinear"])
@pytest.mark.parametrize("shape", [(16, 16, 3), (32, 48, 1), (None, None, 1)])
def test_output_has_input_size(shape, upsampling):
    model = tiny(input_shape=shape, classes=3, upsampling=upsampling)
    h, w = (shape[0] or 24), (shape[1] or 40)
    out = model.predict(np.random.default_rng(0).normal(size=(2, h, w, shape[2])), verbose=0)
    assert out.shape == (2, h, w, 3)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-5)  # softmax over classes


def test_binary_head():
    model = tiny(classes=1)
    assert model.get_layer("predictions").activation.__name__ == "sigmoid"
    out = model.predict(np.random.default_rng(1).normal(size=(2, 16, 16, 3)), verbose=0)
    # float32 sigmoids round to exactly 0 or 1 beyond |logit| ~ 17 (untrained, unseeded)
    assert out.shape == (2, 16, 16, 1) and ((out >= 0) & (out <= 1)).all()
    logits = tiny(classes=1, final_activation=None)
    assert logits.get_layer("predictions").activation.__name__ == "linear"


def test_layout_and_skips():
    model = tiny(depth=3)
    names = [l.name for l in model.layers]
    for part in ("enc1_out", "enc3_pool", "bottleneck_out", "dec3_up", "dec1_out"):
        assert part in names
    assert {l.name: inbound_layer_names(l) for l in layer_types(model, layers.Concatenate)} == {
        f"dec{i}_concat": [f"dec{i}_up", f"enc{i}_out"] for i in (1, 2, 3)}
    assert model.get_layer("bottleneck_out").output.shape[1:] == (2, 2, 32)
    assert model.get_layer("dec3_up").output.shape[1:] == (4, 4, 16)  # up-conv halves


def test_bilinear_keeps_channels():
    model = tiny(upsampling="bilinear")
    assert not layer_types(model, layers.Conv2DTranspose)
    up = model.get_layer("dec2_up")
    assert isinstance(up, layers.UpSampling2D) and up.interpolation == "bilinear"
    assert model.get_layer("dec2_concat").output.shape[-1] == 16 + 8


@pytest.mark.parametrize("upsampling", ["transpose", "bilinear"])
def test_no_skip_has_no_concatenate(upsampling):
    model = tiny(skip=False, upsampling=upsampling)
    assert not layer_types(model, layers.Concatenate)
    assert inbound_layer_names(model.get_layer("dec1_1_conv")) == ["dec1_up"]
    assert model.output_shape == (None, 16, 16, 1)
    assert model.count_params() < tiny(upsampling=upsampling).count_params()


def test_resnet_encoder_without_skip():
    model = unet.UNet(input_shape=(32, 32, 1), encoder="resnet18", depth=5, base_filters=2,
                      skip=False, upsampling="bilinear", norm=None)
    assert not layer_types(model, layers.Concatenate)
    assert model.output_shape == (None, 32, 32, 1)


def test_residual_blocks():
    model = tiny(residual=True)
    assert model.get_layer("enc1_0_conv").kernel_size == (1, 1)  # 3 -> 4 channels
    assert isinstance(model.get_layer("dec1_add"), layers.Add)
    x = keras.Input((8, 8, 6))
    y = unet.unet_conv_block(x, 6, residual=True, name="b")
    assert "b_0_conv" not in [l.name for l in keras.Model(x, y).layers]  # identity


def test_stage_functions():
    x = keras.Input((8, 8, 2))
    down, skip = unet.unet_encoder_stage(x, 4, name="e")
    assert down.shape[1:] == (4, 4, 4) and skip.shape[1:] == (8, 8, 4)
    up = unet.unet_decoder_stage(down, skip, 4, name="d")
    assert up.shape[1:] == (8, 8, 4)
    with pytest.raises(ValueError, match="skip"):
        unet.unet_decoder_stage(down, down, 4, name="d2")
    assert unet.unet_decoder_stage(down, None, 4, use_skip=False, name="d3").shape[1:] == (
        8, 8, 4)


@pytest.mark.parametrize("upsampling", ["transpose", "bilinear"])
def test_save_load_safe_mode(tmp_path, upsampling):
    model = tiny(classes=2, upsampling=upsampling, residual=True, include_preprocessing=True)
    batch = np.random.default_rng(3).uniform(0, 255, (2, 16, 16, 3)).astype("float32")
    path = tmp_path / f"unet_{upsampling}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(loaded.predict(batch, verbose=0),
                                  model.predict(batch, verbose=0))


def test_registry():
    assert {"unet", "unet_resnet34"} <= set(keras_resnets.list_models())
    model = keras_resnets.build("unet", input_shape=(8, 8, 1), depth=1, base_filters=2,
                                classes=4)
    assert model.output_shape == (None, 8, 8, 4)
    with pytest.raises(TypeError, match="bogus"):
        keras_resnets.build("unet_resnet34", bogus=1)


# --- errors -------------------------------------------------------------------------------

def test_input_must_divide_by_two_to_the_depth():
    with pytest.raises(ValueError, match=r"input_shape.*multiples of 16"):
        unet.UNet(input_shape=(100, 100, 3), depth=4)
    with pytest.raises(ValueError, match=r"input_shape.*multiples of 32"):
        unet.unet_resnet34(input_shape=(48, 48, 3))


@pytest.mark.parametrize("upsampling", ["nearest", "Transpose", None, 2])
def test_upsampling_choices(upsampling):
    with pytest.raises(ValueError, match="upsampling"):
        tiny(upsampling=upsampling)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(classes=0), ValueError, "classes"),
    (dict(depth=0), ValueError, "depth"),
    (dict(depth=2.0), TypeError, "depth"),
    (dict(base_filters=0), ValueError, "base_filters"),
    (dict(norm="group"), ValueError, "norm"),
    (dict(skip="yes"), TypeError, "skip"),
    (dict(residual=None), TypeError, "residual"),
    (dict(encoder="vgg16"), ValueError, "encoder"),
    (dict(encoder="resnet34", depth=4), ValueError, "depth"),
    (dict(final_activation="nope"), ValueError, "final_activation"),
    (dict(kernel_initializer="nope"), ValueError, "kernel_initializer"),
    (dict(include_preprocessing=1), TypeError, "include_preprocessing"),
    (dict(input_shape=(16, 16)), ValueError, "input_shape"),
    (dict(name=3), TypeError, "name"),
])
def test_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        tiny(**kwargs)
