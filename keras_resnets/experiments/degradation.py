"""The degradation problem (He et al. 2015, fig. 1 and 6): under one training budget, a
deeper *plain* network has a higher training error than a shallower one, while the deeper
*residual* network matches or beats the shallower residual one.

Every run is a resumable training run under ``<out>/runs/``; re-running the experiment
after an interruption continues where it stopped.
"""

import os

from keras_resnets import artifacts
from keras_resnets.experiments.common import Timer, pyplot, save_figure, train_run, write_results
from keras_resnets.training.batchnorm import recompute_batchnorm_statistics

DEFAULTS = dict(depths=(8, 20, 56), epochs=3, limit_train=10_000, batch_size=128,
                recipe="cosine", warmup_epochs=0.5, dataset="fashion_mnist", seed=0,
                train_eval_images=5000, width=1.0, zero_init_residual=True)


def run(out_dir, depths=DEFAULTS["depths"], epochs=DEFAULTS["epochs"],
        limit_train=DEFAULTS["limit_train"], batch_size=DEFAULTS["batch_size"],
        recipe=DEFAULTS["recipe"], warmup_epochs=DEFAULTS["warmup_epochs"],
        dataset=DEFAULTS["dataset"], seed=DEFAULTS["seed"],
        train_eval_images=DEFAULTS["train_eval_images"], width=DEFAULTS["width"],
        zero_init_residual=DEFAULTS["zero_init_residual"], limit_test=None, data_dir=None,
        verbose=2):
    """Trains plain and residual CIFAR networks (6n+2 layers) of each depth with the same
    budget and measures training error (on ``train_eval_images`` training images, inference
    mode, after recomputing the BatchNorm statistics: `recompute_batchnorm_statistics`) and
    test error. ``width`` multiplies every layer's filters (1.0: the paper's
    16/32/64). ``warmup_epochs`` ramps the learning rate up linearly first: without it,
    ResNet-56 at lr 0.1 diverged in its first epoch (He et al. warm up their deepest CIFAR
    network at lr 0.01 for the same reason). ``zero_init_residual`` starts every residual
    branch's last BatchNorm scale at zero (Goyal et al. 2017; timm's default), so a deep
    ResNet starts as the identity plus its stem; the plain networks keep the standard
    initialization (a zero there would cut their only path). Returns the results dict written to ``results.json``."""
    import keras

    from keras_resnets.data import load_arrays

    for depth in depths:
        if (depth - 2) % 6 or depth < 8:
            raise ValueError(f"degradation depths must be 6n+2 (8, 14, 20, ...). Received: {depth}")
    train_images, train_labels = load_arrays(dataset, "train", data_dir=data_dir,
                                             limit=train_eval_images)
    test_images, test_labels = load_arrays(dataset, "test", data_dir=data_dir, limit=limit_test)
    runs = []
    with Timer() as timer:
        for depth in depths:
            for skip in (False, True):
                name = f"{'resnet' if skip else 'plain'}{depth}"
                run_dir = os.path.join(out_dir, "runs", name)
                metrics, history = train_run(
                    run_dir, verbose=verbose, model="resnet20" if skip else "plain20",
                    model_options=dict({"depth": depth, "name": name, "width": width},
                                       **({"zero_init_last": True}
                                          if skip and zero_init_residual else {})),
                    dataset=dataset,
                    epochs=epochs, batch_size=batch_size, recipe=recipe,
                    warmup_epochs=warmup_epochs, augment=False,
                    limit_train=limit_train, limit_test=limit_test, seed=seed,
                    data_dir=data_dir)
                model = keras.models.load_model(os.path.join(run_dir, "last.keras"))
                recompute_batchnorm_statistics(model, train_images, seed=seed)
                artifacts.save_model(model, os.path.join(run_dir, "precise_bn.keras"))
                train_error = _error(model, train_images, train_labels)
                runs.append({
                    "model": name, "depth": depth, "skip": skip,
                    "train_error": train_error,
                    "test_error": _error(model, test_images, test_labels),
                    "train_error_running": 1.0 - history[-1]["accuracy"],
                    "final_train_loss": metrics.get("final_train_loss"),
                    "train_seconds": metrics["train_seconds_total"],
                    "params": metrics["trainable_params"],
                    "history": history,
                    "run_dir": os.path.relpath(run_dir, out_dir),
                })
    results = {
        "experiment": "degradation",
        "budget": dict(epochs=epochs, limit_train=limit_train, batch_size=batch_size,
                       recipe=recipe, warmup_epochs=warmup_epochs, dataset=dataset,
                       augment=False, seed=seed, width=width,
                       zero_init_residual=zero_init_residual),
        "train_error_measured_on": (
            f"first {train_eval_images} training images, inference mode, after recomputing "
            "the BatchNorm statistics over 20 training batches (precise BN); "
            "train_error_running is the mean training-mode error of the last epoch"),
        "runs": runs,
        "effect": _effect(runs),
    }
    results = write_results(out_dir, results, timer.seconds)
    plot(results, os.path.join(out_dir, "degradation.png"))
    return results


def _error(model, images, labels):
    probs = model.predict(images, batch_size=256, verbose=0)
    return float((probs.argmax(-1) != labels).mean())


def _effect(runs):
    """Whether the runs show the degradation effect, stated as checks on the numbers."""
    by = {(r["depth"], r["skip"]): r for r in runs}
    depths = sorted({r["depth"] for r in runs})
    shallow, deep = depths[0], depths[-1]
    plain_degrades = by[(deep, False)]["train_error"] > by[(shallow, False)]["train_error"]
    residual_keeps = by[(deep, True)]["train_error"] <= by[(shallow, True)]["train_error"] + 0.005
    return {
        "shallowest": shallow, "deepest": deep,
        "plain_deeper_has_higher_train_error": bool(plain_degrades),
        "residual_deeper_matches_or_beats": bool(residual_keeps),
        "shown": bool(plain_degrades and residual_keeps),
    }


def plot(results, path):
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for skip, style in ((False, "o--"), (True, "s-")):
        rows = sorted((r for r in results["runs"] if r["skip"] == skip), key=lambda r: r["depth"])
        label = "residual" if skip else "plain"
        depths = [r["depth"] for r in rows]
        axes[0].plot(depths, [100 * r["train_error"] for r in rows], style, label=label)
        axes[1].plot(depths, [100 * r["test_error"] for r in rows], style, label=label)
    for ax, title in zip(axes, ("training error", "test error")):
        ax.set_xlabel("depth (weight layers)")
        ax.set_ylabel(f"{title} (%)")
        ax.set_title(f"{title} vs depth, same budget")
        ax.grid(alpha=0.3)
        ax.legend()
    save_figure(fig, path)
    plt.close(fig)
    return path


__all__ = ["run", "plot", "DEFAULTS"]
