"""Paths: a ResNet unrolled is an ensemble of 2^n paths of binomially distributed lengths
(Veit, Wilber, Belongie 2016); removing one block barely hurts it, unlike a plain net."""

import itertools

import altair as alt
import pandas as pd
import streamlit as st

import common
from common import L

st.title(L("Paths: a ResNet is an ensemble", "Caminhos: uma ResNet é um conjunto"))
common.idea(
    "Unroll $n$ residual blocks $h_i = h_{i-1} + f_i(h_{i-1})$: at every block a path either "
    "takes the shortcut or goes through $f_i$, so there are **$2^n$ paths** from input to "
    "output. A path through $k$ residual branches has length $k$, and $\\binom{n}{k}$ paths "
    "do: lengths are **binomial**, centred on $n/2$ — most of the signal travels through "
    "paths much shorter than the network. So deleting one block of a trained ResNet removes "
    "only half of the paths, all the others still work; deleting a layer of a plain "
    "network breaks its only path.",
    "Desenrole $n$ blocos residuais $h_i = h_{i-1} + f_i(h_{i-1})$: em cada bloco um caminho "
    "pega o atalho ou passa por $f_i$, então há **$2^n$ caminhos** da entrada à saída. Um "
    "caminho que passa por $k$ ramos residuais tem comprimento $k$, e $\\binom{n}{k}$ "
    "caminhos o têm: os comprimentos são **binomiais**, centrados em $n/2$ — a maior parte "
    "do sinal percorre caminhos bem mais curtos que a rede. Por isso apagar um bloco de uma "
    "ResNet treinada remove só metade dos caminhos, os outros continuam funcionando; "
    "apagar uma camada de uma rede plana quebra seu único caminho.",
)

from keras_resnets.probes import path_length_distribution  # noqa: E402

n = st.slider(L("Residual blocks n", "Blocos residuais n"), 1, 54, **common.keep("paths_n", 3),
              help=L("ResNet-20 has 9, ResNet-56 has 27, ResNet-110 has 54.",
                     "A ResNet-20 tem 9, a ResNet-56 tem 27, a ResNet-110 tem 54."))
dist = path_length_distribution(n)
c1, c2, c3 = st.columns(3)
c1.metric(L("Paths 2ⁿ", "Caminhos 2ⁿ"), common.big_int(sum(dist["counts"])))
c2.metric(L("Mean path length", "Comprimento médio"), common.num(dist["mean"], None))
c3.metric(L("Std of the length", "Desvio do comprimento"), common.num(dist["std"]))


def unrolled_dot(n):
    """DOT of n blocks: at each one the signal takes the shortcut (identity) or f_i."""
    identity = L("identity", "identidade")
    lines = ["digraph G {", "rankdir=TB;", "nodesep=0.3;", "ranksep=0.25;",  # tall: fits a phone
             'node [shape=circle, fixedsize=true, width=0.45, fontsize=16];',
             'edge [fontsize=13];', 'x0 [label="x₀", shape=box];']
    for i in range(1, n + 1):
        lines.append(f'f{i} [label="f{i}", shape=box, style="rounded,filled", '
                     f'fillcolor="#dbe9f6"];')
        lines.append(f'x{i} [label="+"];' if i < n else f'x{i} [label="y", shape=box];')
        lines.append(f'x{i - 1} -> f{i};')
        lines.append(f'f{i} -> x{i};')
        lines.append(f'x{i - 1} -> x{i} [label="{identity}", style=dashed, color="#888888"];')
    lines.append("}")
    return "\n".join(lines)


left, right = st.columns([3, 2])
with left:
    st.subheader(L("Unrolled view", "Visão desenrolada"))
    shown = min(n, 4)  # more would shrink the drawing below readable; the pattern repeats
    st.graphviz_chart(unrolled_dot(shown))
    if n > shown:
        st.caption(L(f"The first {shown} of {n} blocks; the others repeat the pattern.",
                     f"Os primeiros {shown} de {n} blocos; os outros repetem o padrão."))
    if n <= 4:
        paths = []
        for choice in itertools.product((False, True), repeat=n):
            steps = [f"f{i + 1}" for i, c in enumerate(choice) if c]
            paths.append({L("path", "caminho"): " → ".join(["x₀"] + steps + ["y"]),
                          L("length", "comprimento"): len(steps)})
        st.dataframe(pd.DataFrame(paths), hide_index=True, height=min(35 * (len(paths) + 1), 400))
with right:
    st.subheader(L("Path lengths", "Comprimentos dos caminhos"))
    frame = pd.DataFrame({"length": dist["lengths"], "share": dist["probabilities"],
                          "paths": [str(c) for c in dist["counts"]]})
    common.chart(st, alt.Chart(frame).mark_bar().encode(
        x=alt.X("length:O", title=L("residual branches on the path (k)",
                                    "ramos residuais no caminho (k)")),
        y=alt.Y("share:Q", title=L("share of paths C(n,k)/2ⁿ", "fração dos caminhos C(n,k)/2ⁿ"),
                axis=alt.Axis(format=".0%")),
        tooltip=["length", "paths", alt.Tooltip("share:Q", format=".3%")],
    ).properties(height=320), width="stretch")


# --- lesion study ----------------------------------------------------------------------------

st.header(L("Lesion study: remove one block", "Estudo de lesão: remova um bloco"))
path = common.experiment_path("lesion")
data, error = common.read_json(path)
if data is None:
    common.show_missing(path, error, L("The lesion experiment", "O experimento de lesão"))
else:
    rows = []
    baseline = data.get("baseline") if isinstance(data.get("baseline"), dict) else {}
    for model, results in data.items():
        if model == "baseline" or not isinstance(results, list):
            continue
        for i, r in enumerate(results, 1):
            if isinstance(r, dict) and r.get("accuracy") is not None:
                rows.append({"model": model, "index": r.get("index", i),
                             "block": str(r.get("block", i)), "accuracy": float(r["accuracy"])})
    if not rows:
        st.error(L(f"`{path}` holds no lesion results (expected "
                   '{"resnet56": [{"block": ..., "accuracy": ...}], ...}).',
                   f"`{path}` não tem resultados de lesão (esperado "
                   '{"resnet56": [{"block": ..., "accuracy": ...}], ...}).'))
    else:
        frame = pd.DataFrame(rows)
        models = list(dict.fromkeys(frame["model"]))
        chosen = st.multiselect(L("Models", "Modelos"), models, **common.keep("lesion_models", models, models),
                                placeholder=L("Choose a model", "Escolha um modelo"))
        shown = frame[frame["model"].isin(chosen)]
        cols = st.columns(max(1, len(chosen)))
        for col, model in zip(cols, chosen):
            part = frame[frame["model"] == model]
            base = baseline.get(model)
            col.metric(L(f"{model}: mean accuracy without one block",
                         f"{model}: acurácia média sem um bloco"),
                       common.pct(part["accuracy"].mean()),
                       None if base is None else
                       common.localize(f"{part['accuracy'].mean() - float(base):+.1%} ")
                       + L("vs intact", "vs intacta"))
        colors = alt.Scale(domain=models, range=[common.PLAIN_COLOR if m.startswith("plain")
                                                 else common.RESIDUAL_COLOR for m in models])
        bars = alt.Chart(shown).mark_line(point=True).encode(
            x=alt.X("index:Q", title=L("block removed", "bloco removido")),
            y=alt.Y("accuracy:Q", title=L("test accuracy", "acurácia de teste"),
                    axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("model:N", title=L("model", "modelo"), scale=colors),
            tooltip=["model", "block", alt.Tooltip("accuracy:Q", format=".2%")],
        )
        base_rows = [{"model": m, "accuracy": float(v)} for m, v in baseline.items()
                     if m in chosen and v is not None]
        if base_rows:
            bars = bars + alt.Chart(pd.DataFrame(base_rows)).mark_rule(strokeDash=[4, 4]).encode(
                y="accuracy:Q", color=alt.Color("model:N", scale=colors, legend=None))
        common.chart(st, bars.properties(height=320), width="stretch")
        st.caption(L("Dashed: the intact network's accuracy. A plain network's blocks that "
                     "change the shape cannot be removed and are missing.",
                     "Tracejado: a acurácia da rede intacta. Os blocos de uma rede plana que "
                     "mudam a forma não podem ser removidos e não aparecem."))
