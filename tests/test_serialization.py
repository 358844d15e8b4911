"""Every family saves to a .keras file that loads with safe_mode=True (no Lambda layers)
and gives identical outputs."""

import keras
import numpy as np
import pytest

import keras_resnets as kr

FAMILIES = {
    "cifar_resnet_option_a": lambda: kr.build("resnet20", input_shape=(16, 16, 1)),
    "plain": lambda: kr.build("plain20", input_shape=(16, 16, 1), include_preprocessing=True),
    "preact_bottleneck": lambda: kr.PreActResNet(depth=11, input_shape=(16, 16, 3)),
    "imagenet_basic": lambda: kr.ResNet18(input_shape=(32, 32, 3), width=0.125, classes=5),
    "imagenet_v2": lambda: kr.ResNet50V2(input_shape=(32, 32, 3), width=0.125, classes=5),
    "densenet_bc": lambda: kr.build("densenet_bc100", input_shape=(16, 16, 1)),
    "unet": lambda: kr.build("unet", input_shape=(32, 32, 1), classes=3, depth=2,
                             base_filters=4, upsampling="bilinear"),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_save_load_safe_mode_identical_outputs(family, tmp_path):
    model = FAMILIES[family]()
    assert not any(isinstance(l, keras.layers.Lambda) for l in model.layers)
    path = str(tmp_path / f"{family}.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    x = np.random.default_rng(0).uniform(0, 255, (2, *model.input_shape[1:])).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]


def test_builders_import_nothing_from_tensorflow():
    import pathlib

    package = pathlib.Path(kr.__file__).parent
    for module in ("blocks", "layers", "resnet", "densenet", "unet", "applications",
                   "registry", "validation", "profile"):
        source = (package / f"{module}.py").read_text()
        assert "import tensorflow" not in source and "from tensorflow" not in source, module
