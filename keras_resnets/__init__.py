"""keras-resnets: residual networks (and their plain twins), DenseNets and U-Nets for Keras 3.

    import keras_resnets
    model = keras_resnets.build("resnet20", input_shape=(28, 28, 1))

Importing the package loads nothing else: each public name below imports its module (and
Keras) when first used (PEP 562), and sets nothing in the process environment. The
command line sets its TensorFlow defaults itself (`keras_resnets.tensorflow_flags`).
"""

from keras_resnets import _lazy

__version__ = "0.1.0"

# The public names, by the module that defines them.
_LAZY = {
    "keras_resnets.blocks": ("basic_block", "bottleneck_block", "preact_basic_block",
                             "preact_bottleneck_block", "residual_stage"),
    "keras_resnets.densenet": ("DenseNet", "DenseNet121", "DenseNet169", "DenseNet201",
                               "DenseNet264", "DenseNetBC", "dense_block", "dense_conv_block",
                               "transition_block"),
    "keras_resnets.layers": ("ZeroPadChannels",),
    "keras_resnets.registry": ("ModelSpec", "build", "list_models", "model_spec"),
    "keras_resnets.resnet": ("CifarResNet", "PreActResNet", "ResNet", "ResNet18", "ResNet34",
                             "ResNet50", "ResNet50V2", "ResNet101", "ResNet101V2", "ResNet152",
                             "ResNet152V2", "ResNet200", "ResNet200V2"),
    "keras_resnets.unet": ("UNet", "unet_conv_block", "unet_decoder_stage",
                           "unet_encoder_stage", "unet_resnet34"),
}
__getattr__, __dir__, __all__ = _lazy.attach(__name__, _LAZY)
