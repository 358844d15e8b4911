"""Signal propagation at initialization: activation variance and gradient norms per layer,
and shattered gradients (Balduzzi et al. 2017), computed live with keras_resnets.probes."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

import common
from common import L

st.title(L("Signal propagation at initialization", "Propagação do sinal na inicialização"))
common.idea(
    "Before any training, how does the signal flow? Under He initialization a residual block "
    "without normalization adds a branch about as large as its input and uncorrelated with "
    "it: $\\mathrm{Var}(x + f(x)) \\approx 2\\,\\mathrm{Var}(x)$, so the variance **doubles "
    "per block** ($2^L$). **BatchNorm** normalizes each channel with the statistics of the "
    "batch during training (then a learned per-channel scale $\\gamma$ and shift $\\beta$; "
    "at inference it uses moving averages instead). Inside the branch it makes each block "
    "add about the same amount, so within a stage the variance grows **about linearly** "
    "instead of doubling; at the first block of each stage the projection shortcut starts "
    "afresh, which draws a sawtooth. Gradients tell the same story backwards; and along a "
    "line of inputs the gradient of a deep plain network **shatters** into white noise, "
    "while a ResNet's shatters far more slowly with depth (Balduzzi et al. 2017).",
    "Antes de treinar, como o sinal flui? Com a inicialização de He, um bloco residual sem "
    "normalização soma um ramo do tamanho da entrada e não correlacionado com ela: "
    "$\\mathrm{Var}(x + f(x)) \\approx 2\\,\\mathrm{Var}(x)$, então a variância **dobra a "
    "cada bloco** ($2^L$). A **BatchNorm** normaliza cada canal com as estatísticas do lote "
    "no treino (depois uma escala $\\gamma$ e um deslocamento $\\beta$ aprendidos por canal; "
    "na inferência usa médias móveis). Dentro do ramo ela faz cada bloco somar mais ou "
    "menos a mesma quantidade, então dentro de um estágio a variância cresce **quase "
    "linearmente** em vez de dobrar; no primeiro bloco de cada estágio o atalho de projeção "
    "recomeça, o que desenha um dente de serra. Os gradientes contam a mesma história de "
    "trás para frente; e ao longo de uma linha de entradas o gradiente de uma rede plana "
    "profunda se **estilhaça** em ruído branco, enquanto o de uma ResNet se estilhaça bem "
    "mais devagar com a profundidade (Balduzzi et al. 2017).",
)

INITS = ("he_normal", "glorot_uniform", "lecun_normal", "orthogonal")
c1, c2, c3, c4, c5 = st.columns(5)
depth = c1.selectbox(L("Depth (6n+2)", "Profundidade (6n+2)"), (8, 14, 20, 32, 56, 110),
                     **common.keep("sig_depth", 20))
skip = c2.toggle(L("Skip connections", "Conexões residuais"), **common.keep("sig_skip", True))
batchnorm = c3.toggle("BatchNorm", **common.keep("sig_bn", False))
preact = c4.toggle(L("Pre-activation", "Pré-ativação"), **common.keep("sig_preact", True),
                   help=L("BN-ReLU-conv blocks with a clean identity path (He et al. 2016).",
                          "Blocos BN-ReLU-conv com caminho identidade limpo (He et al. 2016)."))
init = c5.selectbox(L("Initialization", "Inicialização"), INITS,
                    **common.keep("sig_init", INITS[0]))
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
    return alt.Y("value:Q", title=title + L(" (log scale)", " (escala log)"),
                 scale=alt.Scale(type="log"))


def kind_name(residual):
    return L("residual", "residual") if residual else L("plain", "plana")


kind = kind_name(skip) + \
    (" + BN" if batchnorm else L(", no normalization", ", sem normalização"))
try:
    with st.spinner(L("Probing the network at initialization…",
                      "Sondando a rede na inicialização…")):
        stats, fit, grads = propagation(depth, skip, batchnorm, preact, init)
except Exception as err:
    common.failure(L("The probe", "A sonda"), err)
else:
    variances = [s["variance"] for s in stats]
    m1, m2, m3 = st.columns(3)
    m1.metric(L("Variance growth per block", "Crescimento da variância por bloco"),
              f"×{common.num(fit['ratio'])}" if np.isfinite(fit["ratio"]) else "—")
    m2.metric(L("Variance of the last block / first", "Variância do último bloco / primeiro"),
              common.human(variances[-1] / variances[0]) if variances[0] > 0 else "—")
    g = [r["grad_norm"] for r in grads]
    m3.metric(L("Gradient norm, first / last layer", "Norma do gradiente, primeira / última"),
              common.human(g[0] / g[-1]) if g[-1] > 0 else "—")

    left, right = st.columns(2)
    act = pd.DataFrame({"block": [s["block"] for s in stats], "value": variances,
                        "layer": [s["layer"] for s in stats]})
    y = log_axis(L("activation variance", "variância da ativação"))
    left.subheader(L("Forward: activation variance", "Ida: variância das ativações"))
    common.chart(left, alt.Chart(act).mark_line(point=True).encode(
        x=alt.X("block:Q", axis=alt.Axis(tickMinStep=1, format="d"),
                title=L("residual block (0 = stem)", "bloco residual (0 = entrada)") if skip
                else L("block, without its skip (0 = stem)",
                       "bloco, sem o atalho (0 = entrada)")),
        y=y, color=alt.value(common.RESIDUAL_COLOR if skip else common.PLAIN_COLOR),
        tooltip=["layer", "block", alt.Tooltip("value:Q", format=".3g")],
    ).properties(height=300, title=f"{kind}, {init}"), width="stretch")

    grad = pd.DataFrame({"depth": [r["depth"] for r in grads], "value": g,
                         "layer": [r["layer"] for r in grads]})
    y = log_axis("‖dL/dW‖")
    right.subheader(L("Backward: gradient norm", "Volta: norma do gradiente"))
    common.chart(right, alt.Chart(grad).mark_point(filled=True).encode(
        x=alt.X("depth:Q", axis=alt.Axis(tickMinStep=1, format="d"),
                title=L("weight layer (depth)", "camada com pesos (profundidade)")),
        y=y, color=alt.value(common.RESIDUAL_COLOR if skip else common.PLAIN_COLOR),
        tooltip=["layer", "depth", alt.Tooltip("value:Q", format=".3g")],
    ).properties(height=300, title=f"{kind}, {init}"), width="stretch")

st.subheader(L("Shattered gradients", "Gradientes estilhaçados"))
st.caption(L(
    "The derivative dy/dt of the summed logits along a line of 128 nearby inputs "
    "x(t) = x₀ + t·d, for this network and its twin. Smooth (brown noise): the gradient "
    "means something locally; jagged (white noise): it is shattered.",
    "A derivada dy/dt da soma dos logits ao longo de uma linha de 128 entradas próximas "
    "x(t) = x₀ + t·d, para esta rede e sua gêmea. Suave (ruído marrom): o gradiente tem "
    "sentido localmente; serrilhado (ruído branco): está estilhaçado."))
try:
    with st.spinner(L("Computing input gradients…", "Calculando gradientes…")):
        rows, corr = [], {}
        for s in (skip, not skip):
            r = shattering(depth, s, batchnorm, preact, init)
            name = f"{kind_name(s)} {depth}"
            series = np.asarray(r["series"])
            scale = np.abs(series).max() or 1.0
            rows += [{"t": t, "value": v / scale, "network": name}
                     for t, v in zip(r["t"], series)]
            corr[name] = r["neighbour_correlation"]
except Exception as err:
    common.failure(L("The shattered-gradient probe", "A sonda de gradientes estilhaçados"),
                   err)
else:
    cols = st.columns(len(corr))
    for col, (name, c) in zip(cols, corr.items()):
        col.metric(L(f"{name}: neighbour gradient correlation",
                     f"{name}: correlação entre gradientes vizinhos"), common.num(c, 3))
    common.chart(st, alt.Chart(pd.DataFrame(rows)).mark_line().encode(
        x=alt.X("t:Q", title="t"),
        y=alt.Y("value:Q", title=L("dy/dt (scaled to ±1)", "dy/dt (escala ±1)")),
        color=alt.Color("network:N", title=L("network", "rede"),
                        scale=common.kind_scale(f"{kind_name(False)} {depth}",
                                                f"{kind_name(True)} {depth}")),
        row=alt.Row("network:N", title=None),
    ).properties(height=140), width="stretch")
    plain_c, residual_c = corr[f"{kind_name(False)} {depth}"], corr[f"{kind_name(True)} {depth}"]
    note = L(f"1 means neighbouring inputs have the same gradient, 0 unrelated ones. Here "
             f"the plain network gives {common.num(plain_c, 3)}, the residual one "
             f"{common.num(residual_c, 3)}.",
             f"1 quer dizer que entradas vizinhas têm o mesmo gradiente, 0 gradientes sem "
             f"relação. Aqui a rede plana dá {common.num(plain_c, 3)}, a residual "
             f"{common.num(residual_c, 3)}.")
    if residual_c < 0.8:
        note += " " + L(
            "Deep enough, a residual network without normalization shatters too: its "
            "correlation decays far more slowly with depth than a plain network's "
            "(about 1/√L against 2^−L), but it does decay.",
            "Com profundidade suficiente, uma rede residual sem normalização também se "
            "estilhaça: sua correlação cai bem mais devagar com a profundidade que a de "
            "uma rede plana (cerca de 1/√L contra 2^−L), mas cai.")
    if batchnorm:
        note += " " + L(
            "BatchNorm does not change these numbers: the probe runs the network in "
            "inference mode, where at initialization BatchNorm uses its starting moving "
            "averages (mean 0, variance 1) and is the identity.",
            "A BatchNorm não muda estes números: a sonda roda a rede em modo de "
            "inferência, em que na inicialização a BatchNorm usa suas médias móveis "
            "iniciais (média 0, variância 1) e é a identidade.")
    st.caption(note)
