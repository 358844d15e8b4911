"""Depth: the degradation problem (He et al. 2015, fig. 1 and 6): deeper plain networks train
worse, their residual twins do not."""

import time

import altair as alt
import pandas as pd
import streamlit as st

import common
from common import L

st.title(L("Depth: the degradation problem", "Profundidade: o problema da degradação"))
common.idea(
    "Stacking more layers should never hurt: the extra layers could learn the identity. Yet "
    "a deeper **plain** network ends with a *higher training error* than a shallower one — "
    "not overfitting, an optimization problem. A **residual** block learns only the "
    "correction, $h = x + f(x)$: the identity is free ($f = 0$), and depth helps again.",
    "Empilhar camadas não deveria piorar nada: as camadas extras poderiam aprender a "
    "identidade. Mas uma rede **plana** mais profunda termina com *erro de treino maior* "
    "que uma mais rasa — não é sobreajuste, é um problema de otimização. Um bloco "
    "**residual** aprende só a correção, $h = x + f(x)$: a identidade sai de graça "
    "($f = 0$), e a profundidade volta a ajudar.",
)

KIND = {True: L("residual", "residual"), False: L("plain", "plana")}
SPLIT = {"train_error": L("training error", "erro de treino"),
         "test_error": L("test error", "erro de teste")}


def results_frame(data):
    """The runs as a DataFrame (one row per run and split), or raises ValueError."""
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, list) or not runs:
        raise ValueError(L("no `runs` list", "sem a lista `runs`"))
    rows = []
    for run in runs:
        try:
            for key in ("train_error", "test_error"):
                if run.get(key) is None:
                    continue
                rows.append({"model": str(run["model"]), "depth": int(run["depth"]),
                             "skip": bool(run["skip"]), "kind": KIND[bool(run["skip"])],
                             "split": SPLIT[key], "error": float(run[key])})
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"run {run!r}: {err}") from None
    if not rows:
        raise ValueError(L("no run has an error value", "nenhuma execução tem erro"))
    return pd.DataFrame(rows)


# --- results of the experiment --------------------------------------------------------------

st.header(L("Error vs depth (shipped experiment)", "Erro vs profundidade (experimento)"))
path = common.experiment_path("degradation")
data, error = common.read_json(path)
frame = None
if data is not None:
    try:
        frame = results_frame(data)
    except ValueError as err:
        st.error(L(f"`{path}` does not follow the results schema: {err}",
                   f"`{path}` não segue o formato de resultados: {err}"))
else:
    common.show_missing(path, error, L("The degradation experiment", "O experimento de degradação"),
                        L("The live run below still works.", "A execução ao vivo abaixo funciona."))

if frame is not None:
    splits = st.multiselect(L("Show", "Mostrar"), list(SPLIT.values()),
                            default=list(SPLIT.values()), key="depth_splits")
    shown = frame[frame["split"].isin(splits)]
    agg = shown.groupby(["depth", "kind", "split"], as_index=False)["error"].mean()
    chart = (
        alt.Chart(agg)
        .mark_line(point=True)
        .encode(
            x=alt.X("depth:Q", title=L("depth (weight layers)", "profundidade (camadas com pesos)")),
            y=alt.Y("error:Q", title=L("error", "erro"), axis=alt.Axis(format="%")),
            color=alt.Color("kind:N", title=L("network", "rede"),
                            scale=alt.Scale(domain=[KIND[False], KIND[True]],
                                            range=["#d62728", "#1f77b4"])),
            strokeDash=alt.StrokeDash("split:N", title=L("split", "conjunto")),
            tooltip=["depth", "kind", "split", alt.Tooltip("error:Q", format=".2%")],
        )
        .properties(height=340)
    )
    st.altair_chart(chart, width="stretch")

    depths = sorted(frame["depth"].unique())
    depth = st.select_slider(L("Compare at depth", "Comparar na profundidade"), depths,
                             value=depths[-1], key="depth_compare")
    at = frame[frame["depth"] == depth].groupby(["kind", "split"])["error"].mean()
    cols = st.columns(4)
    for col, kind_skip, split in zip(cols, (False, True, False, True),
                                     ("train_error", "train_error", "test_error", "test_error")):
        value = at.get((KIND[kind_skip], SPLIT[split]))
        col.metric(f"{KIND[kind_skip]} {depth}: {SPLIT[split]}",
                   "—" if value is None else f"{value:.2%}")

    histories = [r for r in data["runs"] if isinstance(r.get("history"), list) and r["history"]]
    if histories:
        with st.expander(L("Training curves", "Curvas de treino")):
            hist_rows = []
            for r in histories:
                for h in r["history"]:
                    for key in ("accuracy", "val_accuracy"):
                        if h.get(key) is not None:
                            hist_rows.append({
                                "run": f"{r['model']} ({KIND[bool(r.get('skip'))]})",
                                "epoch": h.get("epoch"),
                                "metric": key, "value": 1.0 - float(h[key])})
            if hist_rows:
                hist = pd.DataFrame(hist_rows)
                st.altair_chart(
                    alt.Chart(hist).mark_line(point=True).encode(
                        x=alt.X("epoch:Q", title=L("epoch", "época")),
                        y=alt.Y("value:Q", title=L("error (1 - accuracy)", "erro (1 - acurácia)")),
                        color=alt.Color("run:N", title=L("run", "execução")),
                        strokeDash=alt.StrokeDash("metric:N", title=""),
                    ).properties(height=300),
                    width="stretch")
    effect = data.get("effect") if isinstance(data.get("effect"), dict) else None
    if effect and "shown" in effect:
        (st.success if effect["shown"] else st.warning)(L(
            f"From {effect.get('shallowest')} to {effect.get('deepest')} layers: the plain "
            f"network's training error "
            f"{'rises' if effect.get('plain_deeper_has_higher_train_error') else 'does not rise'}"
            f", the residual one's "
            f"{'does not' if effect.get('residual_deeper_matches_or_beats') else 'does'}"
            f" — the degradation effect is {'shown' if effect['shown'] else 'not shown'} "
            "by this run.",
            f"De {effect.get('shallowest')} a {effect.get('deepest')} camadas: o erro de treino "
            f"da rede plana "
            f"{'sobe' if effect.get('plain_deeper_has_higher_train_error') else 'não sobe'}"
            f", o da residual "
            f"{'não sobe' if effect.get('residual_deeper_matches_or_beats') else 'sobe'}"
            f" — esta execução {'mostra' if effect['shown'] else 'não mostra'} o efeito de "
            "degradação."))
    budget = data.get("budget") if isinstance(data.get("budget"), dict) else None
    if budget:
        st.caption(L("Same budget for every run: ", "Mesmo orçamento para todas: ")
                   + ", ".join(f"{k}={v}" for k, v in budget.items()))
    if data.get("command"):
        st.caption(L("Command: ", "Comando: ") + f"`{data['command']}`"
                   + (f" — {data['wall_seconds'] / 60:.0f} min" if data.get("wall_seconds") else ""))


# --- a short live run ------------------------------------------------------------------------

st.header(L("Live run", "Execução ao vivo"))
st.caption(L(
    "Trains a plain network and its residual twin (same layers, same initial weights "
    "where they match) on a few hundred Fashion-MNIST images, here and now, on the CPU. "
    "Tiny on purpose: it shows the trend, not the paper's numbers.",
    "Treina uma rede plana e sua gêmea residual (mesmas camadas, mesmos pesos iniciais "
    "onde coincidem) com algumas centenas de imagens do Fashion-MNIST, aqui e agora, na "
    "CPU. Pequena de propósito: mostra a tendência, não os números do artigo."))

c1, c2, c3, c4 = st.columns(4)
live_depth = c1.selectbox(L("Depth", "Profundidade"), (8, 14, 20, 32), index=1, key="live_depth")
n_images = c2.slider(L("Training images", "Imagens de treino"), 100, 1000, 300, 100,
                     key="live_images")
epochs = c3.slider(L("Epochs", "Épocas"), 1, 3, 1, key="live_epochs")
width = c4.select_slider(L("Width", "Largura"), (0.25, 0.5, 1.0), value=0.5, key="live_width",
                         help=L("Multiplier of the 16/32/64 filters.",
                                "Multiplicador dos filtros 16/32/64."))
b1, b2, _ = st.columns([1, 1, 4])
start = b1.button(L("Train", "Treinar"), type="primary", key="live_start")
stop = b2.button(L("Stop", "Parar"), key="live_stop")
if stop and st.session_state.get("live_running"):
    st.session_state["live_running"] = False
    st.warning(L("Stopped." + (" The results of the finished epochs are kept below."
                               if st.session_state.get("live_results") else ""),
                 "Parado." + (" Os resultados das épocas concluídas estão abaixo."
                              if st.session_state.get("live_results") else "")))


def live_run(depth, n_images, epochs, width):
    data = common.fashion_mnist_test(2000)
    images, labels, err = data
    if images is None:
        st.warning(L(f"Fashion-MNIST is not available here: {err}",
                     f"O Fashion-MNIST não está disponível aqui: {err}"))
        return
    resnet = common.need("keras_resnets", ("CifarResNet",))
    if resnet is None:
        return
    import keras
    import numpy as np

    x_train, y_train = images[:n_images].astype("float32"), labels[:n_images]
    x_test, y_test = images[1000:1500].astype("float32"), labels[1000:1500]
    progress = st.progress(0.0, text=L("building…", "construindo…"))
    total = 2 * epochs * int(np.ceil(n_images / 32))
    done = {"steps": 0}
    results = {}
    st.session_state["live_results"] = results
    st.session_state["live_running"] = True

    class Progress(keras.callbacks.Callback):
        def __init__(self, label):
            super().__init__()
            self.label = label

        def on_train_batch_end(self, batch, logs=None):
            done["steps"] += 1
            progress.progress(min(1.0, done["steps"] / total),
                              text=f"{self.label}: {done['steps']}/{total}")

        def on_epoch_end(self, epoch, logs=None):
            results.setdefault(self.label, []).append(
                {"epoch": epoch + 1, "train_error": 1.0 - float(logs.get("accuracy", 0.0))})

    started = time.perf_counter()
    for skip in (False, True):
        label = f"{'resnet' if skip else 'plain'}{depth}"
        keras.utils.set_random_seed(0)
        model = resnet.CifarResNet(depth=depth, skip=skip, width=width, input_shape=(28, 28, 1),
                                   include_preprocessing=True, name=label)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                      run_eagerly=total <= 40)  # a short run: tracing would cost more
        model.fit(x_train, y_train, batch_size=32, epochs=epochs, verbose=0,
                  callbacks=[Progress(label)])
        def accuracy(x, y):  # eager calls in batches: no graph to trace for two small sets
            hits = 0
            for i in range(0, len(x), 250):
                out = np.asarray(model(x[i:i + 250], training=False))
                hits += int(np.sum(out.argmax(-1) == y[i:i + 250]))
            return hits / len(x)

        train_acc, test_acc = accuracy(x_train, y_train), accuracy(x_test, y_test)
        results[label] = results.get(label, []) + [
            {"final_train_error": 1 - train_acc, "final_test_error": 1 - test_acc}]
    progress.progress(1.0, text=L(f"done in {time.perf_counter() - started:.0f} s",
                                  f"pronto em {time.perf_counter() - started:.0f} s"))
    st.session_state["live_running"] = False


if start:
    live_run(live_depth, n_images, epochs, width)

results = st.session_state.get("live_results")
if results:
    cols = st.columns(max(1, len(results)))
    for col, (label, rows) in zip(cols, results.items()):
        final = [r for r in rows if "final_train_error" in r]
        if final:
            col.metric(L(f"{label}: training error", f"{label}: erro de treino"),
                       f"{final[-1]['final_train_error']:.1%}")
            col.metric(L(f"{label}: test error", f"{label}: erro de teste"),
                       f"{final[-1]['final_test_error']:.1%}")
        else:
            epochs_done = [r for r in rows if "epoch" in r]
            col.metric(L(f"{label}: training error (last epoch)",
                         f"{label}: erro de treino (última época)"),
                       f"{epochs_done[-1]['train_error']:.1%}" if epochs_done else "—")
else:
    st.caption(L("Press **Train** to start.", "Clique em **Treinar** para começar."))
