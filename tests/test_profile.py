import keras
import pytest

import keras_resnets as kr
from keras_resnets.profile import model_profile


def test_resnet20_profile():
    p = model_profile(kr.build("resnet20", input_shape=(32, 32, 3)))
    assert p["depth"] == 20
    assert p["residual_blocks"] == 9
    assert p["paths"] == 2 ** 9
    assert p["trainable_params"] == 269_722
    # He et al. 2015 count ~41M multiply-adds for ResNet-20 on 32x32; FLOPs are 2x.
    assert 80e6 < p["flops"] < 83e6


def test_plain_twin_has_one_path_and_same_flops():
    res = model_profile(kr.build("resnet56", input_shape=(28, 28, 1)))
    plain = model_profile(kr.build("plain56", input_shape=(28, 28, 1)))
    assert plain["paths"] == 1 and plain["residual_blocks"] == 0
    assert plain["depth"] == res["depth"] == 56
    assert plain["flops"] == res["flops"]
    assert res["log2_paths"] == 27


def test_resnet50_flops_and_depth():
    p = model_profile(kr.ResNet50())
    assert p["depth"] == 50
    assert 7.6e9 < p["flops"] < 7.8e9  # 3.86 GMACs at 224x224 (keras.applications layout)


def test_hand_counted_flops():
    x = keras.Input((8, 8, 3))
    y = keras.layers.Conv2D(4, 3, padding="same")(x)
    y = keras.layers.GlobalAveragePooling2D()(y)
    y = keras.layers.Dense(2)(y)
    p = model_profile(keras.Model(x, y))
    assert p["flops"] == 2 * (8 * 8 * 3 * 3 * 3 * 4) + 2 * 4 * 2
    assert p["depth"] == 2 and p["paths"] == 1


def test_profile_refuses_non_models():
    with pytest.raises(TypeError, match="keras.Model"):
        model_profile("resnet20")
