"""The table of named models: each builder module (`resnet`, `densenet`, `unet`) registers
its models here when it is imported; `keras_resnets.registry` imports those modules and looks
names up. (Kept apart from `registry` so that the builder modules and the registry do not
import each other.)"""

import functools

REGISTERED = {}
"""Name -> (``functools.partial`` of the builder with the name's defaults, the generic
builder its ``**options`` are forwarded to or None)."""


def register(name, builder, /, forwards_to=None, **defaults):
    """Registers ``builder(**defaults)`` under ``name`` (lower case, unique).

    ``forwards_to`` names the generic builder that receives ``builder``'s ``**options``,
    so that `keras_resnets.registry.build` can refuse an unknown override before building
    anything.
    """
    if name in REGISTERED:
        raise ValueError(f"Model {name!r} is already registered.")
    REGISTERED[name] = (functools.partial(builder, **defaults), forwards_to)
    return REGISTERED[name][0]
