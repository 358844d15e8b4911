"""Densely connected networks: one generic builder, `DenseNet`, behind the named ones.

Reference:
    Huang, Liu, van der Maaten, Weinberger 2017, "Densely Connected Convolutional Networks"
        (CVPR 2017, arXiv:1608.06993): the ImageNet DenseNet-121/169/201/264 of table 1
        and the CIFAR DenseNet-BC of section 4.

Every layer of a dense block reads the concatenation of the block's input and of all the
feature maps the block's earlier layers produced, and adds ``growth_rate`` channels of its
own. Transition layers between the blocks compress the channels and halve the spatial
size; nothing is concatenated across a transition (the concatenation lives inside a
dense block only).

Layer names follow keras.applications' ``densenet.py`` (``conv2_block1_0_bn`` ...
``conv2_block1_concat``, ``pool2_conv``, ``bn``), so its ImageNet weights line up.
"""

import math

import keras
from keras import layers

from keras_resnets import applications as app
from keras_resnets import stems
from keras_resnets.blocks import conv, norm_layer
from keras_resnets.heads import classifier_head
from keras_resnets.registration import ModelSpec, register
from keras_resnets.validation import (
    NORMS,
    check_bool,
    check_choice,
    check_float,
    check_head_args,
    check_initializer,
    check_int,
    check_int_sequence,
    check_model_size,
)

HUANG_2017 = ("Huang, Liu, van der Maaten, Weinberger 2017, \"Densely Connected "
              "Convolutional Networks\" (CVPR 2017, arXiv:1608.06993)")
BOTTLENECK_WIDTH = 4  # The 1x1 bottleneck convolution makes 4 * growth_rate channels.


def _check_compression(compression):
    return check_float("compression", compression, low=0.0, high=1.0, low_open=True)


def dense_conv_block(x, growth_rate, bottleneck=True, norm="batch",
                     kernel_initializer="he_normal", name="block"):
    """One layer of a dense block: its new feature maps, concatenated to its input.

    With ``bottleneck`` (DenseNet-B, Huang et al. 2017, section 3), the layer is
    BN-ReLU-Conv(1x1, ``4 * growth_rate``)-BN-ReLU-Conv(3x3, ``growth_rate``), named
    ``{name}_0_bn``, ``{name}_0_relu``, ``{name}_1_conv``, ``{name}_1_bn``,
    ``{name}_1_relu``, ``{name}_2_conv`` and ``{name}_concat`` as in keras.applications.
    Without it, the layer is BN-ReLU-Conv(3x3, ``growth_rate``) (``{name}_0_bn``,
    ``{name}_0_relu``, ``{name}_2_conv``, ``{name}_concat``: the 3x3 convolution keeps
    its name).

    Args:
        x: the input tensor (channels last).
        growth_rate: ``k``, the number of channels the layer adds.
        bottleneck: put the 1x1 bottleneck convolution before the 3x3 one.
        norm: "batch" for BatchNormalization before each convolution; None for none
            (the convolutions then carry a bias).
        kernel_initializer: initializer of the convolution kernels.
        name: prefix of the layer names.

    Returns:
        ``concat([x, new])``, with ``x.shape[-1] + growth_rate`` channels and ``x``'s
        spatial size.
    """
    check_int("growth_rate", growth_rate, minimum=1)
    check_bool("bottleneck", bottleneck)
    check_choice("norm", norm, NORMS)
    bias = norm is None
    y = norm_layer(x, norm, f"{name}_0_bn")
    y = layers.Activation("relu", name=f"{name}_0_relu")(y)
    if bottleneck:
        y = conv(y, BOTTLENECK_WIDTH * growth_rate, 1, use_bias=bias,
                 kernel_initializer=kernel_initializer, name=f"{name}_1_conv")
        y = norm_layer(y, norm, f"{name}_1_bn")
        y = layers.Activation("relu", name=f"{name}_1_relu")(y)
    y = conv(y, growth_rate, 3, use_bias=bias, kernel_initializer=kernel_initializer,
             name=f"{name}_2_conv")
    return layers.Concatenate(axis=-1, name=f"{name}_concat")([x, y])


def dense_block(x, blocks, growth_rate, bottleneck=True, norm="batch",
                kernel_initializer="he_normal", name="conv2"):
    """A dense block of ``blocks`` layers named ``{name}_block1`` ... ``{name}_block{blocks}``
    (Huang et al. 2017, figure 1); see `dense_conv_block` for the other arguments.

    Returns a tensor with ``x.shape[-1] + blocks * growth_rate`` channels and ``x``'s
    spatial size.
    """
    check_int("blocks", blocks, minimum=1)
    for i in range(1, blocks + 1):
        x = dense_conv_block(x, growth_rate, bottleneck=bottleneck, norm=norm,
                             kernel_initializer=kernel_initializer, name=f"{name}_block{i}")
    return x


def transition_block(x, compression=0.5, norm="batch", kernel_initializer="he_normal",
                     name="pool2"):
    """A transition layer between dense blocks (Huang et al. 2017, section 3): BN-ReLU,
    a 1x1 convolution to ``floor(channels * compression)`` channels (at least 1), and 2x2
    average pooling with stride 2. Layers ``{name}_bn``, ``{name}_relu``, ``{name}_conv``
    and ``{name}_pool``.

    Args:
        x: the input tensor (channels last).
        compression: ``theta`` in (0, 1], the fraction of channels kept (DenseNet-C,
            0.5 in the paper); 1 keeps them all.
        norm, kernel_initializer: as in `dense_conv_block`.
        name: prefix of the layer names.

    Returns:
        The compressed tensor, with half the input's height and width (rounded down).
    """
    compression = _check_compression(compression)
    check_choice("norm", norm, NORMS)
    channels = max(1, int(math.floor(x.shape[-1] * compression)))
    x = norm_layer(x, norm, f"{name}_bn")
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = conv(x, channels, 1, use_bias=norm is None, kernel_initializer=kernel_initializer,
             name=f"{name}_conv")
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(
    blocks,
    growth_rate=32,
    compression=0.5,
    bottleneck=True,
    stem="imagenet",
    stem_filters=None,
    norm="batch",
    kernel_initializer="he_normal",
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=False,
    name="densenet",
    weights_reference=None,
    allow_large=False,
):
    """Builds a densely connected network (Huang et al. 2017) as a functional `keras.Model`.

    The layout is a stem, the dense blocks ``conv2``, ``conv3``, ... separated by the
    transitions ``pool2``, ``pool3``, ..., a final BN-ReLU (``bn``, ``relu``) and the
    classifier. With the "imagenet" stem and ``growth_rate=32, compression=0.5``, it is
    keras.applications' DenseNet layer for layer (same weights in the same order and
    shapes, so its ImageNet weights load).

    Args:
        blocks: the number of layers of each dense block, e.g. (6, 12, 24, 16).
        growth_rate: ``k``, the channels each layer of a dense block adds.
        compression: ``theta`` in (0, 1], the fraction of channels a transition keeps
            (0.5 for DenseNet-BC, 1 for the uncompressed DenseNet).
        bottleneck: 1x1 bottleneck convolutions of ``4k`` channels in the dense layers
            (DenseNet-B).
        stem: "imagenet" (7x7/2 convolution, BN-ReLU, 3x3/2 max pooling) or "cifar" (one
            3x3 convolution, section 4 of the paper).
        stem_filters: channels of the stem convolution; None for ``2 * growth_rate`` (the
            paper's choice, 64 for the ImageNet networks).
        norm: "batch" for BatchNormalization, None for none (convolutions carry a bias).
        kernel_initializer: initializer of every convolution kernel.
        include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation: as in keras.applications.
        include_preprocessing: scale raw [0, 255] pixels to [-1, 1] inside the model.
        name: the model's name.
        weights_reference: keras.applications builder whose "imagenet" weights fit this
            network (set by the named builders that have them).
        allow_large: build networks over the library's bounds on depth and parameters
            (`keras_resnets.validation.MAX_DEPTH`, `MAX_PARAMS`).
    """
    blocks = check_int_sequence("blocks", blocks, minimum=1)
    check_int("growth_rate", growth_rate, minimum=1)
    compression = _check_compression(compression)
    check_bool("bottleneck", bottleneck)
    check_choice("stem", stem, stems.STEMS)
    if stem_filters is not None:
        check_int("stem_filters", stem_filters, minimum=1)
    check_choice("norm", norm, NORMS)
    check_initializer("kernel_initializer", kernel_initializer)
    check_head_args(include_top, pooling, classes, classifier_activation)
    app.check_weights(weights, name, weights_reference)
    if stem_filters is None:
        stem_filters = 2 * growth_rate

    inputs = app.image_input(input_shape, input_tensor, stems.DEFAULT_INPUT_SHAPES[stem],
                             min_size=stems.min_input_size(stem, len(blocks)))
    check_model_size(name, 2 + len(blocks) - 1 + sum(blocks) * (2 if bottleneck else 1),
                     _estimate_params(blocks, growth_rate, compression, bottleneck,
                                      stem_filters, stems.KERNEL_SIZES[stem],
                                      int(inputs.shape[-1]), classes if include_top else 0),
                     allow_large)
    x = app.preprocessing(inputs, include_preprocessing)
    # The CIFAR stem is a lone convolution: the first dense layer starts with BN-ReLU.
    x = stems.apply_stem(x, stem, stem_filters, norm=norm, use_bias=norm is None,
                         kernel_initializer=kernel_initializer,
                         activate=stem == "imagenet", pool_name="pool1")

    for i, n in enumerate(blocks):
        x = dense_block(x, n, growth_rate, bottleneck=bottleneck, norm=norm,
                        kernel_initializer=kernel_initializer, name=f"conv{i + 2}")
        if i < len(blocks) - 1:
            x = transition_block(x, compression, norm=norm,
                                 kernel_initializer=kernel_initializer, name=f"pool{i + 2}")
    x = norm_layer(x, norm, "bn")
    x = layers.Activation("relu", name="relu")(x)

    outputs = classifier_head(x, include_top, pooling, classes, classifier_activation)
    model = app.make_model(inputs, input_tensor, outputs, name)
    return app.load_weights(model, weights, weights_reference)


def _estimate_params(blocks, growth_rate, compression, bottleneck, stem_filters,
                     stem_kernel, channels, classes):
    """Convolution and classifier weights, computed from the arguments before anything is
    built (normalization left out)."""
    params = stem_kernel ** 2 * channels * stem_filters
    width = stem_filters
    for i, n in enumerate(blocks):
        for _ in range(n):
            if bottleneck:
                params += width * 4 * growth_rate + 9 * 4 * growth_rate * growth_rate
            else:
                params += 9 * width * growth_rate
            width += growth_rate
        if i < len(blocks) - 1:
            params += width * int(width * compression)
            width = int(width * compression)
    return params + width * classes


# --- ImageNet DenseNets (Huang et al. 2017, table 1) --------------------------------------

IMAGENET_BLOCKS = {
    121: (6, 12, 24, 16),
    169: (6, 12, 32, 32),
    201: (6, 12, 48, 32),
    264: (6, 12, 64, 48),
}

_REFERENCES = {121: "DenseNet121", 169: "DenseNet169", 201: "DenseNet201"}


def imagenet_densenet(depth, include_top=True, weights=None, input_tensor=None,
                      input_shape=None, pooling=None, classes=1000,
                      classifier_activation="softmax", **options):
    """ImageNet DenseNet-BC of ``depth`` in (121, 169, 201, 264): ``k = 32``,
    ``theta = 0.5``, bottlenecks, the 7x7 stem with 64 filters. Depths 121, 169 and 201
    reproduce keras.applications' models, whose ImageNet weights load; 264 has none."""
    check_choice("depth", depth, tuple(IMAGENET_BLOCKS))
    reference = _REFERENCES.get(depth)
    defaults = dict(
        growth_rate=32,
        compression=0.5,
        bottleneck=True,
        stem="imagenet",
        name=f"densenet{depth}",
        weights_reference=getattr(keras.applications, reference) if reference else None,
    )
    defaults.update(options)
    return DenseNet(IMAGENET_BLOCKS[depth], include_top=include_top, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                    classes=classes, classifier_activation=classifier_activation,
                    **defaults)


def _named(depth):
    return app.named_builder(
        imagenet_densenet, f"DenseNet{depth}",
        f"DenseNet-{depth} (Huang et al. 2017, table 1; dense blocks of "
        f"{IMAGENET_BLOCKS[depth]} layers) for ImageNet-size inputs, with "
        "keras.applications' arguments.\n\n"
        "``**options`` are the options of `keras_resnets.densenet.DenseNet` (growth_rate, "
        "compression, norm, include_preprocessing, ...).",
        depth=depth)


DenseNet121 = _named(121)
DenseNet169 = _named(169)
DenseNet201 = _named(201)
DenseNet264 = _named(264)


# --- CIFAR DenseNet-BC (Huang et al. 2017, section 4) -------------------------------------

def DenseNetBC(depth=100, growth_rate=12, compression=0.5, include_top=True, weights=None,
               input_tensor=None, input_shape=None, pooling=None, classes=10,
               classifier_activation="softmax", **options):
    """The CIFAR DenseNet-BC of Huang et al. 2017, section 4: a 3x3 stem convolution of
    ``2 * growth_rate`` filters, three dense blocks of ``(depth - 4) / 6`` bottleneck
    layers (each two convolutions), transitions with compression ``theta``, global
    average pooling and a classifier (DenseNet-BC L=100, k=12: about 0.8M parameters).
    Any number of input channels; 32x32 by default.

    Args:
        depth: ``L``, the number of weight layers; ``(depth - 4)`` must be a multiple of 6
            (40, 100, 190, 250 in the paper).
        growth_rate: ``k`` (12, 24 or 40 in the paper).
        compression: ``theta`` in (0, 1] (0.5 in the paper).
        include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation: as in keras.applications.
        **options: the options of `DenseNet` (norm, stem_filters, include_preprocessing,
            ...).
    """
    check_int("depth", depth, minimum=10)
    if (depth - 4) % 6:
        raise ValueError(
            f"`depth` of a DenseNet-BC must be 6n+4 (40, 100, 190, 250, ...), so that each "
            f"of its 3 dense blocks has (depth - 4) / 6 bottleneck layers. "
            f"Received: depth={depth}"
        )
    n = (depth - 4) // 6
    defaults = dict(bottleneck=True, stem="cifar", name=f"densenet_bc{depth}")
    defaults.update(options)
    return DenseNet((n, n, n), growth_rate=growth_rate, compression=compression,
                    include_top=include_top, weights=weights, input_tensor=input_tensor,
                    input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation, **defaults)


# --- registry -----------------------------------------------------------------------------

def _spec(name, depth, blocks, stem, params, imagenet_weights=False):
    """The `ModelSpec` of a registered DenseNet: its features are each dense block's
    output (before the transition) and, last, the final BN-ReLU's."""
    features = tuple(f"conv{i + 2}_block{n}_concat" for i, n in enumerate(blocks[:-1]))
    features += ("relu",)
    strides = tuple(stems.STRIDES[stem] * 2 ** i for i in range(len(blocks)))
    if stem == "imagenet":
        features, strides = ("conv1_relu",) + features, (2,) + strides
    return ModelSpec(
        name=name, family="densenet", block="dense", preact=True, depth=depth,
        input_shape=stems.DEFAULT_INPUT_SHAPES[stem],
        classes=1000 if stem == "imagenet" else 10, params=params, paper=HUANG_2017,
        feature_layers=features, feature_strides=strides,
        stages=tuple((f"conv{i + 2}", n) for i, n in enumerate(blocks)),
        imagenet_weights=imagenet_weights)


# Parameters at the registered defaults (1000 classes for ImageNet, 10 for DenseNet-BC).
_PARAMS = {121: 8_062_504, 169: 14_307_880, 201: 20_242_984, 264: 33_736_232}

for _depth, _builder in ((121, DenseNet121), (169, DenseNet169), (201, DenseNet201),
                         (264, DenseNet264)):
    register(f"densenet{_depth}", _builder, forwards_to=DenseNet,
             spec=_spec(f"densenet{_depth}", _depth, IMAGENET_BLOCKS[_depth], "imagenet",
                        _PARAMS[_depth], imagenet_weights=_depth in _REFERENCES))
register("densenet_bc100", DenseNetBC, forwards_to=DenseNet, depth=100,
         spec=_spec("densenet_bc100", 100, (16, 16, 16), "cifar", 793_150))
