"""U-Net with and without its skip connections (Ronneberger et al. 2015) on
fashion_scenes: the decoder without skips must rebuild fine detail from the bottleneck
alone, and its mean IoU shows it."""

import os

from keras_resnets.experiments.common import (
    Timer,
    budget_options,
    figure,
    train_run,
    write_results,
)

BUDGETS = {
    # a quick look (about 10 minutes on 2 CPU cores)
    "short": dict(epochs=3, limit_train=None, train_images=None, batch_size=32,
                  base_filters=8, depth=3, upsampling="bilinear", recipe="adam"),
    # trained to convergence: a U-Net twice as wide on 30,000 scenes (5x the default
    # 6,000: 40 epochs on those overfit, train mean IoU 0.82 against 0.69 on validation),
    # 10 epochs of Adam with cosine decay
    "full": dict(epochs=10, limit_train=None, train_images=30000, batch_size=32,
                 base_filters=16, depth=3, upsampling="bilinear", recipe="adam"),
}
DEFAULTS = dict(BUDGETS["short"], seed=0)


def run(out_dir, budget="short", limit_test=None, data_dir=None, verbose=2, **options):
    """Trains the U-Net with and without its skip connections under one budget on
    ``fashion_scenes`` and measures the test mean IoU of each.

    ``budget`` picks the defaults (`BUDGETS`: ``"short"`` or ``"full"``); ``options``
    override them one by one: ``epochs``, ``limit_train``, ``train_images`` (scenes
    generated for training; None: the dataset's 6,000), ``batch_size``,
    ``base_filters``, ``depth``, ``upsampling``, ``recipe`` and ``seed``.
    """
    o = budget_options("unet_skips", BUDGETS, budget, options, {"seed": 0})
    results = {"experiment": "unet_skips", "budget_name": budget,
               "budget": dict(epochs=o["epochs"], limit_train=o["limit_train"],
                              batch_size=o["batch_size"], recipe=o["recipe"], seed=o["seed"],
                              dataset="fashion_scenes", train_images=o["train_images"]),
               "model": dict(base_filters=o["base_filters"], depth=o["depth"],
                             upsampling=o["upsampling"])}
    with Timer() as timer:
        for key, skip in (("with_skips", True), ("without_skips", False)):
            run_dir = os.path.join(out_dir, "runs", key)
            metrics, history = train_run(
                run_dir, verbose=verbose, model="unet", dataset="fashion_scenes",
                model_options=dict(base_filters=o["base_filters"], depth=o["depth"],
                                   skip=skip, upsampling=o["upsampling"],
                                   name="unet" if skip else "unet_noskip"),
                epochs=o["epochs"], batch_size=o["batch_size"], recipe=o["recipe"],
                augment=True, limit_train=o["limit_train"], limit_test=limit_test,
                dataset_options=({} if o["train_images"] is None
                                 else {"train_images": o["train_images"]}),
                seed=o["seed"], data_dir=data_dir)
            results[key] = {"mean_iou": metrics["test_mean_iou"],
                            "pixel_accuracy": metrics["test_pixel_accuracy"],
                            "params": metrics["trainable_params"], "history": history,
                            "train_seconds": metrics["train_seconds_total"],
                            "run_dir": os.path.relpath(run_dir, out_dir)}
    results = write_results(out_dir, results, timer.seconds)
    plot(results, os.path.join(out_dir, "unet_skips.png"))
    return results


def plot(results, path):
    with figure(path, figsize=(5, 3.5)) as ax:
        keys = ("with_skips", "without_skips")
        values = [results[k]["mean_iou"] for k in keys]
        ax.bar(["with skips", "without skips"], values, color=["tab:blue", "tab:gray"])
        for i, v in enumerate(values):
            ax.text(i, v + 0.01, f"{v:.3f}", ha="center")
        ax.set_ylabel("test mean IoU")
        ax.set_ylim(0, 1)
        ax.set_title("U-Net on fashion_scenes")
    return path
