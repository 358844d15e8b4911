"""Residual networks: one generic builder, `ResNet`, behind the named ones.

References:
    He, Zhang, Ren, Sun 2015, "Deep Residual Learning for Image Recognition" (ResNet v1,
        ImageNet depths 18-152 and the 6n+2 CIFAR networks of section 4.2).
    He, Zhang, Ren, Sun 2016, "Identity Mappings in Deep Residual Networks" (pre-activation,
        ResNetV2, the 9n+2 CIFAR networks with 164 and 1001 layers).

Every builder also makes the network's *plain* twin with ``skip=False``.
"""

import keras
from keras import layers

from keras_resnets import applications as app
from keras_resnets import stems
from keras_resnets.blocks import norm_layer, residual_stage
from keras_resnets.heads import classifier_head
from keras_resnets.registration import ModelSpec, register
from keras_resnets.validation import (
    check_block_options,
    check_bool,
    check_choice,
    check_float,
    check_head_args,
    check_int,
    check_int_sequence,
    check_model_size,
)

HE_2015 = ("He, Zhang, Ren, Sun 2015, \"Deep Residual Learning for Image Recognition\" "
           "(CVPR 2016, arXiv:1512.03385)")
HE_2016 = ("He, Zhang, Ren, Sun 2016, \"Identity Mappings in Deep Residual Networks\" "
           "(ECCV 2016, arXiv:1603.05027)")


def ResNet(
    stage_blocks,
    block="basic",
    stage_filters=(64, 128, 256, 512),
    stem="imagenet",
    stem_filters=64,
    preact=False,
    stride_position="first",
    use_bias=False,
    width=1.0,
    skip=True,
    shortcut="B",
    norm="batch",
    zero_init_last=False,
    kernel_initializer="he_normal",
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=False,
    name="resnet",
    weights_reference=None,
    allow_large=False,
):
    """Builds a residual network (or its plain twin) as a functional `keras.Model`.

    Args:
        stage_blocks: number of residual blocks in each stage, e.g. (3, 4, 6, 3).
        block: "basic" (two 3x3 convolutions) or "bottleneck" (1x1 reduce, 3x3, 1x1 expand
            to 4x the stage's filters).
        stage_filters: the filters of each stage (a bottleneck stage outputs 4x as many).
        stem: "imagenet" (7x7/2 convolution and 3x3/2 max pooling) or "cifar" (one 3x3
            convolution, He et al. 2015, 4.2).
        stem_filters: filters of the stem convolution.
        preact: pre-activation blocks and a final BN-ReLU (He et al. 2016).
        stride_position: where each stage after the first downsamples: its "first" block
            (He et al.) or its "last" (keras.applications' ResNetV2 layout).
        use_bias: biases in the stem and bottleneck convolutions (keras.applications).
        width: multiplier of every filter count (Zagoruyko & Komodakis 2016, "Wide
            Residual Networks").
        skip, shortcut, norm, zero_init_last, kernel_initializer: see `keras_resnets.blocks`.
        include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation: as in keras.applications.
        include_preprocessing: scale raw [0, 255] pixels to [-1, 1] inside the model.
        name: the model's name.
        weights_reference: keras.applications builder whose "imagenet" weights fit this
            network (set by the named builders that have them).
        allow_large: build networks over the library's bounds on depth and parameters
            (`keras_resnets.validation.MAX_DEPTH`, `MAX_PARAMS`).
    """
    stage_blocks = check_int_sequence("stage_blocks", stage_blocks, minimum=1)
    stage_filters = check_int_sequence("stage_filters", stage_filters, minimum=1,
                                       length=len(stage_blocks))
    check_choice("block", block, ("basic", "bottleneck"))
    check_choice("stem", stem, stems.STEMS)
    check_int("stem_filters", stem_filters, minimum=1)
    check_bool("preact", preact)
    check_choice("stride_position", stride_position, ("first", "last"))
    check_bool("use_bias", use_bias)
    width = check_float("width", width, low=0.0, high=64.0, low_open=True)
    options = check_block_options(skip, shortcut, norm, zero_init_last, kernel_initializer)
    check_head_args(include_top, pooling, classes, classifier_activation)
    app.check_weights(weights, name, weights_reference)

    narrowest = min(stem_filters, *stage_filters)
    if narrowest * width < 0.5:
        raise ValueError(
            f"`width` {width!r} leaves layers with no filter ({narrowest} x {width!r} rounds "
            f"to 0); the smallest width for this network is {0.5 / narrowest:.4g}. "
            f"Received: width={width!r}"
        )

    def scaled(filters):
        return max(1, int(round(filters * width)))

    inputs = app.image_input(input_shape, input_tensor, stems.DEFAULT_INPUT_SHAPES[stem],
                             min_size=stems.min_input_size(stem, len(stage_blocks)))
    check_model_size(name, _weight_layers(stage_blocks, block),
                     _estimate_params(stage_blocks, block, [scaled(f) for f in stage_filters],
                                      scaled(stem_filters), stems.KERNEL_SIZES[stem],
                                      int(inputs.shape[-1]), classes if include_top else 0),
                     allow_large)
    x = app.preprocessing(inputs, include_preprocessing)
    x = stems.apply_stem(x, stem, scaled(stem_filters), norm=norm,
                         use_bias=use_bias or norm is None,
                         kernel_initializer=kernel_initializer, activate=not preact)

    block_options = dict(options)
    if block == "bottleneck" and not preact:
        block_options["use_bias"] = use_bias
    for i, (blocks, filters) in enumerate(zip(stage_blocks, stage_filters)):
        last = i == len(stage_blocks) - 1
        if stride_position == "first":
            stride = 1 if i == 0 else 2
        else:
            stride = 1 if last else 2
        x = residual_stage(x, block, scaled(filters), blocks, stride=stride, preact=preact,
                           stride_position=stride_position, name=f"conv{i + 2}",
                           **block_options)
    if preact:
        x = norm_layer(x, norm, "post_bn")
        x = layers.Activation("relu", name="post_relu")(x)

    outputs = classifier_head(x, include_top, pooling, classes, classifier_activation)
    model = app.make_model(inputs, input_tensor, outputs, name)
    return app.load_weights(model, weights, weights_reference)


def _weight_layers(stage_blocks, block):
    """Weight layers on the longest path: stem, 2 or 3 per block, classifier."""
    return 2 + sum(stage_blocks) * (3 if block == "bottleneck" else 2)


def _estimate_params(stage_blocks, block, stage_filters, stem_filters, stem_kernel,
                     channels, classes):
    """Convolution and classifier weights (normalization and biases left out: a few
    percent), computed from the arguments before anything is built."""
    params = stem_kernel ** 2 * channels * stem_filters
    width = stem_filters
    for blocks, filters in zip(stage_blocks, stage_filters):
        out = 4 * filters if block == "bottleneck" else filters
        for _ in range(blocks):
            if block == "bottleneck":
                params += width * filters + 9 * filters ** 2 + filters * out
            else:
                params += 9 * width * filters + 9 * filters ** 2
            if width != out:
                params += width * out  # a projection shortcut (none with option A)
            width = out
    return params + width * classes


# --- ImageNet ResNets (He et al. 2015, table 1) -------------------------------------------

IMAGENET_BLOCKS = {
    18: ("basic", (2, 2, 2, 2)),
    34: ("basic", (3, 4, 6, 3)),
    50: ("bottleneck", (3, 4, 6, 3)),
    101: ("bottleneck", (3, 4, 23, 3)),
    152: ("bottleneck", (3, 8, 36, 3)),
    200: ("bottleneck", (3, 24, 36, 3)),
}

_V1_REFERENCES = {50: "ResNet50", 101: "ResNet101", 152: "ResNet152"}
_V2_REFERENCES = {50: "ResNet50V2", 101: "ResNet101V2", 152: "ResNet152V2"}


def _reference(table, depth):
    name = table.get(depth)
    return getattr(keras.applications, name) if name else None


def imagenet_resnet(depth, v2=False, include_top=True, weights=None, input_tensor=None,
                    input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", **options):
    """ImageNet ResNet of ``depth`` in (18, 34, 50, 101, 152, 200); ``v2`` for the
    pre-activation ResNetV2 (bottleneck depths only).

    Bottleneck networks reproduce keras.applications' layers and weights exactly
    (biases in the convolutions; ResNetV2 strides in each stage's last block), so its
    ImageNet weights load. Basic-block networks (18, 34) have no convolution biases, as in
    the paper and torchvision.
    """
    check_choice("depth", depth, tuple(IMAGENET_BLOCKS))
    block, stage_blocks = IMAGENET_BLOCKS[depth]
    if v2 and block != "bottleneck":
        raise ValueError(f"ResNetV2 exists for depths 50, 101, 152, 200. Received: depth={depth}")
    layout = dict(preact=True, stride_position="last") if v2 else {}
    defaults = dict(
        block=block,
        stage_filters=(64, 128, 256, 512),
        stem="imagenet",
        use_bias=block == "bottleneck",
        shortcut="B",
        name=f"resnet{depth}{'v2' if v2 else ''}",
        weights_reference=_reference(_V2_REFERENCES if v2 else _V1_REFERENCES, depth),
        **layout,
    )
    defaults.update(options)
    return ResNet(stage_blocks, include_top=include_top, weights=weights,
                  input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                  classes=classes, classifier_activation=classifier_activation, **defaults)


def _named(depth, v2=False):
    kind = "ResNetV2 (pre-activation)" if v2 else "ResNet"
    return app.named_builder(
        imagenet_resnet, f"ResNet{depth}{'V2' if v2 else ''}",
        f"{kind}-{depth} for ImageNet-size inputs, with keras.applications' arguments.\n\n"
        "``**options`` are the block options of `keras_resnets.resnet.ResNet` (skip, "
        "shortcut, norm, zero_init_last, width, include_preprocessing, ...).",
        depth=depth, v2=v2)


ResNet18 = _named(18)
ResNet34 = _named(34)
ResNet50 = _named(50)
ResNet101 = _named(101)
ResNet152 = _named(152)
ResNet200 = _named(200)
ResNet50V2 = _named(50, v2=True)
ResNet101V2 = _named(101, v2=True)
ResNet152V2 = _named(152, v2=True)
ResNet200V2 = _named(200, v2=True)


# --- CIFAR ResNets (He et al. 2015, 4.2; He et al. 2016) ----------------------------------

def _cifar_blocks_per_stage(depth, block_layers, network, examples):
    """``n``, the blocks of each of the three stages of a CIFAR network of ``depth`` weight
    layers: ``depth = 3 * block_layers * n + 2`` (the stem and the classifier)."""
    step = 3 * block_layers
    check_int("depth", depth, minimum=step + 2)
    if (depth - 2) % step:
        raise ValueError(
            f"`depth` of {network} must be {step}n+2 ({examples}, ...). "
            f"Received: depth={depth}"
        )
    return (depth - 2) // step


def CifarResNet(depth=20, include_top=True, weights=None, input_tensor=None,
                input_shape=None, pooling=None, classes=10, classifier_activation="softmax",
                shortcut="A", **options):
    """The CIFAR ResNet of He et al. 2015, section 4.2: ``depth = 6n + 2`` weight layers,
    a 3x3 stem with 16 filters, three stages of ``n`` basic blocks with 16, 32 and 64
    filters, global average pooling and a classifier. Shortcuts are option A
    (parameter-free) by default, as in the paper. Any number of input channels.

    ``skip=False`` gives the paper's plain network of the same depth.
    """
    n = _cifar_blocks_per_stage(depth, 2, "a CIFAR ResNet", "8, 14, 20, 32, 44, 56, 110")
    defaults = dict(block="basic", stage_filters=(16, 32, 64), stem="cifar", stem_filters=16,
                    name=f"resnet{depth}")
    defaults.update(options)
    return ResNet((n, n, n), include_top=include_top, weights=weights,
                  input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                  classes=classes, classifier_activation=classifier_activation,
                  shortcut=shortcut, **defaults)


def PreActResNet(depth=164, include_top=True, weights=None, input_tensor=None,
                 input_shape=None, pooling=None, classes=10, classifier_activation="softmax",
                 **options):
    """The pre-activation bottleneck CIFAR ResNet of He et al. 2016: ``depth = 9n + 2``
    (164 and 1001 in the paper), bottleneck widths 16, 32, 64 (outputs 64, 128, 256),
    projection shortcuts where shapes change, and a final BN-ReLU."""
    n = _cifar_blocks_per_stage(depth, 3, "a pre-activation CIFAR ResNet", "11, 20, 164, 1001")
    defaults = dict(block="bottleneck", stage_filters=(16, 32, 64), stem="cifar",
                    stem_filters=16, preact=True, shortcut="B",
                    name=f"preact_resnet{depth}")
    defaults.update(options)
    return ResNet((n, n, n), include_top=include_top, weights=weights,
                  input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                  classes=classes, classifier_activation=classifier_activation, **defaults)


# --- registry -----------------------------------------------------------------------------

def _feature_layers(stage_blocks, stem, preact, stride_position):
    """(names, strides) of the feature pyramid (`ModelSpec.feature_layers`): the stem's
    stride-2 output (ImageNet stem), then at each stage's resolution the output of its
    last block there (the stage's second to last when its last block downsamples, as in
    ResNetV2); a pre-activation network's last features are those after its final
    BN-ReLU."""
    names, strides = [], []
    stem_out = "conv1_conv" if preact else "conv1_relu"
    if stem == "imagenet":
        names.append(stem_out)
        strides.append(2)
    previous = "pool1_pool" if stem == "imagenet" else stem_out
    for i, blocks in enumerate(stage_blocks):
        at_resolution = blocks
        if stride_position == "last" and i < len(stage_blocks) - 1:
            at_resolution -= 1
        names.append(f"conv{i + 2}_block{at_resolution}_out" if at_resolution else previous)
        strides.append(stems.STRIDES[stem] * 2 ** i)
        previous = f"conv{i + 2}_block{blocks}_out"
    if preact:
        names[-1] = "post_relu"
    return tuple(names), tuple(strides)


def _register(name, builder, params, *, depth, block, stage_blocks, stem, preact=False,
              stride_position="first", skip=True, twin=None, imagenet_weights=False,
              defaults=None):
    features, strides = _feature_layers(stage_blocks, stem, preact, stride_position)
    spec = ModelSpec(
        name=name,
        family="plain" if not skip else "preact_resnet" if preact else "resnet",
        block=block, preact=preact, depth=depth,
        input_shape=stems.DEFAULT_INPUT_SHAPES[stem],
        classes=1000 if stem == "imagenet" else 10,
        params=params, paper=HE_2016 if preact else HE_2015,
        feature_layers=features, feature_strides=strides,
        stages=tuple((f"conv{i + 2}", n) for i, n in enumerate(stage_blocks)),
        plain_twin=twin if skip else None, residual_twin=None if skip else twin,
        imagenet_weights=imagenet_weights,
    )
    defaults = dict(defaults or {}, **({} if skip else {"skip": False, "name": name}))
    register(name, builder, forwards_to=ResNet, spec=spec, **defaults)


# Parameters at the registered defaults (1000 classes for ImageNet, 10 for CIFAR networks).
_IMAGENET_PARAMS = {
    (18, False): 11_699_112, (34, False): 21_814_696, (50, False): 25_636_712,
    (101, False): 44_707_176, (152, False): 60_419_944, (200, False): 64_937_832,
    (50, True): 25_613_800, (101, True): 44_675_560, (152, True): 60_380_648,
    (200, True): 64_894_440,
}
_BUILDERS = {
    (18, False): ResNet18, (34, False): ResNet34, (50, False): ResNet50,
    (101, False): ResNet101, (152, False): ResNet152, (200, False): ResNet200,
    (50, True): ResNet50V2, (101, True): ResNet101V2, (152, True): ResNet152V2,
    (200, True): ResNet200V2,
}
_IMAGENET_PLAIN_PARAMS = {18: 11_523_496, 34: 21_639_080}
_CIFAR_PARAMS = {20: 271_098, 32: 466_426, 44: 661_754, 56: 857_082, 110: 1_736_058,
                 1202: 19_510_906}
_PREACT_PARAMS = {164: 1_735_994, 1001: 10_527_098}

for (_depth, _v2), _params in _IMAGENET_PARAMS.items():
    _block, _stage_blocks = IMAGENET_BLOCKS[_depth]
    _name = f"resnet{_depth}{'v2' if _v2 else ''}"
    _plain = f"plain{_depth}" if _depth in _IMAGENET_PLAIN_PARAMS and not _v2 else None
    _register(_name, _BUILDERS[_depth, _v2], _params, depth=_depth, block=_block,
              stage_blocks=_stage_blocks, stem="imagenet", preact=_v2,
              stride_position="last" if _v2 else "first", twin=_plain,
              imagenet_weights=_reference(_V2_REFERENCES if _v2 else _V1_REFERENCES,
                                          _depth) is not None)
    if _plain:
        _register(_plain, _BUILDERS[_depth, False], _IMAGENET_PLAIN_PARAMS[_depth], depth=_depth,
                  block=_block, stage_blocks=_stage_blocks, stem="imagenet", skip=False,
                  twin=_name)
for _depth, _params in _CIFAR_PARAMS.items():
    _n = (_depth - 2) // 6
    for _skip in (True, False):
        _register(f"{'resnet' if _skip else 'plain'}{_depth}", CifarResNet, _params,
                  depth=_depth, block="basic", stage_blocks=(_n,) * 3, stem="cifar",
                  skip=_skip, twin=f"{'plain' if _skip else 'resnet'}{_depth}",
                  defaults={"depth": _depth})
for _depth, _params in _PREACT_PARAMS.items():
    _n = (_depth - 2) // 9
    _register(f"preact_resnet{_depth}", PreActResNet, _params, depth=_depth,
              block="bottleneck", stage_blocks=(_n,) * 3, stem="cifar", preact=True,
              defaults={"depth": _depth})
