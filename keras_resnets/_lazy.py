"""Packages whose public names load on first use (PEP 562), as in Scientific Python's
SPEC 1 (``lazy_loader.attach``): importing the package imports nothing else."""

import importlib
import importlib.util


def attach(package, table):
    """Returns ``(__getattr__, __dir__, __all__)`` for ``package`` (its ``__name__``).

    ``table`` maps each module to the public names it defines. ``__getattr__`` imports the
    module of a name on first use and caches the value in the package; it also imports the
    package's submodules (``keras_resnets.profile``) on first use.
    """
    module_of = {name: module for module, names in table.items() for name in names}
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name):
        if name in module_of:
            value = getattr(importlib.import_module(module_of[name]), name)
        elif not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}"):
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__():
        return sorted(set(namespace) | set(module_of))

    return __getattr__, __dir__, sorted(module_of)
