"""Paths: a ResNet unrolled is an ensemble of 2^n paths of binomially distributed lengths
(Veit, Wilber, Belongie 2016); removing one block barely hurts it, unlike a plain net."""

import itertools

import altair as alt
import pandas as pd
import streamlit as st

from keras_resnets_app import alerts, artifacts, charts
from keras_resnets_app import formatting as fmt
from keras_resnets_app.language import keep, t

st.title(t("paths.title"))
st.markdown(t("paths.idea"))

from keras_resnets.probes import path_length_distribution  # noqa: E402

n = st.slider(t("paths.residual_blocks_n"), 1, 54, **keep("paths_n", 3),
              help=t("paths.blocks_help"))
dist = path_length_distribution(n)
c1, c2, c3 = st.columns(3)
c1.metric(t("paths.paths_2n"), fmt.big_int(sum(dist["counts"])))
c2.metric(t("paths.mean_path_length"), fmt.num(dist["mean"], None))
c3.metric(t("paths.std_length"), fmt.num(dist["std"]))


def unrolled_dot(n):
    """DOT of n blocks: at each one the signal takes the shortcut (identity) or f_i."""
    identity = t("paths.identity")
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
    st.subheader(t("paths.unrolled_view"))
    shown = min(n, 4)  # more would shrink the drawing below readable; the pattern repeats
    st.graphviz_chart(unrolled_dot(shown))
    if n > shown:
        st.caption(t("paths.first_blocks", shown=shown, n=n))
    if n <= 4:
        paths = []
        for choice in itertools.product((False, True), repeat=n):
            steps = [f"f{i + 1}" for i, c in enumerate(choice) if c]
            paths.append({t("paths.path"): " → ".join(["x₀"] + steps + ["y"]),
                          t("paths.length"): len(steps)})
        st.dataframe(pd.DataFrame(paths), hide_index=True, height=min(35 * (len(paths) + 1), 400))
with right:
    st.subheader(t("paths.path_lengths"))
    frame = pd.DataFrame({"length": dist["lengths"], "share": dist["probabilities"],
                          "paths": [str(c) for c in dist["counts"]]})
    charts.chart(st, alt.Chart(frame).mark_bar().encode(
        x=alt.X("length:O", title=t("paths.length_axis")),
        y=alt.Y("share:Q", title=t("paths.share_axis"),
                axis=alt.Axis(format=".0%")),
        tooltip=["length", "paths", alt.Tooltip("share:Q", format=".3%")],
    ).properties(height=320), width="stretch")


# --- lesion study ----------------------------------------------------------------------------

st.header(t("paths.lesion_header"))
path = artifacts.experiment_path("lesion")
data, error = artifacts.read_json(path)
if data is None:
    alerts.show_missing(path, error, t("paths.experiment_what"))
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
        st.error(t("paths.no_lesion_results", path=path))
    else:
        frame = pd.DataFrame(rows)
        models = list(dict.fromkeys(frame["model"]))
        chosen = st.multiselect(t("paths.models"), models, **keep("lesion_models", models, models),
                                placeholder=t("paths.choose_model"))
        shown = frame[frame["model"].isin(chosen)]
        cols = st.columns(max(1, len(chosen)))
        for col, model in zip(cols, chosen):
            part = frame[frame["model"] == model]
            base = baseline.get(model)
            col.metric(t("paths.lesion_metric", model=model),
                       fmt.pct(part["accuracy"].mean()),
                       None if base is None else
                       fmt.localize(f"{part['accuracy'].mean() - float(base):+.1%} ")
                       + t("paths.vs_intact"))
        colors = alt.Scale(domain=models, range=[charts.PLAIN_COLOR if m.startswith("plain")
                                                 else charts.RESIDUAL_COLOR for m in models])
        bars = alt.Chart(shown).mark_line(point=True).encode(
            x=alt.X("index:Q", title=t("paths.block_removed")),
            y=alt.Y("accuracy:Q", title=t("common.test_accuracy"),
                    axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("model:N", title=t("common.model"), scale=colors),
            tooltip=["model", "block", alt.Tooltip("accuracy:Q", format=".2%")],
        )
        base_rows = [{"model": m, "accuracy": float(v)} for m, v in baseline.items()
                     if m in chosen and v is not None]
        if base_rows:
            bars = bars + alt.Chart(pd.DataFrame(base_rows)).mark_rule(strokeDash=[4, 4]).encode(
                y="accuracy:Q", color=alt.Color("model:N", scale=colors, legend=None))
        charts.chart(st, bars.properties(height=320), width="stretch")
        st.caption(t("paths.lesion_caption"))
