"""Property-based tests over the builders' arguments: every combination either builds a
model of the promised shape or is refused by a ValueError/TypeError that names the
argument and the value received -- never an error from deep inside Keras."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import keras_resnets as kr
from keras_resnets.densenet import DenseNetBC

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
ints = st.one_of(st.integers(-3, 40), st.sampled_from([None, "8", 2.5, True]))
sizes = st.one_of(st.none(), st.integers(-1, 20), st.sampled_from(["16", 3.0]))


def clear(err):
    """Our errors name the argument with backquotes or say what was received."""
    text = str(err)
    return bool(re.search(r"`\w[\w.]*`|Received:|received", text)), text


@SETTINGS
@given(depth=ints, shortcut=st.sampled_from(["A", "B", "C", "D", None, 1]),
       norm=st.sampled_from(["batch", None, "layer"]),
       width=st.one_of(st.floats(-1, 1.5), st.sampled_from(["1", 0, float("nan")])),
       height=sizes, channels=st.one_of(st.integers(-1, 4), st.none()),
       classes=st.integers(-2, 12))
def test_cifar_resnet_arguments(depth, shortcut, norm, width, height, channels, classes):
    try:
        model = kr.CifarResNet(depth=depth, shortcut=shortcut, norm=norm, width=width,
                               input_shape=(height, height, channels), classes=classes)
    except (ValueError, TypeError) as err:
        ok, text = clear(err)
        assert ok, text
        return
    assert model.output_shape == (None, classes)


@SETTINGS
@given(height=sizes, depth=st.integers(-1, 5), base=st.integers(-1, 6),
       upsampling=st.sampled_from(["transpose", "bilinear", "nearest", None]),
       classes=st.integers(-1, 4))
def test_unet_arguments(height, depth, base, upsampling, classes):
    try:
        model = kr.build("unet", input_shape=(height, height, 1), depth=depth,
                         base_filters=base, upsampling=upsampling, classes=classes)
    except (ValueError, TypeError) as err:
        ok, text = clear(err)
        assert ok, text
        return
    assert model.output_shape[1:3] == (height, height)
    assert model.output_shape[-1] == classes


@SETTINGS
@given(depth=st.integers(0, 30), growth=st.integers(-1, 6),
       compression=st.one_of(st.floats(-0.5, 1.5), st.sampled_from(["half", float("nan")])))
def test_densenet_bc_arguments(depth, growth, compression):
    try:
        model = DenseNetBC(depth=depth, growth_rate=growth, compression=compression,
                           input_shape=(16, 16, 1))
    except (ValueError, TypeError) as err:
        ok, text = clear(err)
        assert ok, text
        return
    assert model.output_shape == (None, 10)


@SETTINGS
@given(name=st.text(min_size=0, max_size=12))
def test_unknown_names_are_refused_clearly(name):
    if name.lower() in kr.list_models():
        return
    try:
        kr.build(name)
    except ValueError as err:
        assert "Unknown model" in str(err)
