"""Argument checks shared by every builder.

Each check raises ``ValueError`` or ``TypeError`` naming the argument and the value
received, so that a bad argument never surfaces as an error from deep inside Keras.
"""

import numbers

SHORTCUTS = ("A", "B", "C")
NORMS = ("batch", None)
POOLINGS = (None, "avg", "max")


def check_int(name, value, minimum=None):
    """Returns ``value`` as an int, or raises if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer. Received: {name}={value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}. Received: {name}={value!r}")
    return int(value)


def check_float(name, value, low=None, high=None, low_open=False):
    """Returns ``value`` as a float within [low, high] (or (low, high] when ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number. Received: {name}={value!r}")
    value = float(value)
    if value != value:
        raise ValueError(f"`{name}` must not be NaN. Received: {name}={value!r}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and value > high
    if too_low or too_high:
        left = "(" if low_open else "["
        raise ValueError(
            f"`{name}` must be in {left}{low}, {high}]. Received: {name}={value!r}"
        )
    return value


def check_bool(name, value):
    if not isinstance(value, bool):
        raise TypeError(f"`{name}` must be True or False. Received: {name}={value!r}")
    return value


def check_choice(name, value, choices):
    """Returns ``value`` if it is one of ``choices`` (compared with ==)."""
    if not any(value == c and type(value) is type(c) for c in choices):
        shown = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {shown}. Received: {name}={value!r}")
    return value


def check_int_sequence(name, value, minimum=1, length=None):
    """Returns ``value`` as a tuple of ints, each >= ``minimum``."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"`{name}` must be a sequence of integers. Received: {name}={value!r}")
    items = tuple(value)
    if not items or (length is not None and len(items) != length):
        expected = f"{length} integers" if length is not None else "at least one integer"
        raise ValueError(f"`{name}` must hold {expected}. Received: {name}={value!r}")
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral) or item < minimum:
            raise ValueError(
                f"`{name}` must hold integers >= {minimum}. Received: {name}={value!r}"
            )
    return tuple(int(i) for i in items)


def check_input_shape(name, shape, min_size=1, divisor=1, channels=None):
    """Checks an image shape ``(height, width, channels)``; None height/width are allowed.

    ``min_size`` is the smallest spatial size the network can take; ``divisor`` is a
    number that height and width must be multiples of (e.g. 2**depth for a U-Net).
    """
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__iter__"):
        raise TypeError(
            f"`{name}` must be a tuple (height, width, channels). Received: {name}={shape!r}"
        )
    shape = tuple(shape)
    if len(shape) != 3:
        raise ValueError(
            f"`{name}` must have 3 entries (height, width, channels). Received: {name}={shape!r}"
        )
    height, width, depth = shape
    if depth is None or isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 1:
        raise ValueError(
            f"`{name}` must end with a positive number of channels. Received: {name}={shape!r}"
        )
    if channels is not None and depth != channels:
        raise ValueError(
            f"`{name}` must have {channels} channels for these weights. Received: {name}={shape!r}"
        )
    for size in (height, width):
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ValueError(
                f"`{name}` height and width must be positive integers or None. "
                f"Received: {name}={shape!r}"
            )
        if size < min_size:
            raise ValueError(
                f"`{name}` is too small for this network: height and width must be at least "
                f"{min_size}. Received: {name}={shape!r}"
            )
        if size % divisor:
            raise ValueError(
                f"`{name}` height and width must be multiples of {divisor}. "
                f"Received: {name}={shape!r}"
            )
    return tuple(None if s is None else int(s) for s in shape)


def check_initializer(name, value):
    """Returns ``value`` if Keras knows it as an initializer (a name, config or object)."""
    import keras

    try:
        keras.initializers.get(value)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"`{name}` is not a Keras initializer. Received: {name}={value!r}") from err
    return value


def check_activation(name, value, allowed=(None,)):
    """Returns ``value`` if it is in ``allowed``, a callable, or a Keras activation name."""
    import keras

    if any(value is a or (isinstance(a, str) and value == a) for a in allowed) or callable(value):
        return value
    try:
        keras.activations.get(value)
    except (ValueError, TypeError) as err:
        shown = ", ".join(repr(a) for a in allowed)
        raise ValueError(
            f"`{name}` must be {shown}, a callable or the name of a Keras activation. "
            f"Received: {name}={value!r}") from err
    return value


def check_shortcut_options(shortcut, norm, skip, zero_init_last):
    """The options every residual block takes (see `keras_resnets.blocks`)."""
    check_choice("shortcut", shortcut, SHORTCUTS)
    check_choice("norm", norm, NORMS)
    check_bool("skip", skip)
    check_bool("zero_init_last", zero_init_last)


def check_block_options(skip=True, shortcut="B", norm="batch", zero_init_last=False,
                        kernel_initializer="he_normal"):
    """Validates the block options a model builder passes to every block; returns them as
    a dict."""
    check_shortcut_options(shortcut, norm, skip, zero_init_last)
    check_initializer("kernel_initializer", kernel_initializer)
    return dict(skip=skip, shortcut=shortcut, norm=norm, zero_init_last=zero_init_last,
                kernel_initializer=kernel_initializer)


def is_softmax(activation):
    import keras

    return activation == "softmax" or activation is keras.activations.softmax


def check_head_args(include_top, pooling, classes, classifier_activation):
    """The keras.applications arguments of a classifier's top (`keras_resnets.heads`)."""
    check_bool("include_top", include_top)
    check_choice("pooling", pooling, POOLINGS)
    check_int("classes", classes, minimum=1)
    check_activation("classifier_activation", classifier_activation)
    if include_top and classes == 1 and is_softmax(classifier_activation):
        raise ValueError(
            "`classes=1` with a softmax always outputs 1.0; use "
            "classifier_activation='sigmoid' for one class (or classes=2 with softmax). "
            "Received: classes=1, classifier_activation='softmax'"
        )


MAX_DEPTH = 2000  # weight layers; the deepest networks of the papers have 1202
MAX_PARAMS = 500_000_000  # 2 GB of float32 weights; ResNet-200 has 65 million


def check_model_size(name, depth, params, allow_large=False):
    """Refuses, before anything is built, a network of more than `MAX_DEPTH` weight layers
    or about `MAX_PARAMS` parameters (``params`` is the builder's estimate), unless
    ``allow_large``: such a request is almost always a typo, and would build until the
    memory runs out."""
    check_bool("allow_large", allow_large)
    if allow_large:
        return
    if depth > MAX_DEPTH:
        raise ValueError(
            f"{name!r} would have {depth:,} weight layers, over the bound of {MAX_DEPTH:,}; "
            f"pass allow_large=True to build it anyway"
        )
    if params > MAX_PARAMS:
        raise ValueError(
            f"{name!r} would have about {params:,} parameters, over the bound of "
            f"{MAX_PARAMS:,}; pass allow_large=True to build it anyway"
        )


def check_data_format():
    """Refuses to build under Keras' "channels_first" image data format: every builder of
    the library lays images out (height, width, channels)."""
    import keras

    if keras.config.image_data_format() != "channels_last":
        raise ValueError(
            "keras-resnets builds channels_last models only, but Keras' image_data_format "
            "is 'channels_first' (set in ~/.keras/keras.json or by "
            "keras.config.set_image_data_format); set it to 'channels_last'"
        )
