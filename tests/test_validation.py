import pytest

from keras_resnets import validation as v


def test_check_int_accepts_and_refuses():
    assert v.check_int("n", 3, minimum=1) == 3
    with pytest.raises(TypeError, match=r"`n` must be an integer. Received: n=2.5"):
        v.check_int("n", 2.5)
    with pytest.raises(TypeError, match="n=True"):
        v.check_int("n", True)
    with pytest.raises(ValueError, match=r"`n` must be >= 1. Received: n=0"):
        v.check_int("n", 0, minimum=1)


def test_check_float_bounds():
    assert v.check_float("c", 1, low=0, high=1, low_open=True) == 1.0
    with pytest.raises(ValueError, match=r"\(0.0, 1.0\]. Received: c=0"):
        v.check_float("c", 0, low=0.0, high=1.0, low_open=True)
    with pytest.raises(ValueError, match="NaN"):
        v.check_float("c", float("nan"))


def test_check_choice_is_type_strict():
    assert v.check_choice("norm", None, ("batch", None)) is None
    with pytest.raises(ValueError, match=r"`norm` must be one of 'batch', None. Received: norm='layer'"):
        v.check_choice("norm", "layer", ("batch", None))
    with pytest.raises(ValueError):
        v.check_choice("flag", 1, (True, False))


def test_check_input_shape():
    assert v.check_input_shape("input_shape", (None, 32, 3)) == (None, 32, 3)
    with pytest.raises(ValueError, match="3 entries"):
        v.check_input_shape("input_shape", (32, 32))
    with pytest.raises(ValueError, match="at least 8"):
        v.check_input_shape("input_shape", (4, 4, 3), min_size=8)
    with pytest.raises(ValueError, match="multiples of 16"):
        v.check_input_shape("input_shape", (40, 40, 3), divisor=16)
    with pytest.raises(ValueError, match="channels"):
        v.check_input_shape("input_shape", (32, 32, 0))


# --- bounds of the builders ------------------------------------------------------------------

def test_size_bounds_refuse_before_building_and_can_be_lifted(monkeypatch):
    import keras_resnets as kr

    with pytest.raises(ValueError, match=r"'resnet6000002' would have 6,000,002 weight layers, "
                                         r"over the bound of 2,000; pass allow_large=True"):
        kr.CifarResNet(depth=6_000_002)  # refused at once: nothing is built
    with pytest.raises(ValueError, match=r"6,000,004 weight layers"):
        kr.DenseNetBC(depth=6_000_004)
    monkeypatch.setattr(v, "MAX_PARAMS", 10_000)
    with pytest.raises(ValueError, match=r"'resnet8' would have about [\d,]+ parameters, over "
                                         r"the bound of 10,000; pass allow_large=True"):
        kr.CifarResNet(depth=8, input_shape=(16, 16, 1))
    assert kr.build("resnet20", depth=8, input_shape=(16, 16, 1), allow_large=True)


@pytest.mark.parametrize("name, options", [
    ("resnet20", {}),
    ("resnet50", {"input_shape": (32, 32, 3), "width": 0.25}),
    ("densenet_bc100", {"depth": 40}),
    ("unet", {"depth": 2, "base_filters": 8, "input_shape": (32, 32, 3), "classes": 3}),
])
def test_parameter_estimate_is_close(name, options, monkeypatch):
    import keras_resnets as kr

    estimates = []
    real = v.check_model_size

    def record(model_name, depth, params, allow_large=False):
        estimates.append(params)
        return real(model_name, depth, params, allow_large)

    for module in ("resnet", "densenet", "unet"):
        monkeypatch.setattr(f"keras_resnets.{module}.check_model_size", record)
    model = kr.build(name, **options)
    assert estimates and abs(estimates[-1] / model.count_params() - 1) < 0.1


def test_head_and_width_refusals():
    import keras_resnets as kr

    with pytest.raises(ValueError, match=r"`classes=1` with a softmax always outputs 1\.0; use "
                                         r"classifier_activation='sigmoid'"):
        kr.CifarResNet(depth=8, classes=1)
    assert kr.CifarResNet(depth=8, classes=1, classifier_activation="sigmoid",
                          input_shape=(16, 16, 1)).output_shape == (None, 1)
    with pytest.raises(ValueError, match=r"final_activation='sigmoid'"):
        kr.UNet(classes=1, final_activation="softmax", depth=1, input_shape=(8, 8, 1))
    with pytest.raises(ValueError, match=r"`width` 1e-09 leaves layers with no filter "
                                         r"\(16 x 1e-09 rounds to 0\); the smallest width for "
                                         r"this network is 0\.03125"):
        kr.CifarResNet(depth=8, width=1e-9)


def test_channels_first_is_refused_at_build_time(monkeypatch):
    import keras

    import keras_resnets as kr

    monkeypatch.setattr(keras.config, "image_data_format", lambda: "channels_first")
    for build in (lambda: kr.ResNet50(), lambda: kr.DenseNetBC(depth=40),
                  lambda: kr.UNet(depth=1, input_shape=(8, 8, 1))):
        with pytest.raises(ValueError, match=r"builds channels_last models only"):
            build()
