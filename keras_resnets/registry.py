"""One registry for every model of the library: `build(name, **overrides)` makes a model,
`model_spec(name)` says what it is without building it.

Importing this module imports every builder module, each of which registers its named
models (`keras_resnets.registration.register`), so the lookups here see them all.
"""

import difflib
import inspect

from keras_resnets import densenet, resnet, unet  # noqa: F401  (each registers its models)
from keras_resnets.registration import FAMILIES, ModelSpec, register
from keras_resnets.registration import REGISTERED as _REGISTRY

__all__ = ["FAMILIES", "ModelSpec", "build", "list_models", "model_spec", "register"]


def list_models():
    """The sorted names `build` accepts."""
    return sorted(_REGISTRY)


def _entry(name):
    if not isinstance(name, str):
        raise TypeError(f"Model name must be a string. Received: name={name!r}")
    key = name.lower()
    if key not in _REGISTRY:
        close = difflib.get_close_matches(key, list_models(), n=3, cutoff=0.6)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ValueError(
            f"Unknown model {name!r}.{hint} `keras_resnets.list_models()` lists all "
            f"{len(_REGISTRY)} models."
        )
    return _REGISTRY[key]


def model_spec(name, /):
    """The `ModelSpec` of the registered model ``name`` (case-insensitive).

    Raises:
        ValueError: unknown name (the closest names are suggested).
    """
    return _entry(name).spec


def _accepted(builder, forwards_to):
    """The keyword names ``builder`` accepts, or None when they cannot be known."""
    names = set()
    for fn in (builder, forwards_to):
        params = inspect.signature(fn).parameters
        names |= {n for n, p in params.items() if p.kind != p.VAR_KEYWORD}
        if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
            return names
        if forwards_to is None:
            return None
    return None


def build(name, /, **overrides):
    """Builds the registered model ``name``; ``overrides`` replace its default arguments.

    The model is named ``name`` (`ModelSpec.name`) unless ``overrides`` rename it: a
    ``name``, or a ``depth`` the builder names its networks after.

    Raises:
        ValueError: unknown name (the closest names are suggested).
        TypeError: an override the builder does not take.
    """
    entry = _entry(name)
    accepted = _accepted(entry.builder.func, entry.forwards_to)
    if accepted is not None:
        unknown = sorted(set(overrides) - accepted)
        if unknown:
            raise TypeError(
                f"Model {name!r} does not take {', '.join(map(repr, unknown))}. "
                f"It takes: {', '.join(sorted(accepted))}."
            )
    return entry.builder(**overrides)
