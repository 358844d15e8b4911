"""int8 exports keep the residual ADDs and the head in float (``int8_float_ops``), so the
residual stream and the logits carry no int8 rounding; the convolutions stay int8, the ops
stay builtin and MediaPipe Tasks still opens the file."""

import numpy as np
import pytest

from keras_resnets import lite
from keras_resnets.lite import mediapipe_tasks, runtime

from fakes import fashion_samples, tiny_fashion_classifier

HEAD = {"MEAN", "FULLY_CONNECTED", "SOFTMAX"}


@pytest.fixture(scope="module")
def samples():
    return fashion_samples(test=8, train=16)


@pytest.fixture(scope="module")
def exports(samples, tmp_path_factory):
    images, _, names, calibration = samples
    model = tiny_fashion_classifier()
    out = tmp_path_factory.mktemp("int8")
    paths = {"default": str(out / "default.tflite"), "all": str(out / "all.tflite")}
    lite.export_tflite(model, paths["default"], "int8", representative_data=calibration,
                       labels=names)
    lite.export_tflite(model, paths["all"], "int8", representative_data=calibration,
                       int8_float_ops=())
    return model, paths


def _output_dtypes(path):
    """{op name: set of its output tensors' dtypes} of the file in ``path``."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interpreter = Interpreter(
        model_path=path,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    dtypes = {d["index"]: np.dtype(d["dtype"]).name for d in interpreter.get_tensor_details()}
    found = {}
    for op in runtime._ops_details(interpreter):
        found.setdefault(op["op_name"], set()).update(dtypes[i] for i in op["outputs"])
    return found


def test_residual_adds_and_head_stay_float(exports):
    _, paths = exports
    dtypes = _output_dtypes(paths["default"])
    assert set(lite.INT8_FLOAT_OPS) == {"ADD"} | HEAD
    for op in {"ADD"} | HEAD:
        assert dtypes[op] == {"float32"}, (op, dtypes[op])
    assert dtypes["CONV_2D"] == {"int8"}
    assert not runtime.custom_ops(paths["default"])


def test_empty_float_ops_quantizes_every_op(exports):
    _, paths = exports
    dtypes = _output_dtypes(paths["all"])
    for op in ("ADD", "CONV_2D", "MEAN", "FULLY_CONNECTED", "SOFTMAX"):
        assert dtypes[op] == {"int8"}, (op, dtypes[op])


def test_mediapipe_opens_it_and_agrees_with_litert(exports, samples):
    model, paths = exports
    images, _, names, _ = samples
    scores, read_names = mediapipe_tasks.classify(paths["default"], images, (28, 28))
    assert read_names == list(names)
    litert = runtime.run(runtime.load_interpreter(paths["default"]),
                         lite.prepare_images(images, (28, 28, 3)))
    np.testing.assert_array_equal(scores.argmax(-1), litert.argmax(-1))
    keras_out = model.predict(lite.prepare_images(images, (28, 28, 1)), verbose=0)
    # float logits and softmax: only the convolutions' int8 rounding remains
    assert np.abs(litert - keras_out).max() < 0.1


@pytest.mark.parametrize("bad", ["ADD", ["NOT_AN_OP"], ["QUANTIZE"]])
def test_bad_float_ops_are_refused(bad, samples, tmp_path):
    with pytest.raises(ValueError, match="int8_float_ops"):
        lite.export_tflite(tiny_fashion_classifier(), str(tmp_path / "x.tflite"), "int8",
                           representative_data=samples[3], int8_float_ops=bad)
