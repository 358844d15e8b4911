"""Very deep networks (He et al. 2016, "Identity Mappings in Deep Residual Networks"):
with skip connections and BatchNorm, a pre-activation ResNet of ~1000 layers trains
stably (finite, falling loss); the same depth without normalization and without skips
does not (the signal vanishes or explodes, so the loss stays at chance or becomes NaN)."""

import math
import os

import numpy as np

from keras_resnets.experiments.common import Timer, figure, write_results
from keras_resnets.graph import WEIGHT_LAYERS, model_depth

DEFAULTS = dict(depth=1001, steps=300, batch_size=32, learning_rate=0.02, image_size=14,
                width=0.25, seed=0)


def run(out_dir, depth=DEFAULTS["depth"], steps=DEFAULTS["steps"],
        batch_size=DEFAULTS["batch_size"], learning_rate=DEFAULTS["learning_rate"],
        image_size=DEFAULTS["image_size"], width=DEFAULTS["width"], seed=DEFAULTS["seed"],
        dataset="fashion_mnist", data_dir=None, verbose=2):
    """Trains ``steps`` SGD steps of PreActResNet(``depth``) with BatchNorm and skips, and
    of its twin with neither, on the same batches; records the loss of every step.

    Depth is the point, so the defaults keep the rest small enough for a CPU: images
    subsampled to ``image_size`` pixels a side, and ``width`` times the paper's filters
    (0.25: bottleneck widths 4, 8, 16 instead of 16, 32, 64)."""
    import keras

    from keras_resnets import PreActResNet
    from keras_resnets.data import load_arrays

    images, labels = load_arrays(dataset, "train", data_dir=data_dir, limit=steps * batch_size)
    if image_size != images.shape[1]:
        step = images.shape[1] // image_size
        images = images[:, ::step, ::step][:, :image_size, :image_size]
    from keras_resnets.training.batchnorm import fused_training_model

    results = {"experiment": "deep", "depth": depth, "width": width, "steps": steps,
               "batch_size": batch_size,
               "learning_rate": learning_rate, "image_shape": list(images.shape[1:]),
               "dataset": dataset, "runs": {}}
    with Timer() as timer:
        for key, options in (("resnet_batchnorm", dict(skip=True, norm="batch")),
                             ("plain_no_norm", dict(skip=False, norm=None))):
            keras.utils.set_random_seed(seed)
            model = PreActResNet(depth=depth, input_shape=images.shape[1:], classes=10,
                                 include_preprocessing=True, name=key, width=width, **options)
            trained = fused_training_model(model)
            trained.compile(optimizer=keras.optimizers.SGD(learning_rate, momentum=0.9),
                            loss="sparse_categorical_crossentropy")
            losses = _LossPerStep()
            with Timer() as t:
                trained.fit(images, labels, batch_size=batch_size, epochs=1, shuffle=False,
                            callbacks=[losses], verbose=0)
            results["runs"][key] = dict(_summary(losses.losses, t.seconds),
                                        layers_with_weights=_weight_layers(model),
                                        depth=model_depth(model),
                                        params=int(model.count_params()))
            if verbose:
                print(f"deep: {key}: {results['runs'][key]['verdict']}", flush=True)
    results = write_results(out_dir, results, timer.seconds)
    plot(results, os.path.join(out_dir, "deep.png"))
    return results


def _weight_layers(model):
    """Every convolution and dense layer (projection shortcuts too); `depth` counts only
    those on the longest path."""
    return sum(isinstance(layer, WEIGHT_LAYERS) for layer in model.layers)


class _LossPerStep:
    """A minimal Keras callback recording each batch's loss (the running epoch mean)."""

    def __new__(cls):
        import keras

        class Recorder(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.losses = []

            def on_train_batch_end(self, batch, logs=None):
                loss = float((logs or {}).get("loss", float("nan")))
                self.losses.append(loss)
                if not math.isfinite(loss):
                    self.model.stop_training = True

        return Recorder()


def _summary(losses, seconds):
    """Keras reports the running mean of the epoch's losses; per-step losses are recovered
    from consecutive means."""
    means = np.asarray(losses, dtype="float64")
    steps = np.arange(1, len(means) + 1)
    per_step = means * steps - np.concatenate([[0.0], means[:-1] * steps[:-1]])
    finite = bool(np.all(np.isfinite(per_step)))
    k = max(1, len(per_step) // 10)
    first, last = float(np.mean(per_step[:k])), float(np.mean(per_step[-k:]))
    falls = finite and last < first - 0.1
    verdict = ("trains: finite loss, falling" if falls else
               "does not train: loss became NaN/Inf" if not finite else
               "does not train: loss does not fall")
    return {"loss_per_step": [float(x) for x in per_step], "first_tenth_mean": first,
            "last_tenth_mean": last, "finite": finite, "trains": bool(falls),
            "verdict": verdict, "seconds": round(seconds, 1)}


def plot(results, path):
    with figure(path, figsize=(7, 4)) as ax:
        for key, run in results["runs"].items():
            y = np.asarray(run["loss_per_step"], dtype="float64")
            ax.plot(np.arange(1, len(y) + 1), np.where(np.isfinite(y), y, np.nan), label=key)
        ax.axhline(math.log(10), color="gray", ls=":", label="chance (ln 10)")
        ax.set_xlabel("training step")
        ax.set_ylabel("training loss")
        ax.set_title(f"{results['depth']}-layer pre-activation network")
        ax.grid(alpha=0.3)
        ax.legend()
    return path
