"""The table of named models: each builder module (`resnet`, `densenet`, `unet`) registers
its models here, with their `ModelSpec`, when it is imported; `keras_resnets.registry`
imports those modules and looks names up. (Kept apart from `registry` so that the builder
modules and the registry do not import each other.)"""

import dataclasses
import functools

FAMILIES = ("resnet", "preact_resnet", "plain", "densenet", "unet")


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """What a registered model is, at its registered defaults.

    Attributes:
        name: the registry name; also the built model's ``name``.
        family: "resnet" (post-activation residual network), "preact_resnet"
            (pre-activation, He et al. 2016), "plain" (a ResNet's twin without shortcuts,
            He et al. 2015), "densenet" or "unet".
        block: the repeated unit: "basic", "bottleneck" (`keras_resnets.blocks`), "dense"
            (`keras_resnets.densenet.dense_conv_block`) or "unet_conv"
            (`keras_resnets.unet.unet_conv_block`; a ResNet encoder's blocks otherwise).
        preact: BN-ReLU comes before each convolution (pre-activation ResNets, He et al.
            2016; DenseNets).
        depth: the depth in the model's name (weight layers, as the papers count them);
            the U-Net paper's 23 convolutions; the encoder's depth for a U-Net on a ResNet.
        input_shape: the default input, ``(height, width, channels)``.
        classes: the default number of classes (output channels of a U-Net).
        params: the parameter count at these defaults, as Keras counts it.
        paper: the reference the architecture follows.
        feature_layers: the layers whose outputs are the feature pyramid, one per
            resolution from the finest: the last block's output at each stride (after the
            final BN-ReLU for pre-activation networks and DenseNets), the encoder's for a
            U-Net.
        feature_strides: the stride (input size / feature size) of each feature layer.
        stages: ``(name, blocks)`` of each stage, e.g. ``("conv2", 3)``: the layers of a
            stage are named ``{name}_block{i}_...`` (U-Net levels ``enc{i}`` have one
            block each).
        plain_twin: the registry name of the plain twin (same layers without the
            shortcuts) of a residual network, None where none is registered.
        residual_twin: the registry name of the residual network a plain one is the twin of.
        encoder: the registry name of a U-Net's encoder (None: the paper's).
        imagenet_weights: ``weights="imagenet"`` loads keras.applications' weights.
    """

    name: str
    family: str
    block: str
    preact: bool
    depth: int
    input_shape: tuple
    classes: int
    params: int
    paper: str
    feature_layers: tuple
    feature_strides: tuple
    stages: tuple
    plain_twin: str | None = None
    residual_twin: str | None = None
    encoder: str | None = None
    imagenet_weights: bool = False

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise ValueError(f"`family` must be one of {', '.join(FAMILIES)}. "
                             f"Received: family={self.family!r}")
        if len(self.feature_layers) != len(self.feature_strides):
            raise ValueError(f"{self.name!r}: one stride per feature layer. Received: "
                             f"{self.feature_layers} and {self.feature_strides}")

    @property
    def skips(self):
        """Whether the network has skip connections (residual additions, dense
        concatenations or a U-Net's encoder-decoder concatenations)."""
        return self.family != "plain"

    def twin(self):
        """The network to compare with, the same layers with or without skip connections:
        ``(registry name, overrides)`` for `build`, or None (a DenseNet's concatenations
        are its layers' only inputs: it has no plain twin).

        A residual network's registered plain twin, else itself with ``skip=False``; a
        plain network's residual twin; a U-Net without its skip connections."""
        if self.family == "plain":
            return self.residual_twin, {}
        if self.family == "densenet":
            return None
        if self.plain_twin is not None:
            return self.plain_twin, {}
        return self.name, {"skip": False}


@dataclasses.dataclass(frozen=True)
class Registration:
    """A registered name: the builder with the name's defaults, the generic builder its
    ``**options`` are forwarded to (or None), and its `ModelSpec`."""

    builder: functools.partial
    forwards_to: object
    spec: ModelSpec


REGISTERED = {}
"""Name -> `Registration`."""


def register(name, builder, /, forwards_to=None, spec=None, **defaults):
    """Registers ``builder(**defaults)`` under ``name`` (lower case, unique), described by
    ``spec`` (a `ModelSpec` named ``name``).

    ``forwards_to`` names the generic builder that receives ``builder``'s ``**options``,
    so that `keras_resnets.registry.build` can refuse an unknown override before building
    anything.
    """
    if name in REGISTERED:
        raise ValueError(f"Model {name!r} is already registered.")
    if not isinstance(spec, ModelSpec) or spec.name != name:
        raise TypeError(f"register() needs spec=ModelSpec(name={name!r}, ...). "
                        f"Received: spec={spec!r}")
    REGISTERED[name] = Registration(functools.partial(builder, **defaults), forwards_to, spec)
    return REGISTERED[name].builder
