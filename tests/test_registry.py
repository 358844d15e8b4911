import pytest

import keras_resnets as kr

ISSUE_NAMES = """resnet18 resnet34 resnet50 resnet101 resnet152 resnet200 resnet50v2 resnet101v2
resnet152v2 resnet200v2 resnet20 resnet32 resnet44 resnet56 resnet110 resnet1202 plain20 plain32
plain44 plain56 plain110 plain1202 plain18 plain34 preact_resnet164 preact_resnet1001
densenet121 densenet169 densenet201 densenet264 densenet_bc100 unet unet_resnet34""".split()


def test_every_named_model_is_registered_and_sorted():
    names = kr.list_models()
    assert names == sorted(names)
    assert set(ISSUE_NAMES) <= set(names)


def test_build_applies_overrides():
    model = kr.build("plain20", input_shape=(28, 28, 1), classes=3)
    assert model.name == "plain20"
    assert model.output_shape == (None, 3)
    assert not any(type(l).__name__ == "Add" for l in model.layers)


def test_unknown_name_suggests_close_ones():
    with pytest.raises(ValueError, match=r"Unknown model 'resnet21'.*Did you mean:.*resnet20"):
        kr.build("resnet21")
    with pytest.raises(ValueError, match="list_models"):
        kr.build("vgg16")
    with pytest.raises(TypeError, match="must be a string"):
        kr.build(20)


def test_unknown_override_is_refused_before_building():
    with pytest.raises(TypeError, match=r"'resnet20' does not take 'dropout'.*It takes:.*skip"):
        kr.build("resnet20", dropout=0.5)


def test_names_are_case_insensitive():
    assert kr.build("ResNet20", input_shape=(16, 16, 1)).name == "resnet20"


def test_registering_twice_is_an_error():
    from keras_resnets.registry import register

    with pytest.raises(ValueError, match="already registered"):
        register("resnet20", kr.CifarResNet)
