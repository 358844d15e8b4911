"""Lesion study (Veit et al. 2016, "Residual Networks Behave Like Ensembles of Relatively
Shallow Networks"): remove one block at a time from a trained network at test time. A
ResNet degrades gracefully (its paths are many and mostly short); a plain network, with its
single path, collapses."""

import os

from keras_resnets import artifacts
from keras_resnets.experiments.common import Timer, figure, write_results

NETWORK = "resnet56"  # lesioned with its plain twin


def default_models(network=NETWORK):
    """The shipped `.keras` files of ``network`` and of its plain twin (`ModelSpec`)."""
    from keras_resnets.registry import model_spec

    names = (network, model_spec(network).plain_twin)
    return tuple(f"saved_models/{name}/model.keras" for name in names)


def run(out_dir, models=None, dataset="fashion_mnist", num_images=1000, data_dir=None,
        verbose=2):
    """Lesions every block of each `.keras` model in ``models`` (default:
    `default_models`) on ``num_images`` test images. Results: per model, the intact
    accuracy and one accuracy per block."""
    from keras_resnets.data import load_arrays
    from keras_resnets.probes import lesion_study

    if models is None:
        models = default_models()

    images, labels = load_arrays(dataset, "test", data_dir=data_dir, limit=num_images)
    results = {"experiment": "lesion", "dataset": dataset, "num_images": int(len(images)),
               "baseline": {}, "models": {}}
    with Timer() as timer:
        for path in models:
            if not os.path.isfile(path):
                raise FileNotFoundError(f"lesion: no model at {path}")
            model = artifacts.load_model(path)
            name = model.name
            if verbose:
                print(f"lesion: {name} ({path})", flush=True)
            study = lesion_study(model, images, labels)
            results["baseline"][name] = study["baseline"]
            results[name] = [
                {"block": r["block"], "index": r["index"], "accuracy": r["accuracy"],
                 "reason": r["reason"]} for r in study["results"]]
            results["models"][name] = path
    results = write_results(out_dir, results, timer.seconds)
    plot(results, os.path.join(out_dir, "lesion.png"))
    return results


def plot(results, path):
    with figure(path, figsize=(9, 4)) as ax:
        for name, baseline in results["baseline"].items():
            rows = [r for r in results[name] if r["accuracy"] is not None]
            line, = ax.plot([r["index"] for r in rows], [100 * r["accuracy"] for r in rows], "o-",
                            ms=3, label=f"{name} without block i")
            ax.axhline(100 * baseline, color=line.get_color(), ls=":", label=f"{name} intact")
        ax.set_xlabel("removed block (index)")
        ax.set_ylabel("test accuracy (%)")
        ax.set_title("Removing one block at test time")
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    return path


__all__ = ["run", "plot"]
