"""Name -> experiment function; each takes ``out_dir`` and keyword options."""

import importlib

EXPERIMENTS = ("degradation", "lesion", "unet_skips", "deep")


def run_experiment(name, out_dir, **options):
    if name not in EXPERIMENTS:
        raise ValueError(f"Unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}")
    module = importlib.import_module(f"keras_resnets.experiments.{name}")
    return module.run(out_dir, **options)
