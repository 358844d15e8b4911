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
