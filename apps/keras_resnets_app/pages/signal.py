"""Signal propagation at initialization: activation variance and gradient norms per layer,
and shattered gradients (Balduzzi et al. 2017), computed live with keras_resnets.probes."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from keras_resnets_app import alerts, charts
from keras_resnets_app import formatting as fmt
from keras_resnets_app.language import keep, t

st.title(t("signal.title"))
st.markdown(t("signal.idea"))

INITS = ("he_normal", "glorot_uniform", "lecun_normal", "orthogonal")
c1, c2, c3, c4, c5 = st.columns(5)
depth = c1.selectbox(t("signal.depth"), (8, 14, 20, 32, 56, 110),
                     **keep("sig_depth", 20))
skip = c2.toggle(t("signal.skip_connections"), **keep("sig_skip", True))
batchnorm = c3.toggle("BatchNorm", **keep("sig_bn", False))
preact = c4.toggle(t("signal.pre_activation"), **keep("sig_preact", True),
                   help=t("signal.preact_help"))
init = c5.selectbox(t("signal.initialization"), INITS,
                    **keep("sig_init", INITS[0]))
SIZE = 16  # a 16x16x1 input: the statistics do not depend on the size, the time does


def _model(depth, skip, batchnorm, preact, init, seed=0):
    import keras

    from keras_resnets import CifarResNet

    keras.utils.set_random_seed(seed)
    return CifarResNet(depth=depth, skip=skip, norm="batch" if batchnorm else None,
                       preact=preact, kernel_initializer=init, input_shape=(SIZE, SIZE, 1),
                       shortcut="B" if preact else "A",
                       name=f"{'resnet' if skip else 'plain'}{depth}")


from keras_resnets import probes  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=32)
def propagation(depth, skip, batchnorm, preact, init):
    model = _model(depth, skip, batchnorm, preact, init)
    rng = np.random.default_rng(0)
    images = rng.standard_normal((32, SIZE, SIZE, 1)).astype("float32")
    labels = rng.integers(0, 10, 32)
    stats = probes.activation_stats(model, images)
    with np.errstate(all="ignore"):
        fit = probes.variance_growth_fit(stats, within_stages=True)
    grads = probes.gradient_norms(model, images, labels)
    return stats, {"ratio": fit["ratio"], "factor": fit["exponential"]["factor"]}, grads


@st.cache_data(show_spinner=False, max_entries=32)
def shattering(depth, skip, batchnorm, preact, init):
    model = _model(depth, skip, batchnorm, preact, init)
    r = probes.shattered_gradients(model, n_points=128, radius=1.0, max_lag=16)
    return {k: np.asarray(r[k]).tolist() for k in ("t", "series", "autocorrelation")} | {
        "neighbour_correlation": r["neighbour_correlation"], "lag1": r["lag1"],
        "gradient_norm": r["gradient_norm"]}


def log_axis(title):
    return alt.Y("value:Q", title=title + t("signal.log_scale"),
                 scale=alt.Scale(type="log"))


def kind_name(residual):
    return t("common.residual") if residual else t("common.plain")


kind = kind_name(skip) + \
    (" + BN" if batchnorm else t("signal.no_normalization"))
try:
    with st.spinner(t("signal.probing_spinner")):
        stats, fit, grads = propagation(depth, skip, batchnorm, preact, init)
except Exception as err:
    alerts.show_failure(t("signal.probe_what"), err)
else:
    variances = [s["variance"] for s in stats]
    m1, m2, m3 = st.columns(3)
    m1.metric(t("signal.variance_growth"),
              f"×{fmt.num(fit['ratio'])}" if np.isfinite(fit["ratio"]) else "—")
    m2.metric(t("signal.variance_ratio"),
              fmt.human(variances[-1] / variances[0]) if variances[0] > 0 else "—")
    g = [r["grad_norm"] for r in grads]
    m3.metric(t("signal.gradient_ratio"),
              fmt.human(g[0] / g[-1]) if g[-1] > 0 else "—")

    left, right = st.columns(2)
    act = pd.DataFrame({"block": [s["block"] for s in stats], "value": variances,
                        "layer": [s["layer"] for s in stats]})
    y = log_axis(t("signal.activation_variance"))
    left.subheader(t("signal.forward_activation_variance"))
    charts.chart(left, alt.Chart(act).mark_line(point=True).encode(
        x=alt.X("block:Q", axis=alt.Axis(tickMinStep=1, format="d"),
                title=t("signal.block_axis") if skip
                else t("signal.block_axis_plain")),
        y=y, color=alt.value(charts.RESIDUAL_COLOR if skip else charts.PLAIN_COLOR),
        tooltip=["layer", "block", alt.Tooltip("value:Q", format=".3g")],
    ).properties(height=300, title=f"{kind}, {init}"), width="stretch")

    grad = pd.DataFrame({"depth": [r["depth"] for r in grads], "value": g,
                         "layer": [r["layer"] for r in grads]})
    y = log_axis("‖dL/dW‖")
    right.subheader(t("signal.backward_gradient_norm"))
    charts.chart(right, alt.Chart(grad).mark_point(filled=True).encode(
        x=alt.X("depth:Q", axis=alt.Axis(tickMinStep=1, format="d"),
                title=t("signal.layer_axis")),
        y=y, color=alt.value(charts.RESIDUAL_COLOR if skip else charts.PLAIN_COLOR),
        tooltip=["layer", "depth", alt.Tooltip("value:Q", format=".3g")],
    ).properties(height=300, title=f"{kind}, {init}"), width="stretch")

st.subheader(t("signal.shattered_gradients"))
st.caption(t("signal.shattered_caption"))
try:
    with st.spinner(t("signal.gradients_spinner")):
        rows, corr = [], {}
        for s in (skip, not skip):
            r = shattering(depth, s, batchnorm, preact, init)
            name = f"{kind_name(s)} {depth}"
            series = np.asarray(r["series"])
            scale = np.abs(series).max() or 1.0
            rows += [{"t": step, "value": v / scale, "network": name}
                     for step, v in zip(r["t"], series)]
            corr[name] = r["neighbour_correlation"]
except Exception as err:
    alerts.show_failure(t("signal.shattered_what"),
                   err)
else:
    cols = st.columns(len(corr))
    for col, (name, c) in zip(cols, corr.items()):
        col.metric(t("signal.correlation_metric", name=name), fmt.num(c, 3))
    charts.chart(st, alt.Chart(pd.DataFrame(rows)).mark_line().encode(
        x=alt.X("t:Q", title="t"),
        y=alt.Y("value:Q", title=t("signal.dy_dt_axis")),
        color=alt.Color("network:N", title=t("common.network"),
                        scale=charts.kind_scale(f"{kind_name(False)} {depth}",
                                                f"{kind_name(True)} {depth}")),
        row=alt.Row("network:N", title=None),
    ).properties(height=140), width="stretch")
    plain_c, residual_c = corr[f"{kind_name(False)} {depth}"], corr[f"{kind_name(True)} {depth}"]
    note = t("signal.correlation_note", plain=fmt.num(plain_c, 3), residual=fmt.num(residual_c, 3))
    if residual_c < 0.8:
        note += " " + t("signal.residual_shatters_note")
    if batchnorm:
        note += " " + t("signal.batchnorm_note")
    st.caption(note)
