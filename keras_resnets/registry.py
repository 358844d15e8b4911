"""One registry for every model of the library: `build(name, **overrides)`."""

import difflib
import functools
import inspect

_REGISTRY = {}


def register(name, builder, /, forwards_to=None, **defaults):
    """Registers ``builder(**defaults)`` under ``name`` (lower case, unique).

    ``forwards_to`` names the generic builder that receives ``builder``'s ``**options``,
    so that `build` can refuse an unknown override before building anything.
    """
    if name in _REGISTRY:
        raise ValueError(f"Model {name!r} is already registered.")
    _REGISTRY[name] = (functools.partial(builder, **defaults), forwards_to)
    return _REGISTRY[name][0]


def list_models():
    """The sorted names `build` accepts."""
    return sorted(_REGISTRY)


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

    Raises:
        ValueError: unknown name (the closest names are suggested).
        TypeError: an override the builder does not take.
    """
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
    builder, forwards_to = _REGISTRY[key]
    accepted = _accepted(builder.func, forwards_to)
    if accepted is not None:
        unknown = sorted(set(overrides) - accepted)
        if unknown:
            raise TypeError(
                f"Model {name!r} does not take {', '.join(map(repr, unknown))}. "
                f"It takes: {', '.join(sorted(accepted))}."
            )
    return builder(**overrides)


def model_defaults(name):
    """The default arguments registered for ``name`` (a copy)."""
    if name not in _REGISTRY:
        build(name)  # raises the helpful error
    return dict(_REGISTRY[name][0].keywords)
