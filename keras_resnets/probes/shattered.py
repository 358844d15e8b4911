"""Shattered gradients (Balduzzi, Frean, Leary, Lewis, Ma, McWilliams 2017, "The Shattered
Gradients Problem: If resnets are the answer, then what is the question?").

Along a line of nearby inputs, the gradient of a deep plain network's output with
respect to its input decorrelates from point to point (it looks like white noise), while
a residual network's gradient stays correlated between neighbours (like brown noise).
"""

import numpy as np
from keras import ops

from keras_resnets.probes._autodiff import value_and_grads
from keras_resnets.probes._state import logits_function

__all__ = ["autocorrelation", "shattered_gradients", "shattering_vs_depth"]


def autocorrelation(series, max_lag=None):
    """Normalized autocorrelation of a 1-D ``series`` at lags ``0 .. max_lag``:
    ``sum_t (s_t - m)(s_{t+k} - m) / sum_t (s_t - m)^2`` (``m`` the mean; lag 0 gives 1;
    white noise gives about 0 at every other lag)."""
    s = np.asarray(series, dtype="float64").reshape(-1)
    n = len(s)
    max_lag = n - 1 if max_lag is None else min(int(max_lag), n - 1)
    s = s - s.mean()
    denominator = float(np.dot(s, s))
    if denominator == 0:
        return np.ones(max_lag + 1)
    return np.array([float(np.dot(s[:n - k], s[k:])) / denominator
                     for k in range(max_lag + 1)])


def _pearson_rows(a, b):
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    denominator = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (a * b).sum(axis=1) / denominator, 1.0)


def shattered_gradients(model, n_points=128, radius=1.0, output="sum", origin=None,
                        direction=None, seed=0, max_lag=16, training=False):
    """Input gradients of a network along a line of nearby inputs.

    What is computed, exactly:

    1. A line of ``n_points`` inputs ``x_i = origin + t_i * direction``, with ``t_i``
       evenly spaced in ``[-radius, radius]``. By default ``origin`` and ``direction``
       are standard-normal arrays of the model's input shape (drawn with ``seed``), so
       neighbours differ by ``2 * radius / (n_points - 1)`` standard deviations per
       input element.
    2. The scalar output ``y(x)``: the sum of the logits (``output="sum"``) or logit
       number ``output`` (an int). Logits are the pre-softmax values (for a softmax
       head they are recomputed from the classifier's input; the sum of the softmax
       probabilities would be constant).
    3. The input gradients ``g_i = dy/dx (x_i)``, one per point, in one batched pass
       (each point's output depends on its own input only, since BatchNormalization runs
       in inference mode, ``training=False``; at initialization its moving statistics
       are 0 and 1, so it is then nearly the identity).
    4. ``series``: the directional derivative ``s_i = <g_i, direction> = dy/dt (t_i)``,
       the gradient of the 1-D function ``t -> y(origin + t * direction)`` that
       Balduzzi et al. plot and whose autocorrelation they study.
    5. ``neighbour_correlation``: the mean over ``i`` of the Pearson correlation,
       across input elements, between the full gradients ``g_i`` and ``g_{i+1}`` of
       neighbouring points (1: the gradient does not change; 0: unrelated).
    6. ``autocorrelation``: the normalized autocorrelation of ``series`` at lags 0 to
       ``max_lag`` (see `autocorrelation`); ``lag1`` is its value at lag 1.

    Args:
        model: a model with one input and one output.
        n_points: points on the line (at least 3).
        radius: half-length of the line, in units of ``direction``.
        output: "sum" or the index of one output unit.
        origin, direction: arrays of the model's input shape (without the batch axis).
        seed: seed of the default origin and direction.
        max_lag: last lag of the autocorrelation.
        training: BatchNormalization mode (see 3; ``True`` would mix the points).

    Returns:
        dict with ``t`` (the ``t_i``), ``series`` (``s_i``), ``gradients`` (the ``g_i``,
        shape ``(n_points, *input_shape)``), ``neighbour_correlation``,
        ``neighbour_correlations`` (the ``n_points - 1`` values), ``autocorrelation``,
        ``lag1``, ``outputs`` (``y(x_i)``) and ``gradient_norm`` (mean ``||g_i||``).
    """
    if not isinstance(n_points, int) or n_points < 3:
        raise ValueError(f"`n_points` must be an int >= 3. Received: n_points={n_points!r}")
    shape = tuple(model.inputs[0].shape[1:])
    if any(d is None for d in shape):
        raise ValueError(f"The model's input shape must be fixed. Received: {shape}")
    rng = np.random.default_rng(seed)
    origin = rng.standard_normal(shape) if origin is None else np.asarray(origin)
    direction = rng.standard_normal(shape) if direction is None else np.asarray(direction)
    if origin.shape != shape or direction.shape != shape:
        raise ValueError(f"`origin` and `direction` must have the input shape {shape}.")
    t = np.linspace(-radius, radius, n_points)
    points = (origin[None] + t.reshape(-1, *[1] * len(shape)) * direction[None])
    points = points.astype("float32")
    logits = logits_function(model)

    def y_fn(x):
        out = logits(x, training=training)
        out = ops.reshape(out, (ops.shape(out)[0], -1))
        per_point = ops.sum(out, axis=1) if output == "sum" else out[:, int(output)]
        return ops.sum(per_point), per_point

    values = {}

    def scalar(x):
        total, per_point = y_fn(x)
        values["y"] = per_point
        return total

    _, _, (grads,) = value_and_grads(scalar, inputs=[points])
    grads = ops.convert_to_numpy(grads).astype("float64")
    flat = grads.reshape(n_points, -1)
    series = flat @ direction.reshape(-1).astype("float64")
    correlations = _pearson_rows(flat[:-1], flat[1:])
    acf = autocorrelation(series, max_lag)
    return {
        "t": t,
        "series": series,
        "gradients": grads,
        "neighbour_correlation": float(np.mean(correlations)),
        "neighbour_correlations": correlations,
        "autocorrelation": acf,
        "lag1": float(acf[1]) if len(acf) > 1 else float("nan"),
        "outputs": ops.convert_to_numpy(values["y"]),
        "gradient_norm": float(np.mean(np.linalg.norm(flat, axis=1))),
    }


def shattering_vs_depth(depths=(8, 20, 56), builder=None, input_shape=(16, 16, 1),
                        seed=0, **kwargs):
    """`shattered_gradients` of a residual network and its plain twin at each depth.

    Args:
        depths: depths passed to ``builder``.
        builder: ``builder(depth=..., skip=..., input_shape=...)``; by default
            `keras_resnets.CifarResNet` with ``norm=None`` and pre-activation blocks.
        seed: weights are initialized with ``keras.utils.set_random_seed(seed)`` before
            each model, so both twins get the same weights.
        **kwargs: passed to `shattered_gradients` (n_points, radius, output, ...).

    Returns:
        list of dicts: ``depth``, ``skip``, ``neighbour_correlation``, ``lag1``,
        ``gradient_norm``.
    """
    import keras

    if builder is None:
        from keras_resnets.resnet import CifarResNet

        def builder(depth, skip, input_shape):
            return CifarResNet(depth=depth, skip=skip, norm=None, preact=True,
                               input_shape=input_shape)
    rows = []
    for depth in depths:
        for skip in (False, True):
            keras.utils.set_random_seed(seed)
            model = builder(depth=depth, skip=skip, input_shape=input_shape)
            result = shattered_gradients(model, seed=seed, **kwargs)
            rows.append({"depth": depth, "skip": skip,
                         "neighbour_correlation": result["neighbour_correlation"],
                         "lag1": result["lag1"],
                         "gradient_norm": result["gradient_norm"]})
    return rows
