"""U-Net with and without its skip connections (Ronneberger et al. 2015) on
fashion_scenes: the decoder without skips must rebuild fine detail from the bottleneck
alone, and its mean IoU shows it."""

import os

from keras_resnets.experiments.common import Timer, pyplot, save_figure, train_run, write_results

DEFAULTS = dict(epochs=3, limit_train=None, batch_size=32, base_filters=8, depth=3,
                upsampling="bilinear", recipe="adam", seed=0)


def run(out_dir, epochs=DEFAULTS["epochs"], limit_train=DEFAULTS["limit_train"],
        batch_size=DEFAULTS["batch_size"], base_filters=DEFAULTS["base_filters"],
        depth=DEFAULTS["depth"], upsampling=DEFAULTS["upsampling"],
        recipe=DEFAULTS["recipe"], seed=DEFAULTS["seed"], limit_test=None, data_dir=None,
        verbose=2):
    results = {"experiment": "unet_skips",
               "budget": dict(epochs=epochs, limit_train=limit_train, batch_size=batch_size,
                              recipe=recipe, seed=seed, dataset="fashion_scenes"),
               "model": dict(base_filters=base_filters, depth=depth, upsampling=upsampling)}
    with Timer() as timer:
        for key, skip in (("with_skips", True), ("without_skips", False)):
            run_dir = os.path.join(out_dir, "runs", key)
            metrics, history = train_run(
                run_dir, verbose=verbose, model="unet", dataset="fashion_scenes",
                model_options=dict(base_filters=base_filters, depth=depth, skip=skip,
                                   upsampling=upsampling,
                                   name="unet" if skip else "unet_noskip"),
                epochs=epochs, batch_size=batch_size, recipe=recipe, augment=True,
                limit_train=limit_train, limit_test=limit_test, seed=seed,
                    data_dir=data_dir)
            results[key] = {"mean_iou": metrics["test_mean_iou"],
                            "pixel_accuracy": metrics["test_pixel_accuracy"],
                            "params": metrics["trainable_params"], "history": history,
                            "run_dir": os.path.relpath(run_dir, out_dir)}
    results = write_results(out_dir, results, timer.seconds)
    plot(results, os.path.join(out_dir, "unet_skips.png"))
    return results


def plot(results, path):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    keys = ("with_skips", "without_skips")
    values = [results[k]["mean_iou"] for k in keys]
    ax.bar(["with skips", "without skips"], values, color=["tab:blue", "tab:gray"])
    for i, v in enumerate(values):
        ax.text(i, v + 0.01, f"{v:.3f}", ha="center")
    ax.set_ylabel("test mean IoU")
    ax.set_ylim(0, 1)
    ax.set_title("U-Net on fashion_scenes")
    save_figure(fig, path)
    plt.close(fig)
    return path
