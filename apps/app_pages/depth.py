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

CHANCE = 0.9  # ten classes: guessing is wrong 9 times in 10


def kind_label(skip):
    return L("residual", "residual") if skip else L("plain", "plana")


def curve_label(curve):
    return {"train": L("training error", "erro de treino"),
            "test": L("test error", "erro de teste"),
            "validation": L("validation error", "erro de validação")}[curve]


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
        x=alt.X("epoch:Q", title=L("epoch", "época"),
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[1, max(2, int(frame["epoch"].max()))])),
        y=alt.Y("error:Q", title=L("error", "erro"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, y_max or 1.0])),
        color=alt.Color("network:N", title=L("network", "rede"),
                        scale=network_colors(depths, tuple(sorted(set(frame["skip"])))),
                        legend=alt.Legend(orient="bottom", columns=2)),
        strokeDash=alt.StrokeDash("curve:N", title=L("curve", "curva"),
                                  scale=alt.Scale(domain=curves,
                                                  range=[dashes[c] for c in curves]),
                                  legend=alt.Legend(orient="top", symbolType="stroke",
                                                    symbolStrokeWidth=2.5, symbolSize=400)),
        detail="curve:N",
        tooltip=[alt.Tooltip("network:N", title=L("network", "rede")),
                 alt.Tooltip("curve:N", title=L("curve", "curva")),
                 alt.Tooltip("epoch:Q", title=L("epoch", "época")),
                 alt.Tooltip("error:Q", title=L("error", "erro"), format=".1%")],
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
    images = (L(f"{common.integer(limit)} of the 54,000 training images (6,000 more held out "
                "for validation)",
                f"{common.integer(limit)} das 54.000 imagens de treino (outras 6.000 separadas "
                "para validação)")
              if limit else L("all 54,000 training images (6,000 more held out for "
                              "validation)",
                              "todas as 54.000 imagens de treino (outras 6.000 separadas para "
                              "validação)"))
    augment = (L("with random crops and flips", "com recortes e espelhamentos aleatórios")
               if budget.get("augment") else L("without augmentation", "sem aumento de dados"))
    batch, recipe = budget.get("batch_size"), budget.get("recipe")
    en = [f"{epochs} epochs on {images} ({budget.get('dataset', 'fashion_mnist')})", augment]
    pt = [f"{epochs} épocas com {images} ({budget.get('dataset', 'fashion_mnist')})", augment]
    if batch:
        en.append(f"batches of {batch}")
        pt.append(f"lotes de {batch}")
    if recipe:
        en.append(f"learning rate on a {recipe} schedule")
        pt.append(f"taxa de aprendizado com agenda {recipe}")
    return L("Every network had the same budget: " + ", ".join(en) + ".",
             "Todas as redes tiveram o mesmo orçamento: " + ", ".join(pt) + ".")


# --- results of the experiment --------------------------------------------------------------

st.header(L("Error per epoch (He et al. 2015, Fig. 6)", "Erro por época (He et al. 2015, Fig. 6)"))
path = common.experiment_path("degradation")
data, error = common.read_json(path)
runs, frame = None, None
if data is not None:
    runs = data.get("runs") if isinstance(data, dict) else None
    try:
        if not isinstance(runs, list) or not runs:
            raise ValueError(L("no `runs` list", "sem a lista `runs`"))
        frame = curves_frame(runs)
        finals = pd.DataFrame([{"skip": bool(r["skip"]), "depth": int(r["depth"]),
                                "train": r.get("train_error"), "test": r.get("test_error")}
                               for r in runs])
    except (KeyError, TypeError, ValueError) as err:
        st.error(L(f"`{path.name}` of the degradation experiment does not follow the results "
                   f"schema: {err}",
                   f"`{path.name}` do experimento de degradação não segue o formato de "
                   f"resultados: {err}"))
        frame = None
else:
    common.show_missing(path, error, L("The degradation experiment", "O experimento de degradação"),
                        L("The live run below still works.", "A execução ao vivo abaixo funciona."))

if frame is not None and not frame.empty:
    budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
    has_test = "test" in set(frame["curve_key"])
    held_out = "test" if has_test else "validation"
    options = ["train", held_out]
    labels = {k: curve_label(k) for k in options}
    chosen = st.multiselect(L("Show", "Mostrar"), list(labels.values()),
                            **common.keep("depth_curves", options, options, labels),
                            placeholder=L("Choose a curve", "Escolha uma curva"))
    chosen = [k for k in options if labels[k] in chosen]
    depths = sorted(frame["depth"].unique())
    shown = frame[frame["curve_key"].isin(chosen)]
    if shown.empty:
        st.info(L("Choose at least one curve above to see the chart.",
                  "Escolha ao menos uma curva acima para ver o gráfico."))
    else:
        y_max = min(1.0, max(CHANCE, shown["error"].max()) + 0.05)
        left, right = st.columns(2)
        for col, skip in ((left, False), (right, True)):
            part = shown[shown["skip"] == skip]
            title = L("plain networks", "redes planas") if not skip \
                else L("residual networks (ResNets)", "redes residuais (ResNets)")
            common.chart(col, error_chart(part, depths, title, y_max=y_max), width="stretch")
        st.caption(L(
            "Dashed: training error; solid: " + ("test error (the 10,000 test images)"
                                                 if has_test else "validation error")
            + ". Darker lines are deeper networks. The grey dotted line at 90 % is chance: "
            "with ten classes, guessing is wrong nine times in ten.",
            "Tracejado: erro de treino; contínuo: " + ("erro de teste (as 10.000 imagens de "
                                                       "teste)" if has_test
                                                       else "erro de validação")
            + ". Linhas mais escuras são redes mais profundas. A linha cinza pontilhada em "
            "90 % é o acaso: com dez classes, chutar erra nove vezes em dez."))
    if not has_test:
        st.info(L(
            "This file has no per-epoch test error, so the solid lines are the **validation** "
            "error, measured during training on 6,000 held-out training images with "
            "BatchNorm's moving averages. In a run this short those averages lag behind the "
            "weights, so the validation error is much higher than the test error measured "
            "at the end (below), after recomputing the BatchNorm statistics.",
            "Este arquivo não tem erro de teste por época, então as linhas contínuas são o erro "
            "de **validação**, medido durante o treino em 6.000 imagens de treino separadas, "
            "com as médias móveis da BatchNorm. Numa execução tão curta essas médias ficam "
            "atrasadas em relação aos pesos, e o erro de validação fica bem acima do erro de "
            "teste medido no fim (abaixo), depois de recalcular as estatísticas da BatchNorm."))

    st.subheader(L("At the end of training", "No fim do treino"))
    depth = st.select_slider(L("Compare at depth", "Comparar na profundidade"), depths,
                             **common.keep("depth_compare", depths[-1], depths))
    at = finals[finals["depth"] == depth]
    cols = st.columns(4)
    for col, (skip, key) in zip(cols, ((False, "train"), (True, "train"), (False, "test"),
                                       (True, "test"))):
        value = at[at["skip"] == skip][key].dropna()
        col.metric(f"{kind_label(skip)} {depth}: {curve_label(key)}",
                   common.pct(float(value.iloc[0]), 2) if len(value) else "—")
    st.caption(L("Training error: measured after training on 5,000 training images in "
                 "inference mode (so it can differ from the last point of the dashed line, "
                 "which averages the last epoch while the weights were still changing). "
                 "Test error: the 10,000 test images.",
                 "Erro de treino: medido depois do treino em 5.000 imagens de treino, em modo "
                 "de inferência (por isso pode diferir do último ponto da linha tracejada, "
                 "que é a média da última época enquanto os pesos ainda mudavam). Erro de "
                 "teste: as 10.000 imagens de teste."))

    effect = data.get("effect") if isinstance(data.get("effect"), dict) else None
    if effect and "shown" in effect:
        rises = effect.get("plain_deeper_has_higher_train_error")
        holds = effect.get("residual_deeper_matches_or_beats")
        (st.success if effect["shown"] else st.warning)(L(
            f"From {effect.get('shallowest')} to {effect.get('deepest')} layers the plain "
            f"network's training error {'rises' if rises else 'does not rise'}, the residual "
            f"network's {'does not' if holds else 'does'}: this run "
            f"{'shows' if effect['shown'] else 'does not show'} the degradation problem.",
            f"De {effect.get('shallowest')} a {effect.get('deepest')} camadas o erro de treino "
            f"da rede plana {'sobe' if rises else 'não sobe'}, o da residual "
            f"{'não sobe' if holds else 'sobe'}: esta execução "
            f"{'mostra' if effect['shown'] else 'não mostra'} o problema da degradação."))
    if budget:
        text = budget_words(budget)
        if not budget.get("augment") and budget.get("limit_train"):
            text += " " + L(
                "A short budget: enough to see the trend, not converged — the paper trains "
                "for about 160 epochs, so its errors are far lower.",
                "Um orçamento curto: basta para ver a tendência, mas não convergiu — o artigo "
                "treina por cerca de 160 épocas, e seus erros são bem menores.")
        if data.get("wall_seconds"):
            text += " " + L(f"All runs took {data['wall_seconds'] / 60:.0f} min on 2 CPU cores.",
                            f"Todas as execuções levaram {data['wall_seconds'] / 60:.0f} min "
                            f"em 2 núcleos de CPU.")
        st.caption(text)
    if data.get("command"):
        st.caption(L("Command: ", "Comando: ") + f"`{data['command']}`")


# --- a short live run ------------------------------------------------------------------------

st.header(L("Live run", "Execução ao vivo"))
st.caption(L(
    "Trains a plain network and its residual twin (same layers, same initial weights where "
    "they match), one epoch each in turn, on up to a thousand Fashion-MNIST images, here and "
    "now on the CPU. Tiny on purpose: with the defaults it takes under a minute on 2 CPU "
    "cores and shows both networks learning (their error falls from the 90 % of chance to "
    "about a third). At this size depth hardly matters yet: the degradation needs deeper "
    "networks and longer training, as in the experiment above.",
    "Treina uma rede plana e sua gêmea residual (mesmas camadas, mesmos pesos iniciais onde "
    "coincidem), uma época de cada por vez, com até mil imagens do Fashion-MNIST, "
    "aqui e agora, na CPU. Pequena de propósito: com os valores padrão leva menos de um "
    "minuto em 2 núcleos de CPU e mostra as duas redes aprendendo (o erro cai dos 90 % do "
    "acaso para cerca de um terço). Neste tamanho a profundidade ainda quase não importa: a "
    "degradação precisa de redes mais profundas e de mais treino, como no experimento acima."))

c1, c2, c3, c4 = st.columns(4)
live_depth = c1.selectbox(L("Depth", "Profundidade"), (8, 14, 20, 32),
                          **common.keep("live_depth", 8))
n_images = c2.slider(L("Training images", "Imagens de treino"), 100, 1000, step=100,
                     **common.keep("live_images", 1000))
epochs = c3.slider(L("Epochs", "Épocas"), 1, 5, **common.keep("live_epochs", 3))
width = c4.select_slider(L("Width", "Largura"), (0.25, 0.5, 1.0), **common.keep("live_width", 0.5),
                         help=L("Multiplier of the 16/32/64 filters.",
                                "Multiplicador dos filtros 16/32/64."))
b1, b2, _ = st.columns([1, 1, 4])
start = b1.button(L("Train", "Treinar"), type="primary", key="live_start")
stop = b2.button(L("Stop", "Parar"), key="live_stop")
if stop and st.session_state.get("live_running"):
    st.session_state["live_running"] = False
    finished = any((st.session_state.get("live_results") or {}).get("rows", {}).values())
    st.warning(L("Stopped. " + ("The epochs the networks finished are kept below." if finished
                                else "No epoch had finished yet."),
                 "Parado. " + ("As épocas que as redes concluíram estão abaixo." if finished
                               else "Nenhuma época tinha terminado ainda.")))


def live_run(depth, n_images, epochs, width):
    images, labels, err = common.fashion_mnist_test(2000)
    if images is None:
        common.failure(L("Loading Fashion-MNIST", "Carregar o Fashion-MNIST"), err)
        return
    import keras
    import numpy as np

    from keras_resnets import CifarResNet
    from keras_resnets.training.batchnorm import recompute_batchnorm_statistics

    x_train, y_train = images[:n_images].astype("float32"), labels[:n_images]
    x_test, y_test = images[1000:1500].astype("float32"), labels[1000:1500]
    progress = st.progress(0.0, text=L("building…", "construindo…"))
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
    progress.progress(1.0, text=L(f"done in {seconds:.0f} s", f"pronto em {seconds:.0f} s"))
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
        col.metric(L(f"{row.network}: training error", f"{row.network}: erro de treino"),
                   common.pct(row.train_error))
        col.metric(L(f"{row.network}: test error", f"{row.network}: erro de teste"),
                   common.pct(row.test_error))
    long = frame.melt(id_vars=["network", "skip", "epoch"], value_vars=["train_error", "test_error"],
                      var_name="curve_key", value_name="error")
    long["curve"] = long["curve_key"].map(lambda k: curve_label(k.split("_")[0]))
    common.chart(st, error_chart(long, [live["depth"]], L("this live run", "esta execução")),
                    width="stretch")
    st.caption(L("Training error: the mean over each epoch while training (dashed); test "
                 "error: 500 test images after each epoch, with BatchNorm's statistics recomputed "
                 "on the training images (solid). 90 % error is chance.",
                 "Erro de treino: média de cada época durante o treino (tracejado); erro de "
                 "teste: 500 imagens de teste depois de cada época, com as estatísticas da "
                 "BatchNorm recalculadas nas imagens de treino (contínuo). 90 % de erro é o "
                 "acaso."))
else:
    st.caption(L("Press **Train** to start.", "Clique em **Treinar** para começar."))
