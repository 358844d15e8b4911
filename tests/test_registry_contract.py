"""The registry's contract, for every name `list_models()` returns (as keras' MODEL_LIST
tests and timm's test_models.py): the model builds at a small input, named after its
registry entry; its parameter count is the one pinned below and the one its `ModelSpec`
states; its spec's feature layers exist at the spec's strides; it round-trips through
`.keras` with ``safe_mode=True``; its plain twin has the same weight layers minus the
shortcut projections.

Building is Keras' per-layer work whatever the input size, and this file has to stay
well under 90 s on the project's loaded 2-core machine, so:
- the networks of more than about 200 layers (`HEAVY`: 3 to 60 s each there) are built
  only with ``KERAS_RESNETS_ALL_MODELS=1``; every run checks their specs against the
  table, and test_deep_models.py, test_resnet.py and test_densenet.py build most of them
  and compare with their specs;
- the `.keras` round-trip runs once per group of registered models that differ only in
  depth or in their shortcuts (`round_trip_groups`), on the shallowest residual one, which
  a documented override (`ROUND_TRIP_OVERRIDES`) makes shallower still where it is deep;
  the ImageNet DenseNets' round-trip needs ``KERAS_RESNETS_ALL_MODELS=1`` (their stem is
  the ResNets' one, `keras_resnets.stems`, their blocks densenet_bc100's).
"""

import dataclasses
import functools
import os

import keras
import numpy as np
import pytest

import keras_resnets as kr
from keras_resnets.registry import FAMILIES

# Parameters (as Keras counts them: BatchNorm moving statistics included) of every
# registered model at its registered defaults: 1000 classes for the ImageNet networks,
# 10 for the CIFAR ones, 1 for the U-Nets, 3 input channels. With global pooling (and for
# the fully convolutional U-Nets) the count does not depend on the input's height and
# width, so the models are built at small inputs.
PARAMS = {
    "densenet121": 8_062_504,
    "densenet169": 14_307_880,
    "densenet201": 20_242_984,
    "densenet264": 33_736_232,
    "densenet_bc100": 793_150,
    "plain110": 1_736_058,
    "plain1202": 19_510_906,
    "plain18": 11_523_496,
    "plain20": 271_098,
    "plain32": 466_426,
    "plain34": 21_639_080,
    "plain44": 661_754,
    "plain56": 857_082,
    "preact_resnet1001": 10_527_098,
    "preact_resnet164": 1_735_994,
    "resnet101": 44_707_176,
    "resnet101v2": 44_675_560,
    "resnet110": 1_736_058,
    "resnet1202": 19_510_906,
    "resnet152": 60_419_944,
    "resnet152v2": 60_380_648,
    "resnet18": 11_699_112,
    "resnet20": 271_098,
    "resnet200": 64_937_832,
    "resnet200v2": 64_894_440,
    "resnet32": 466_426,
    "resnet34": 21_814_696,
    "resnet44": 661_754,
    "resnet50": 25_636_712,
    "resnet50v2": 25_613_800,
    "resnet56": 857_082,
    "unet": 31_049_409,
    "unet_resnet34": 24_368_449,
}

HEAVY = {"resnet101", "resnet101v2", "resnet152", "resnet152v2", "resnet200", "resnet200v2",
         "resnet110", "plain110", "resnet1202", "plain1202", "preact_resnet164",
         "preact_resnet1001", "densenet121", "densenet169", "densenet201", "densenet264",
         "densenet_bc100"}
ALL = os.environ.get("KERAS_RESNETS_ALL_MODELS") == "1"
BUILT = sorted(name for name in PARAMS if ALL or name not in HEAVY)
TWINS = sorted(name for name in BUILT if kr.model_spec(name).plain_twin in BUILT)
# The same builder and configuration with fewer blocks (depth) or filters (width,
# base_filters): the same layers and options, a fraction of the weights to write and read.
ROUND_TRIP_OVERRIDES = {
    "preact_resnet164": {"depth": 11},
    "densenet_bc100": {"depth": 10},
    "resnet18": {"width": 0.25},
    "resnet50": {"width": 0.25},
    "resnet50v2": {"width": 0.25},
    "unet": {"base_filters": 8},
}


def round_trip_groups():
    """{shallowest registered model: the models that differ from it only in depth, or in
    lacking its shortcuts (a plain twin's layers are a subset of its residual twin's)}."""
    groups = {}
    for name in PARAMS:
        spec = kr.model_spec(name)
        family = "resnet" if spec.family == "plain" else spec.family
        key = (family, spec.block, spec.preact, spec.input_shape, spec.encoder)
        groups.setdefault(key, []).append(spec)
    return {min(specs, key=lambda s: (s.depth, not s.skips)).name: sorted(s.name for s in specs)
            for specs in groups.values()}


ROUND_TRIPS = sorted(name for name in round_trip_groups()
                     if ALL or name not in HEAVY or name in ROUND_TRIP_OVERRIDES)


def small_shape(spec):
    """The smallest input at which every feature level has at least one pixel."""
    size = max(spec.feature_strides)
    return (size, size, spec.input_shape[-1])


@functools.lru_cache(maxsize=None)
def built(name):
    return kr.build(name, input_shape=small_shape(kr.model_spec(name)))


def weight_layers(model):
    return [(layer.name, [tuple(w.shape) for w in layer.weights])
            for layer in model.layers if layer.weights]


def test_the_table_pins_every_registered_model():
    assert sorted(PARAMS) == kr.list_models()
    assert len(PARAMS) == 33


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_spec_is_complete_and_consistent(name):
    spec = kr.model_spec(name)
    assert kr.model_spec(name.upper()) is spec
    assert spec.name == name and spec.params == PARAMS[name]
    assert spec.family in FAMILIES and spec.block and spec.paper
    assert spec.depth > 0 and spec.classes > 0 and len(spec.input_shape) == 3
    strides = spec.feature_strides
    assert strides and all(b == 2 * a for a, b in zip(strides, strides[1:]))
    assert len(set(spec.feature_layers)) == len(spec.feature_layers)
    assert spec.stages and all(blocks >= 1 for _, blocks in spec.stages)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.params = 0
    if spec.plain_twin:
        assert spec.family == "resnet"
        assert kr.model_spec(spec.plain_twin).residual_twin == name
    if spec.family == "plain":
        assert kr.model_spec(spec.residual_twin).plain_twin == name
    if spec.encoder:
        assert spec.feature_layers == kr.model_spec(spec.encoder).feature_layers
    twin = spec.twin()
    if twin is None:
        assert spec.family == "densenet"
    else:
        twin_name, overrides = twin
        assert twin_name in PARAMS and overrides in ({}, {"skip": False})
        assert kr.model_spec(twin_name).skips != spec.skips or overrides


def test_unknown_names_get_the_same_error_from_spec_and_build():
    for bad in ("resnet21", "vgg16"):
        with pytest.raises(ValueError) as from_build:
            kr.build(bad)
        with pytest.raises(ValueError) as from_spec:
            kr.model_spec(bad)
        assert str(from_spec.value) == str(from_build.value)
    with pytest.raises(TypeError, match="must be a string"):
        kr.model_spec(20)


@pytest.mark.parametrize("name", BUILT)
def test_builds_as_its_spec_says(name):
    spec = kr.model_spec(name)
    model = built(name)
    assert model.name == name
    assert model.count_params() == PARAMS[name] == spec.params
    size = model.input_shape[1]
    for layer, stride in zip(spec.feature_layers, spec.feature_strides):
        assert tuple(model.get_layer(layer).output.shape[1:3]) == (size // stride,) * 2, layer
    stage_layers = {layer.name.split("_block")[0] for layer in model.layers
                    if "_block" in layer.name}
    if spec.family != "unet":
        assert stage_layers == {stage for stage, _ in spec.stages}
    for stage, blocks in spec.stages:
        last = f"{stage}_block{blocks}" if spec.family != "unet" else stage
        assert any(layer.name.startswith(f"{last}_") for layer in model.layers), last


def test_every_model_has_a_round_trip():
    groups = round_trip_groups()
    assert sorted(n for names in groups.values() for n in names) == kr.list_models()
    assert groups["resnet18"] == ["plain18", "plain34", "resnet18", "resnet34"]
    assert groups["resnet50v2"] == ["resnet101v2", "resnet152v2", "resnet200v2",
                                    "resnet50v2"]
    assert len(groups) == 9
    assert set(ROUND_TRIPS) == set(groups) - ({"densenet121"} if not ALL else set())


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_round_trips_through_keras_files_in_safe_mode(name, tmp_path):
    overrides = ROUND_TRIP_OVERRIDES.get(name)
    if not overrides:
        model = built(name)
    else:
        model = kr.build(name, input_shape=small_shape(kr.model_spec(name)), **overrides)
    path = tmp_path / f"{name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert loaded.name == model.name
    for ours, theirs in zip(model.weights, loaded.weights, strict=True):
        assert ours.path == theirs.path
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(ours),
                                      keras.ops.convert_to_numpy(theirs))
    x = np.random.default_rng(0).uniform(0, 1, (2,) + model.input_shape[1:]).astype("float32")
    np.testing.assert_allclose(loaded(x, training=False), model(x, training=False),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", TWINS)
def test_plain_twin_has_the_weight_layers_minus_the_projections(name):
    residual, plain = built(name), built(kr.model_spec(name).plain_twin)
    kept = [(layer, shapes) for layer, shapes in weight_layers(residual)
            if not layer.endswith(("_0_conv", "_0_bn"))]
    assert weight_layers(plain) == kept
    assert not any(isinstance(layer, keras.layers.Add) for layer in plain.layers)
    assert any(isinstance(layer, keras.layers.Add) for layer in residual.layers)
