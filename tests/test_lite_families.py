"""Every model family exports to float32 and int8 TFLite for phones (the mobile target) with
builtin ops only (no Flex / custom ops, which the plain LiteRT runtime cannot run), and the
float32 file matches Keras within 1e-4. Small inputs, widths and block counts keep it short
(the plain ImageNet twins differ from the ResNets only by their missing Add, which the CIFAR
twin covers); the ops the XNNPACK delegate leaves to LiteRT are in each verify report."""

import numpy as np
import pytest

import keras_resnets
from keras_resnets import lite
from keras_resnets.densenet import DenseNet
from keras_resnets.resnet import ResNet
from keras_resnets.lite.runtime import custom_ops, list_ops, load_interpreter, undelegated_ops

def _resnet(block, **layout):
    """An ImageNet-layout ResNet with one block per stage: the family's layers and ops
    (stem, block, shortcut projections, head) at a quarter of ResNet-18's conversion time."""
    return lambda **o: ResNet((1, 1, 1, 1), block=block, use_bias=block == "bottleneck",
                              **layout, **o)


FAMILIES = {
    "resnet v1 basic (resnet18/34)": (_resnet("basic"), dict(input_shape=(32, 32, 3),
                                                             width=0.125)),
    "resnet v1 bottleneck (resnet50+)": (_resnet("bottleneck"), dict(input_shape=(32, 32, 3),
                                                                     width=0.0625)),
    "resnet v2 (resnet50v2+)": (_resnet("bottleneck", preact=True, stride_position="last"),
                                dict(input_shape=(32, 32, 3), width=0.0625)),
    "cifar resnet (resnet20)": ("resnet20", dict(input_shape=(28, 28, 1), depth=8)),
    "pre-activation cifar (preact_resnet164)": ("preact_resnet164",
                                                dict(input_shape=(28, 28, 1), depth=11)),
    "plain cifar twin (plain20)": ("plain20", dict(input_shape=(28, 28, 1), depth=8)),
    # densenet121's builder with fewer layers per block (its 121 layers take long to build)
    "densenet (imagenet stem)": (DenseNet, dict(blocks=(2, 2, 2, 2), growth_rate=4,
                                                input_shape=(32, 32, 3))),
    "densenet-bc (densenet_bc100)": ("densenet_bc100", dict(input_shape=(28, 28, 1),
                                                            depth=10, growth_rate=4)),
    "unet transpose": ("unet", dict(input_shape=(32, 32, 1), depth=2, base_filters=4,
                                    upsampling="transpose")),
    "unet bilinear": ("unet", dict(input_shape=(32, 32, 3), depth=2, base_filters=4,
                                   upsampling="bilinear")),
    # unet_resnet34's decoder on the ResNet-18 encoder: the same layers, half the blocks
    "unet resnet encoder (unet_resnet34)": (
        "unet_resnet34", dict(input_shape=(32, 32, 3), base_filters=4, encoder="resnet18")),
}


@pytest.mark.slow
@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_exports_with_builtin_ops_only(family, tmp_path):
    builder, options = FAMILIES[family]
    build = (lambda **o: keras_resnets.build(builder, **o)) if isinstance(builder, str) \
        else builder
    model = build(classes=3, include_preprocessing=True, **options)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (4, *options["input_shape"]), dtype=np.uint8)
    for mode in ("none", "int8"):
        path = str(tmp_path / f"{mode}.tflite")
        lite.export_tflite(model, path, mode, representative_data=images)
        assert custom_ops(path) == [], (family, mode)
        ops = list_ops(path)
        # allocating resolves every op and applies XNNPACK: the ops it leaves are listed
        assert set(undelegated_ops(path)) <= set(ops)
        if mode == "none":
            report = lite.verify_tflite(path, model, images, latency_runs=1, write=False)
            assert report["max_abs_diff"] < 1e-4, (family, report["max_abs_diff"])
        else:  # int8 accuracy is measured on trained models (test_lite, saved_models)
            assert "QUANTIZE" in ops and "DEQUANTIZE" in ops, ops
            assert load_interpreter(path).get_input_details()[0]["dtype"] == np.float32


def test_custom_ops_finds_flex_ops(tmp_path):
    from ai_edge_litert import schema_py_generated as schema
    import flatbuffers

    model = keras_resnets.build("resnet20", input_shape=(28, 28, 1), depth=8, classes=3)
    path = str(tmp_path / "model.tflite")
    lite.export_tflite(model, path)
    assert custom_ops(path) == []
    with open(path, "rb") as f:
        content = f.read()
    flat = schema.ModelT.InitFromObj(schema.Model.GetRootAs(content, 0))
    code = flat.operatorCodes[0]  # make the first op a Flex op, as SELECT_TF_OPS writes
    code.builtinCode = code.deprecatedBuiltinCode = schema.BuiltinOperator.CUSTOM
    code.customCode = "FlexConv2D"
    builder = flatbuffers.Builder(0)
    builder.Finish(flat.Pack(builder), b"TFL3")
    flex = tmp_path / "flex.tflite"
    flex.write_bytes(bytes(builder.Output()))
    assert custom_ops(flex) == ["FlexConv2D"]
