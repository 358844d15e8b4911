"""The degradation problem (He et al. 2015, fig. 1 and 6): under one training budget, a
deeper *plain* network has a higher training error than a shallower one, while the deeper
*residual* network matches or beats the shallower residual one.

Every run is a resumable training run under ``<out>/runs/``; re-running the experiment
after an interruption continues where it stopped.
"""

import os

from keras_resnets import artifacts
from keras_resnets.experiments.common import (
    Timer,
    budget_options,
    figure,
    pyplot,
    train_run,
    write_results,
)
from keras_resnets.training.batchnorm import recompute_batchnorm_statistics
from keras_resnets.training.evaluation import evaluate_model

BUDGETS = {
    # a quick look (about 20 minutes on 2 CPU cores): the effect at depth 56 only
    "short": dict(depths=(8, 20, 56), epochs=3, limit_train=10_000, batch_size=128,
                  recipe="cosine", warmup_epochs=0.5, augment=False, test_every_epoch=False,
                  train_eval_images=5000),
    # He et al. 2015, fig. 6 on Fashion-MNIST: every training image, 4-pixel pad-and-crop and
    # flips, 30 epochs of cosine decay after one of warm-up, test error after every epoch
    "full": dict(depths=(20, 56), epochs=30, limit_train=None, batch_size=128,
                 recipe="cosine", warmup_epochs=1.0, augment=True, test_every_epoch=True,
                 train_eval_images=10_000),
}
COMMON = dict(dataset="fashion_mnist", seed=0, width=1.0, zero_init_residual=True)
DEFAULTS = dict(BUDGETS["short"], **COMMON)


def run(out_dir, budget="short", limit_test=None, data_dir=None, verbose=2, **options):
    """Trains plain and residual CIFAR networks (6n+2 layers) of each depth with the same
    budget and measures training error (on ``train_eval_images`` training images, inference
    mode, after recomputing the BatchNorm statistics: `recompute_batchnorm_statistics`) and
    test error; with ``test_every_epoch``, also the test error after every epoch (the
    learning curves of He et al. 2015, fig. 6).

    ``budget`` picks the defaults (`BUDGETS`: ``"short"`` or ``"full"``); ``options``
    override them one by one: ``depths``, ``epochs``, ``limit_train``, ``batch_size``,
    ``recipe``, ``warmup_epochs``, ``augment``, ``test_every_epoch``,
    ``train_eval_images``, ``dataset``, ``seed``, ``width`` (multiplies every layer's
    filters; 1.0: the paper's 16/32/64) and ``zero_init_residual``.
    ``warmup_epochs`` ramps the learning rate up linearly first: without it, ResNet-56 at
    lr 0.1 diverged in its first epoch (He et al. warm up their deepest CIFAR network at
    lr 0.01 for the same reason). ``zero_init_residual`` starts every residual branch's last
    BatchNorm scale at zero (Goyal et al. 2017; timm's default), so a deep ResNet starts as
    the identity plus its stem; the plain networks keep the standard initialization (a zero
    there would cut their only path). Returns the results dict written to ``results.json``.
    """
    from keras_resnets.data import load_arrays

    o = budget_options("degradation", BUDGETS, budget, options, COMMON)
    for depth in o["depths"]:
        if not isinstance(depth, int) or (depth - 2) % 6 or depth < 8:
            raise ValueError(f"degradation depths must be 6n+2 (8, 14, 20, ...). Received: {depth}")
    train_images, train_labels = load_arrays(o["dataset"], "train", data_dir=data_dir,
                                             limit=o["train_eval_images"])
    test_images, test_labels = load_arrays(o["dataset"], "test", data_dir=data_dir,
                                           limit=limit_test)
    runs = []
    with Timer() as timer:
        for depth in o["depths"]:
            twins = _twins(depth)
            for skip in (False, True):
                name = f"{'resnet' if skip else 'plain'}{depth}"
                model = twins[skip]
                run_dir = os.path.join(out_dir, "runs", name)
                metrics, history = train_run(
                    run_dir, verbose=verbose, model=model,
                    model_options=dict({"depth": depth, "name": name, "width": o["width"]},
                                       **({"zero_init_last": True}
                                          if skip and o["zero_init_residual"] else {})),
                    dataset=o["dataset"], epochs=o["epochs"], batch_size=o["batch_size"],
                    recipe=o["recipe"], warmup_epochs=o["warmup_epochs"],
                    augment=o["augment"], test_every_epoch=o["test_every_epoch"],
                    limit_train=o["limit_train"], limit_test=limit_test, seed=o["seed"],
                    data_dir=data_dir)
                precise = os.path.join(run_dir, "precise_bn.keras")
                if os.path.isfile(precise):
                    model = artifacts.load_model(precise)
                else:
                    model = artifacts.load_model(os.path.join(run_dir, "last.keras"))
                    recompute_batchnorm_statistics(model, train_images, seed=o["seed"])
                    artifacts.save_model(model, precise)
                runs.append({
                    "model": name, "depth": depth, "skip": skip,
                    "train_error": _error(model, train_images, train_labels),
                    "test_error": _error(model, test_images, test_labels),
                    "train_error_running": 1.0 - history[-1]["accuracy"],
                    "final_train_loss": metrics.get("final_train_loss"),
                    "train_seconds": metrics["train_seconds_total"],
                    "params": metrics["trainable_params"],
                    "history": history,
                    "run_dir": os.path.relpath(run_dir, out_dir),
                })
    budget_fields = ("epochs", "limit_train", "batch_size", "recipe", "warmup_epochs",
                     "augment", "test_every_epoch", "dataset", "seed", "width",
                     "zero_init_residual")
    results = {
        "experiment": "degradation",
        "budget_name": budget,
        "budget": {k: o[k] for k in budget_fields},
        "train_error_measured_on": (
            f"first {o['train_eval_images']} training images, inference mode, after "
            "recomputing the BatchNorm statistics over 20 training batches (precise BN); "
            "train_error_running is the mean training-mode error of the last epoch"),
        "runs": runs,
        "effect": _effect(runs),
    }
    results = write_results(out_dir, results, timer.seconds)
    plot(results, os.path.join(out_dir, "degradation.png"))
    if any("test_accuracy" in h for r in runs for h in r["history"]):
        plot_curves(results, os.path.join(out_dir, "degradation_curves.png"))
    return results


def _twins(depth):
    """{skip: registry name}: the registered CIFAR ResNet of ``depth`` layers (so that a
    run's config.json names the network it trained) and its plain twin (`ModelSpec`); for
    a depth without one, ResNet-20's pair, which the runs override with ``depth``."""
    from keras_resnets.registry import list_models, model_spec

    cifar = [model_spec(name) for name in list_models()]
    cifar = [s for s in cifar
             if s.family == "resnet" and s.block == "basic" and s.input_shape == (32, 32, 3)]
    residual = next((s for s in cifar if s.depth == depth), model_spec("resnet20"))
    return {True: residual.name, False: residual.plain_twin}


def _error(model, images, labels):
    from keras_resnets.data import make_dataset

    return 1.0 - evaluate_model(model, make_dataset(images, labels, 256))["accuracy"]


def _effect(runs):
    """Whether the runs show the degradation effect, stated as checks on the numbers: the
    deepest plain network has a higher training (and test) error than the shallowest, the
    deepest residual network matches or beats the shallowest residual one (within half a
    point), and at every depth from 20 on the residual network's training error is at most
    its plain twin's."""
    by = {(r["depth"], r["skip"]): r for r in runs}
    depths = sorted({r["depth"] for r in runs})
    shallow, deep = depths[0], depths[-1]
    plain_degrades = by[(deep, False)]["train_error"] > by[(shallow, False)]["train_error"]
    plain_test = by[(deep, False)]["test_error"] > by[(shallow, False)]["test_error"]
    residual_keeps = by[(deep, True)]["train_error"] <= by[(shallow, True)]["train_error"] + 0.005
    residual_beats_plain = {
        str(d): bool(by[(d, True)]["train_error"] <= by[(d, False)]["train_error"])
        for d in depths if d >= 20}
    return {
        "shallowest": shallow, "deepest": deep,
        "plain_deeper_has_higher_train_error": bool(plain_degrades),
        "plain_deeper_has_higher_test_error": bool(plain_test),
        "residual_deeper_matches_or_beats": bool(residual_keeps),
        "residual_train_error_at_most_plain_by_depth": residual_beats_plain,
        "shown": bool(plain_degrades and residual_keeps),
    }


def plot(results, path):
    with figure(path, 1, 2, figsize=(10, 4)) as axes:
        for skip, style in ((False, "o--"), (True, "s-")):
            rows = sorted((r for r in results["runs"] if r["skip"] == skip),
                          key=lambda r: r["depth"])
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
    return path


def plot_curves(results, path):
    """He et al. 2015, fig. 6 on our data: training error (dashed: the running error of the
    training batches) and test error (solid) per epoch, plain networks on the left and
    residual ones on the right, one colour per depth."""
    with figure(path, 1, 2, figsize=(11, 4.2), sharey=True) as axes:
        depths = sorted({r["depth"] for r in results["runs"]})
        colours = dict(zip(depths, pyplot().get_cmap("viridis")(
            [i / max(1, len(depths) - 1) * 0.85 for i in range(len(depths))])))
        top = 0.0
        for ax, skip in zip(axes, (False, True)):
            for run in sorted((r for r in results["runs"] if r["skip"] == skip),
                              key=lambda r: r["depth"]):
                epochs = [h["epoch"] for h in run["history"]]
                train = [100 * (1 - h["accuracy"]) for h in run["history"]]
                test = [100 * (1 - h["test_accuracy"]) if "test_accuracy" in h else float("nan")
                        for h in run["history"]]
                colour = colours[run["depth"]]
                name = f"{'ResNet' if skip else 'plain'}-{run['depth']}"
                ax.plot(epochs, train, "--", color=colour, lw=1.3, label=f"{name} train")
                ax.plot(epochs, test, "-", color=colour, lw=2.0, label=f"{name} test")
                top = max([top] + train[len(train) // 5:] + test[len(test) // 5:])
            ax.set_title("residual networks" if skip else "plain networks")
            ax.set_xlabel("epoch")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        axes[0].set_ylabel("error (%)")
        axes[0].set_ylim(0, min(100, top * 1.15 + 1))
    return path


__all__ = ["run", "plot", "plot_curves", "BUDGETS", "DEFAULTS"]
