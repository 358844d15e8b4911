"""Depth: the degradation problem (He et al. 2015, fig. 1 and 6): deeper plain networks train
worse, their residual twins do not."""

import time

import altair as alt
import pandas as pd
import streamlit as st

from keras_resnets_app import alerts, artifacts, charts
from keras_resnets_app import formatting as fmt
from keras_resnets_app.language import keep, t

st.title(t("depth.title"))
st.markdown(t("depth.idea"))

CHANCE = 0.9  # ten classes: guessing is wrong 9 times in 10


def kind_label(skip):
    return t("common.residual") if skip else t("common.plain")


def curve_label(curve):
    return {"train": t("depth.training_error"),
            "test": t("depth.test_error"),
            "validation": t("depth.validation_error")}[curve]


def network_colors(depths, kinds=(False, True)):
    """Plain networks in reds, residual ones in blues, darker when deeper."""
    reds = ("#f4a3a3", "#e0605f", "#d62728", "#8c1414")
    blues = ("#9ecae9", "#5a9fd4", "#1f77b4", "#0b3f6b")
    domain, colors = [], []
    for skip, shades in ((False, reds), (True, blues)):
        if skip not in kinds:
            continue
        for i, depth in enumerate(depths):
            domain.append(f"{kind_label(skip)} {depth}")
            colors.append(shades[min(len(shades) - 1, i + len(shades) - len(depths))])
    return alt.Scale(domain=domain, range=colors)


def error_chart(frame, depths, title, height=440, y_max=None):
    # the height holds the legends below the plot too (Streamlit fits the whole chart)
    """Error per epoch: one line per network, training dashed, held-out solid."""
    dashes = {curve_label("train"): [6, 4], curve_label("test"): [1, 0],
              curve_label("validation"): [1, 0]}
    curves = [c for c in dashes if c in set(frame["curve"])]
    chance = alt.Chart(pd.DataFrame({"error": [CHANCE]})).mark_rule(
        color="#999999", strokeDash=[2, 2]).encode(y="error:Q")
    lines = alt.Chart(frame).mark_line(strokeWidth=2.5).encode(
        x=alt.X("epoch:Q", title=t("depth.epoch"),
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[1, max(2, int(frame["epoch"].max()))])),
        y=alt.Y("error:Q", title=t("depth.error"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, y_max or 1.0])),
        color=alt.Color("network:N", title=t("common.network"),
                        scale=network_colors(depths, tuple(sorted(set(frame["skip"])))),
                        legend=alt.Legend(orient="bottom", columns=2)),
        strokeDash=alt.StrokeDash("curve:N", title=t("depth.curve"),
                                  scale=alt.Scale(domain=curves,
                                                  range=[dashes[c] for c in curves]),
                                  legend=alt.Legend(orient="top", symbolType="stroke",
                                                    symbolStrokeWidth=2.5, symbolSize=400)),
        detail="curve:N",
        tooltip=[alt.Tooltip("network:N", title=t("common.network")),
                 alt.Tooltip("curve:N", title=t("depth.curve")),
                 alt.Tooltip("epoch:Q", title=t("depth.epoch")),
                 alt.Tooltip("error:Q", title=t("depth.error"), format=".1%")],
    )
    return (lines + chance).properties(height=height, title=title)


def curves_frame(runs):
    """Per epoch and run: training error (dashed) and test error, or validation error when
    the run has no per-epoch test error. Raises ValueError on a malformed run."""
    rows = []
    for run in runs:
        try:
            skip, depth = bool(run["skip"]), int(run["depth"])
            for h in run.get("history") or []:
                held_out = ("test", h["test_accuracy"]) if h.get("test_accuracy") is not None \
                    else ("validation", h.get("val_accuracy"))
                for curve, accuracy in (("train", h.get("accuracy")), held_out):
                    if accuracy is not None:
                        rows.append({"skip": skip, "depth": depth, "epoch": int(h["epoch"]),
                                     "network": f"{kind_label(skip)} {depth}",
                                     "curve_key": curve, "curve": curve_label(curve),
                                     "error": 1.0 - float(accuracy)})
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"run {str(run)[:200]}: {err!r}") from None
    return pd.DataFrame(rows)


def budget_words(budget):
    """The training budget of every run, in a sentence."""
    epochs = budget.get("epochs")
    limit = budget.get("limit_train")
    # the 60,000 training images less the 10 % held out for validation (TrainConfig)
    images = (t("depth.budget_some_images", limit=fmt.integer(limit))
              if limit else t("depth.budget_all_images"))
    augment = (t("depth.budget_augmented")
               if budget.get("augment") else t("depth.budget_not_augmented"))
    batch, recipe = budget.get("batch_size"), budget.get("recipe")
    dataset = budget.get("dataset", "fashion_mnist")
    parts = [t("depth.budget_epochs", epochs=epochs, images=images, dataset=dataset), augment]
    if batch:
        parts.append(t("depth.budget_batches", batch=batch))
    if recipe:
        parts.append(t("depth.budget_schedule", recipe=recipe))
    parts = ", ".join(parts)
    return t("depth.budget", parts=parts)


# --- results of the experiment --------------------------------------------------------------

st.header(t("depth.figure_6"))
path = artifacts.experiment_path("degradation")
data, error = artifacts.read_json(path)
runs, frame = None, None
if data is not None:
    runs = data.get("runs") if isinstance(data, dict) else None
    try:
        if not isinstance(runs, list) or not runs:
            raise ValueError(t("depth.no_runs"))
        frame = curves_frame(runs)
        finals = pd.DataFrame([{"skip": bool(r["skip"]), "depth": int(r["depth"]),
                                "train": r.get("train_error"), "test": r.get("test_error")}
                               for r in runs])
    except (KeyError, TypeError, ValueError) as err:
        st.error(t("depth.schema_error", file=path.name, err=err))
        frame = None
else:
    alerts.show_missing(path, error, t("depth.experiment_what"),
                        t("depth.experiment_how"))

if frame is not None and not frame.empty:
    budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
    has_test = "test" in set(frame["curve_key"])
    held_out = "test" if has_test else "validation"
    options = ["train", held_out]
    labels = {k: curve_label(k) for k in options}
    chosen = st.multiselect(t("depth.show"), list(labels.values()),
                            **keep("depth_curves", options, options, labels),
                            placeholder=t("depth.choose_curve"))
    chosen = [k for k in options if labels[k] in chosen]
    depths = sorted(frame["depth"].unique())
    shown = frame[frame["curve_key"].isin(chosen)]
    if shown.empty:
        st.info(t("depth.choose_at_least_one_curve"))
    else:
        y_max = min(1.0, max(CHANCE, shown["error"].max()) + 0.05)
        left, right = st.columns(2)
        for col, skip in ((left, False), (right, True)):
            part = shown[shown["skip"] == skip]
            title = t("depth.plain_networks") if not skip \
                else t("depth.residual_networks_resnets")
            charts.chart(col, error_chart(part, depths, title, y_max=y_max), width="stretch")
        solid = t("depth.solid_test") if has_test \
            else t("depth.validation_error")
        st.caption(t("depth.curves_caption", solid=solid))
    if not has_test:
        st.info(t("depth.validation_note"))

    st.subheader(t("depth.final"))
    depth = st.select_slider(t("depth.compare_at_depth"), depths,
                             **keep("depth_compare", depths[-1], depths))
    at = finals[finals["depth"] == depth]
    cols = st.columns(4)
    for col, (skip, key) in zip(cols, ((False, "train"), (True, "train"), (False, "test"),
                                       (True, "test"))):
        value = at[at["skip"] == skip][key].dropna()
        col.metric(f"{kind_label(skip)} {depth}: {curve_label(key)}",
                   fmt.pct(float(value.iloc[0]), 2) if len(value) else "—")
    st.caption(t("depth.final_caption"))

    effect = data.get("effect") if isinstance(data.get("effect"), dict) else None
    if effect and "shown" in effect:
        rises = effect.get("plain_deeper_has_higher_train_error")
        holds = effect.get("residual_deeper_matches_or_beats")
        plain_trend = t("depth.effect_plain_rises") if rises else t("depth.effect_plain_flat")
        residual_trend = t("depth.effect_residual_flat") if holds \
            else t("depth.effect_residual_rises")
        verdict = t("depth.effect_shown") if effect["shown"] else t("depth.effect_not_shown")
        shallowest, deepest = effect.get("shallowest"), effect.get("deepest")
        (st.success if effect["shown"] else st.warning)(t(
            "depth.effect", shallowest=shallowest, deepest=deepest, plain_trend=plain_trend,
            residual_trend=residual_trend, verdict=verdict))
    if budget:
        text = budget_words(budget)
        if not budget.get("augment") and budget.get("limit_train"):
            text += " " + t("depth.budget_short")
        if data.get("wall_seconds"):
            text += " " + t("depth.budget_wall_time", minutes=data["wall_seconds"] / 60)
        st.caption(text)
    if data.get("command"):
        st.caption(t("depth.command") + f"`{data['command']}`")


# --- a short live run ------------------------------------------------------------------------

st.header(t("depth.live_run"))
st.caption(t("depth.live_caption"))

c1, c2, c3, c4 = st.columns(4)
live_depth = c1.selectbox(t("depth.live_depth"), (8, 14, 20, 32),
                          **keep("live_depth", 8))
n_images = c2.slider(t("depth.live_images"), 100, 1000, step=100,
                     **keep("live_images", 1000))
epochs = c3.slider(t("depth.live_epochs"), 1, 5, **keep("live_epochs", 3))
width = c4.select_slider(t("depth.live_width"), (0.25, 0.5, 1.0), **keep("live_width", 0.5),
                         help=t("depth.live_width_help"))
b1, b2, _ = st.columns([1, 1, 4])
start = b1.button(t("depth.live_train"), type="primary", key="live_start")
stop = b2.button(t("depth.live_stop"), key="live_stop")
if stop and st.session_state.get("live_running"):
    st.session_state["live_running"] = False
    finished = any((st.session_state.get("live_results") or {}).get("rows", {}).values())
    st.warning(t("depth.live_stopped") if finished
               else t("depth.live_stopped_early"))


def live_run(depth, n_images, epochs, width):
    images, labels, err = artifacts.fashion_mnist_test(2000)
    if images is None:
        alerts.show_failure(t("depth.live_loading_what"), err)
        return
    import keras
    import numpy as np

    from keras_resnets import CifarResNet
    from keras_resnets.training.batchnorm import recompute_batchnorm_statistics

    x_train, y_train = images[:n_images].astype("float32"), labels[:n_images]
    x_test, y_test = images[1000:1500].astype("float32"), labels[1000:1500]
    progress = st.progress(0.0, text=t("depth.live_building"))
    steps_per_epoch = int(np.ceil(n_images / 32))
    total = 2 * epochs * steps_per_epoch
    done = {"steps": 0}
    results = {}  # skip -> [{"epoch", "train_error", "test_error"}]
    st.session_state["live_results"] = {"depth": depth, "rows": results}
    st.session_state["live_running"] = True

    class Progress(keras.callbacks.Callback):
        def __init__(self, label):
            super().__init__()
            self.label = label

        def on_train_batch_end(self, batch, logs=None):
            done["steps"] += 1
            progress.progress(min(1.0, done["steps"] / total),
                              text=f"{self.label}: {done['steps']}/{total}")

    def error(model, x, y):  # eager calls in batches: no graph to trace for two small sets
        # after a few hundred steps BatchNorm's moving averages still lag far behind the
        # weights (a test error near chance); recompute them from the training images first
        recompute_batchnorm_statistics(model, x_train, batch_size=100, batches=5)
        hits = 0
        for i in range(0, len(x), 250):
            out = np.asarray(model(x[i:i + 250], training=False))
            hits += int(np.sum(out.argmax(-1) == y[i:i + 250]))
        return 1.0 - hits / len(x)

    started = time.perf_counter()
    models = {}
    for skip in (False, True):
        label = f"{kind_label(skip)} {depth}"
        keras.utils.set_random_seed(0)
        model = CifarResNet(depth=depth, skip=skip, width=width, input_shape=(28, 28, 1),
                            include_preprocessing=True, name=f"{'resnet' if skip else 'plain'}{depth}")
        model.compile(optimizer=keras.optimizers.Adam(3e-3),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                      run_eagerly=total <= 40)  # a short run: tracing would cost more
        models[skip] = (label, model)
        results[skip] = []
    for epoch in range(epochs):  # in turn, so that Stop leaves both networks to compare
        for skip, (label, model) in models.items():
            history = model.fit(x_train, y_train, batch_size=32, initial_epoch=epoch,
                                epochs=epoch + 1, verbose=0, callbacks=[Progress(label)])
            results[skip].append({"epoch": epoch + 1,
                                   "train_error": 1.0 - float(history.history["accuracy"][-1]),
                                   "test_error": error(model, x_test, y_test)})
    seconds = time.perf_counter() - started
    progress.progress(1.0, text=t("depth.live_done", seconds=seconds))
    st.session_state["live_running"] = False


if start:
    live_run(live_depth, n_images, epochs, width)

live = st.session_state.get("live_results")
rows = [dict(r, network=f"{kind_label(skip)} {live['depth']}", skip=skip)
        for skip, runs_ in (live or {}).get("rows", {}).items() for r in runs_]
if rows:
    frame = pd.DataFrame(rows)
    last = frame.sort_values("epoch").groupby("network").tail(1)
    cols = st.columns(len(last))
    for col, row in zip(cols, last.itertuples()):
        col.metric(t("depth.live_training_error", network=row.network),
                   fmt.pct(row.train_error))
        col.metric(t("depth.live_test_error", network=row.network),
                   fmt.pct(row.test_error))
    long = frame.melt(id_vars=["network", "skip", "epoch"], value_vars=["train_error", "test_error"],
                      var_name="curve_key", value_name="error")
    long["curve"] = long["curve_key"].map(lambda k: curve_label(k.split("_")[0]))
    charts.chart(st, error_chart(long, [live["depth"]], t("depth.live_chart_title")),
                    width="stretch")
    st.caption(t("depth.live_chart_caption"))
else:
    st.caption(t("depth.live_press_train"))
