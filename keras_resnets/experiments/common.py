"""What every experiment shares: training one configuration into a resumable run
directory, results files and plots."""

import contextlib
import os
import shlex
import sys
import time

from keras_resnets import artifacts


def command_line():
    """The command that is running, as a user would retype it."""
    argv = list(sys.argv)
    if argv and argv[0].endswith(("keras-resnets", "__main__.py")):
        argv[0] = "keras-resnets"
    return " ".join(shlex.quote(a) for a in argv)


def train_run(run_dir, verbose=2, **config):
    """Trains (or resumes, or just reads) one `TrainConfig` in ``run_dir``; returns
    (metrics, history)."""
    from keras_resnets.training import TrainConfig, train

    metrics_path = os.path.join(run_dir, "metrics.json")
    if os.path.isfile(metrics_path) and os.path.isfile(os.path.join(run_dir, "history.json")):
        return artifacts.read_json(metrics_path), artifacts.read_json(
            os.path.join(run_dir, "history.json"))
    metrics = train(TrainConfig(**config), run_dir, verbose=verbose)
    return metrics, artifacts.read_json(os.path.join(run_dir, "history.json"))


def budget_options(experiment, budgets, budget, options, fixed=None):
    """The options of ``budget`` (a key of ``budgets``), with ``fixed`` defaults shared by
    every budget and the caller's ``options`` on top; names no budget knows are refused."""
    if budget not in budgets:
        raise ValueError(f"budget must be one of {', '.join(budgets)}. Received: {budget!r}")
    merged = dict(budgets[budget], **(fixed or {}))
    unknown = sorted(set(options) - set(merged))
    if unknown:
        raise ValueError(f"Unknown {experiment} option(s): {', '.join(unknown)}")
    merged.update(options)
    return merged


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def write_results(out_dir, results, seconds):
    results = dict(results, command=command_line(), wall_seconds=round(seconds, 1))
    artifacts.write_json(os.path.join(out_dir, "results.json"), results)
    return results


def save_figure(fig, path):
    """Saves a matplotlib figure atomically as PNG."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    artifacts.write_bytes(path, buffer.getvalue())


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@contextlib.contextmanager
def figure(path, *args, **kwargs):
    """The axes of ``pyplot.subplots(*args, **kwargs)``; their figure is saved as PNG at
    ``path`` (`save_figure`) when the block ends without an error, and closed either way."""
    plt = pyplot()
    fig, axes = plt.subplots(*args, **kwargs)
    try:
        yield axes
        save_figure(fig, path)
    finally:
        plt.close(fig)
