"""U-Nets for image segmentation: one generic builder, `UNet`, behind the named ones.

References:
    Ronneberger, Fischer, Brox 2015, "U-Net: Convolutional Networks for Biomedical Image
        Segmentation" (MICCAI 2015, arXiv:1505.04597): a contracting path of two 3x3
        convolutions and a 2x2 max pooling per level, an expanding path of a 2x2
        up-convolution, the concatenation of the contracting path's features at the same
        resolution (the skip connection) and two 3x3 convolutions, and a 1x1 classifier.
    Iakubovskii 2019, segmentation_models (``Unet('resnet34')``): the same decoder on a
        ResNet encoder, fed by its features at strides 2, 4, 8, 16 and 32.

Unlike the paper, convolutions are "same"-padded, so the output has the input's height
and width, and BatchNormalization follows each convolution by default (``norm``).

Layer names: encoder levels ``enc1`` ... ``enc{depth}`` (``enc1_1_conv``, ``enc1_out``,
``enc1_pool``), the bottom ``bottleneck``, decoder levels ``dec{depth}`` ... ``dec1``
(``dec1_up``, ``dec1_concat``, ``dec1_out``), the classifier ``predictions``.
"""

import keras
from keras import layers

from keras_resnets import applications as app
from keras_resnets import resnet  # noqa: F401  (registers the encoders)
from keras_resnets.blocks import basic_block
from keras_resnets.heads import segmentation_head
from keras_resnets.registration import REGISTERED, ModelSpec, register
from keras_resnets.validation import (
    NORMS,
    check_activation,
    check_bool,
    check_choice,
    check_initializer,
    check_int,
    check_model_size,
    is_softmax,
)

RONNEBERGER_2015 = ("Ronneberger, Fischer, Brox 2015, \"U-Net: Convolutional Networks for "
                    "Biomedical Image Segmentation\" (MICCAI 2015, arXiv:1505.04597)")
UPSAMPLINGS = ("transpose", "bilinear")

# The registered ResNets a U-Net can use as its encoder (post-activation, ImageNet stem):
# their features (`ModelSpec.feature_layers`) are at strides 2, 4, 8, 16 and 32.
ENCODERS = ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152")
ENCODER_DEPTH = 5


def encoder_feature_layers(encoder):
    """The layer names of a ResNet encoder's features at strides 2, 4, 8, 16 and 32."""
    check_choice("encoder", encoder, ENCODERS)
    return REGISTERED[encoder].spec.feature_layers


def _check_upsampling(upsampling):
    if not any(upsampling == u and type(upsampling) is type(u) for u in UPSAMPLINGS):
        raise ValueError(
            "`upsampling` must be 'transpose' (a learned 2x2 up-convolution, as in the paper) "
            "or 'bilinear' (bilinear resizing); these are the two a U-Net of this library "
            f"supports. Received: upsampling={upsampling!r}"
        )
    return upsampling


def unet_conv_block(x, filters, norm="batch", residual=False, kernel_initializer="he_normal",
                    name="block"):
    """Two 3x3 convolutions, each followed by BN (``norm``) and ReLU (Ronneberger et al.
    2015): layers ``{name}_1_conv``, ``{name}_1_bn``, ``{name}_1_relu``, ``{name}_2_conv``,
    ``{name}_2_bn``, ``{name}_out``.

    Args:
        x: the input tensor (channels last).
        filters: channels of both convolutions (and of the output).
        norm: "batch" for BatchNormalization after each convolution; None for none (the
            convolutions then carry a bias).
        residual: add a shortcut before the last ReLU, as a basic residual block (He et
            al. 2015): a 1x1 projection (``{name}_0_conv``, ``{name}_0_bn``) where the
            channels change, the identity where they do not; the sum is ``{name}_add``.
        kernel_initializer: initializer of the convolution kernels.
        name: prefix of the layer names.

    Returns:
        A tensor with ``filters`` channels and ``x``'s spatial size.
    """
    check_int("filters", filters, minimum=1)
    check_choice("norm", norm, NORMS)
    check_bool("residual", residual)
    # the same layers, names and weights as a stride-1 basic block with option B shortcuts
    return basic_block(x, filters, skip=residual, shortcut="B", norm=norm,
                       kernel_initializer=kernel_initializer, name=name)


def unet_encoder_stage(x, filters, norm="batch", residual=False,
                       kernel_initializer="he_normal", name="enc1"):
    """One level of the contracting path: `unet_conv_block` (``{name}_...``), then 2x2 max
    pooling with stride 2 (``{name}_pool``).

    Returns:
        ``(downsampled, skip_features)``: the pooled tensor, with half the height and
        width, and the conv block's output, which the decoder concatenates at this level.
    """
    skip = unet_conv_block(x, filters, norm=norm, residual=residual,
                           kernel_initializer=kernel_initializer, name=name)
    down = layers.MaxPooling2D(2, strides=2, name=f"{name}_pool")(skip)
    return down, skip


def unet_decoder_stage(x, skip, filters, upsampling="transpose", use_skip=True, norm="batch",
                       residual=False, kernel_initializer="he_normal", name="dec1"):
    """One level of the expanding path: upsample ``x`` 2x (``{name}_up``), concatenate
    ``skip`` to it (``{name}_concat``) when ``use_skip``, then `unet_conv_block`.

    Args:
        x: the tensor from the level below.
        skip: the encoder's features at the target resolution (twice ``x``'s height and
            width); ignored, and may be None, when ``use_skip`` is False.
        filters: channels of the stage's convolutions (and of its output).
        upsampling: "transpose" for a learned 2x2 up-convolution with stride 2 to
            ``filters`` channels (the paper's "up-conv 2x2"); "bilinear" for bilinear
            resizing, which keeps ``x``'s channels.
        use_skip: concatenate ``skip`` (the U-Net); False gives the plain encoder-decoder,
            whose convolutions see only the upsampled tensor.
        norm, residual, kernel_initializer: as in `unet_conv_block`.
        name: prefix of the layer names.
    """
    check_int("filters", filters, minimum=1)
    _check_upsampling(upsampling)
    check_bool("use_skip", use_skip)
    if upsampling == "transpose":
        x = layers.Conv2DTranspose(filters, 2, strides=2, kernel_initializer=kernel_initializer,
                                   name=f"{name}_up")(x)
    else:
        x = layers.UpSampling2D(2, interpolation="bilinear", name=f"{name}_up")(x)
    if use_skip:
        if skip is None:
            raise ValueError(f"Stage {name!r}: `skip` is None but use_skip=True. Received: skip=None")
        up_size, skip_size = tuple(x.shape[1:3]), tuple(skip.shape[1:3])
        if None not in up_size + skip_size and up_size != skip_size:
            raise ValueError(
                f"Stage {name!r}: `skip` must have twice the height and width of `x` "
                f"({up_size}). Received: skip.shape={tuple(skip.shape)}"
            )
        x = layers.Concatenate(axis=-1, name=f"{name}_concat")([x, skip])
    return unet_conv_block(x, filters, norm=norm, residual=residual,
                           kernel_initializer=kernel_initializer, name=name)


def UNet(
    input_shape=(128, 128, 3),
    classes=1,
    depth=4,
    base_filters=64,
    norm="batch",
    upsampling="transpose",
    skip=True,
    residual=False,
    encoder=None,
    final_activation="auto",
    kernel_initializer="he_normal",
    include_preprocessing=False,
    name="unet",
    allow_large=False,
):
    """Builds a U-Net (Ronneberger et al. 2015) as a functional `keras.Model` whose output
    has the input's height and width and ``classes`` channels.

    Args:
        input_shape: ``(height, width, channels)``, any number of channels; height and
            width (None for any) must be multiples of ``2**depth``.
        classes: 1 for a binary mask (one channel), more for per-pixel classes.
        depth: the number of 2x downsamplings (4 in the paper; must be 5 with an
            ``encoder``).
        base_filters: the channels of the first level, doubled at each level below (64 in
            the paper: 64, 128, ..., 1024 at the bottom). With an ``encoder`` it is the
            channels of the last decoder level, doubled at each level below (16:
            256, 128, 64, 32, 16, as segmentation_models).
        norm: "batch" for BatchNormalization after each convolution, None for none.
        upsampling: "transpose" (learned 2x2 up-convolution) or "bilinear".
        skip: concatenate the encoder's features in the decoder (the U-Net); False gives
            the same encoder-decoder without skip connections.
        residual: residual conv blocks (`unet_conv_block`), in the encoder and decoder
            (only the decoder with a ResNet ``encoder``, whose blocks are residual).
        encoder: None for the paper's contracting path, or the name of a ResNet of this
            library ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
            randomly initialized) whose features at strides 2, 4, 8, 16 and 32 feed the
            decoder (`encoder_feature_layers`); the last decoder level has no skip.
        final_activation: "auto" for a sigmoid when ``classes == 1`` and a softmax over
            the classes otherwise; None for logits; or any Keras activation.
        kernel_initializer: initializer of every convolution kernel.
        include_preprocessing: scale raw [0, 255] pixels to [-1, 1] inside the model.
        name: the model's name.
        allow_large: build networks over the library's bounds on depth and parameters
            (`keras_resnets.validation.MAX_DEPTH`, `MAX_PARAMS`).
    """
    check_int("classes", classes, minimum=1)
    check_int("depth", depth, minimum=1)
    check_int("base_filters", base_filters, minimum=1)
    check_choice("norm", norm, NORMS)
    _check_upsampling(upsampling)
    check_bool("skip", skip)
    check_bool("residual", residual)
    if encoder is not None:
        check_choice("encoder", encoder, (None,) + ENCODERS)
        if depth != ENCODER_DEPTH:
            raise ValueError(
                f"`depth` must be {ENCODER_DEPTH} with encoder={encoder!r} (its features go "
                f"down to stride 32). Received: depth={depth}"
            )
    check_activation("final_activation", final_activation, ("auto", None))
    if classes == 1 and is_softmax(final_activation):
        raise ValueError(
            "`classes=1` with a softmax always outputs 1.0; use final_activation='sigmoid' "
            "(or 'auto') for a binary mask. Received: classes=1, final_activation='softmax'"
        )
    check_initializer("kernel_initializer", kernel_initializer)
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a string. Received: name={name!r}")

    divisor = 2 ** depth
    inputs = app.image_input(input_shape, None, (128, 128, 3), min_size=divisor,
                             divisor=divisor)
    if encoder is None:  # a ResNet encoder checks its own size
        check_model_size(name, 4 * depth + 3,
                         _estimate_params(depth, base_filters, int(inputs.shape[-1]), classes),
                         allow_large)
    x = app.preprocessing(inputs, include_preprocessing)
    block_options = dict(norm=norm, residual=residual, kernel_initializer=kernel_initializer)

    if encoder is None:
        skips = []
        for level in range(1, depth + 1):
            x, features = unet_encoder_stage(x, base_filters * 2 ** (level - 1),
                                             name=f"enc{level}", **block_options)
            skips.append(features)
        x = unet_conv_block(x, base_filters * 2 ** depth, name="bottleneck", **block_options)
    else:
        backbone = REGISTERED[encoder].builder(include_top=False, input_tensor=x, norm=norm,
                                               kernel_initializer=kernel_initializer)
        features = [backbone.get_layer(n).output for n in encoder_feature_layers(encoder)]
        # Level 1 (stride 1) has no encoder features; levels 2..5 read strides 2..16.
        skips = [None] + features[:-1]
        x = features[-1]

    for level in range(depth, 0, -1):
        features = skips[level - 1]
        x = unet_decoder_stage(x, features, base_filters * 2 ** (level - 1),
                               upsampling=upsampling,
                               use_skip=skip and features is not None, name=f"dec{level}",
                               **block_options)

    outputs = segmentation_head(x, classes, final_activation)
    return keras.Model(inputs, outputs, name=name)


def _estimate_params(depth, base_filters, channels, classes):
    """Convolution weights of the paper's U-Net (no encoder), computed from the arguments
    before anything is built (normalization and biases left out)."""
    params, width = 0, channels
    for level in range(depth + 1):  # the encoder levels, then the bottleneck
        filters = base_filters * 2 ** level
        params += 9 * width * filters + 9 * filters * filters
        width = filters
    for level in range(depth - 1, -1, -1):  # up-convolution, then two 3x3 on the concat
        filters = base_filters * 2 ** level
        params += 4 * width * filters + 9 * 2 * filters * filters + 9 * filters * filters
        width = filters
    return params + width * classes


def unet_resnet34(input_shape=(128, 128, 3), classes=1, **options):
    """U-Net decoder on the ResNet-34 encoder of this library (`keras_resnets.resnet.ResNet34`
    without its top), as segmentation_models' ``Unet('resnet34')``: the encoder's features
    at strides 2, 4, 8, 16 (``conv1_relu``, ``conv2_block3_out``, ``conv3_block4_out``,
    ``conv4_block6_out``) are the skips of decoder levels of 128, 64, 32 and 16 channels,
    its stride-32 output (``conv5_block3_out``) enters a first decoder level of 256
    channels, and a last level of 16 channels upsamples back to the input's size.
    Height and width must be multiples of 32.

    ``**options`` are the options of `UNet` (upsampling, skip, norm, final_activation, ...).
    """
    defaults = dict(encoder="resnet34", depth=ENCODER_DEPTH, base_filters=16,
                    name="unet_resnet34")
    defaults.update(options)
    return UNet(input_shape=input_shape, classes=classes, **defaults)


# --- registry -----------------------------------------------------------------------------

_ENCODER_PAPER = ("; on a ResNet encoder as segmentation_models' Unet('resnet34') "
                  "(Iakubovskii 2019)")

# The paper's U-Net (depth 4, 64 filters, one class): its features are the encoder levels'
# outputs and the bottleneck's, at strides 1 ... 16; its 23 convolutions are the paper's.
register("unet", UNet, spec=ModelSpec(
    name="unet", family="unet", block="unet_conv", preact=False, depth=23,
    input_shape=(128, 128, 3), classes=1, params=31_049_409, paper=RONNEBERGER_2015,
    feature_layers=("enc1_out", "enc2_out", "enc3_out", "enc4_out", "bottleneck_out"),
    feature_strides=(1, 2, 4, 8, 16),
    stages=tuple((f"enc{level}", 1) for level in range(1, 5)) + (("bottleneck", 1),)))
_encoder = REGISTERED["resnet34"].spec
register("unet_resnet34", unet_resnet34, forwards_to=UNet, spec=ModelSpec(
    name="unet_resnet34", family="unet", block=_encoder.block, preact=False,
    depth=_encoder.depth, input_shape=(128, 128, 3), classes=1, params=24_368_449,
    paper=RONNEBERGER_2015 + _ENCODER_PAPER, feature_layers=_encoder.feature_layers,
    feature_strides=_encoder.feature_strides, stages=_encoder.stages, encoder="resnet34"))
