"""keras-resnets: residual networks (and their plain twins), DenseNets and U-Nets for Keras 3.

    import keras_resnets
    model = keras_resnets.build("resnet20", input_shape=(28, 28, 1))
"""

import os

# TensorFlow turns oneDNN on by default only on CPUs with AVX-512-class features; on AVX2
# CPUs its convolution gradients are several times faster than the default kernels
# (benchmarks/training.py). Set TF_ENABLE_ONEDNN_OPTS=0 to opt out. It must be set before
# TensorFlow is imported, so it only applies if keras_resnets is imported first.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


from keras_resnets import blocks
from keras_resnets import probes
from keras_resnets.blocks import (
    basic_block,
    bottleneck_block,
    preact_basic_block,
    preact_bottleneck_block,
    residual_stage,
)
from keras_resnets.densenet import (
    DenseNet,
    DenseNet121,
    DenseNet169,
    DenseNet201,
    DenseNet264,
    DenseNetBC,
    dense_block,
    dense_conv_block,
    transition_block,
)
from keras_resnets.layers import ZeroPadChannels
from keras_resnets.registry import ModelSpec, build, list_models, model_spec
from keras_resnets.resnet import (
    CifarResNet,
    PreActResNet,
    ResNet,
    ResNet18,
    ResNet34,
    ResNet50,
    ResNet50V2,
    ResNet101,
    ResNet101V2,
    ResNet152,
    ResNet152V2,
    ResNet200,
    ResNet200V2,
)
from keras_resnets.unet import (
    UNet,
    unet_conv_block,
    unet_decoder_stage,
    unet_encoder_stage,
    unet_resnet34,
)

__version__ = "0.1.0"
