"""Deploy / Try it: one image through the Keras model and its float32 and int8 .tflite
files, side by side, and the files to take to a phone."""

import time
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

import common
from common import L

st.title(L("Deploy / Try it", "Implantar / Experimente"))
common.idea(
    "A trained Keras model becomes a **.tflite** file that runs on a phone with LiteRT. "
    "**float32** keeps the weights as they are; **int8** quantizes weights and activations "
    "to 8-bit integers (calibrated on a few hundred training images): about 4× smaller "
    "and faster on mobile CPUs, at the price of a small difference in the outputs. The "
    "models take raw 0..255 pixels: the scaling is inside them. Pick an image and compare.",
    "Um modelo Keras treinado vira um arquivo **.tflite** que roda num celular com o LiteRT. "
    "**float32** mantém os pesos como estão; **int8** quantiza pesos e ativações em inteiros "
    "de 8 bits (calibrados com algumas centenas de imagens de treino): cerca de 4× menor e "
    "mais rápido em CPUs de celular, ao custo de uma pequena diferença nas saídas. Os "
    "modelos recebem pixels brutos 0..255: a escala está dentro deles. Escolha uma imagem "
    "e compare.",
)

root = common.models_dir()
VARIANTS = (("keras", "model.keras"), ("float32", "model_float32.tflite"),
            ("int8", "model_int8.tflite"))


def present(name):
    return {v: (root / name / f).is_file() for v, f in VARIANTS}


status = pd.DataFrame([{L("model", "modelo"): n, **{f: "✅" if ok else "—"
                                                     for f, ok in present(n).items()}}
                       for n in common.CLASSIFIERS])
with_any = [n for n in common.CLASSIFIERS if any(present(n).values())]
if not with_any:
    st.info(L(f"No shipped classifier in `{root}` yet (expected "
              f"`<name>/model.keras` and `<name>/model_float32.tflite` for "
              f"{', '.join(common.CLASSIFIERS)}). The training and export work produces them.",
              f"Ainda não há classificador em `{root}` (esperado "
              f"`<nome>/model.keras` e `<nome>/model_float32.tflite` para "
              f"{', '.join(common.CLASSIFIERS)}). O treino e a exportação os produzem."))
    st.dataframe(status, hide_index=True)
    st.stop()



def budget_row(model):
    """The model's test accuracy and training budget, from its metrics.json and config.json."""
    metrics, _ = common.read_json(root / model / "metrics.json")
    config, _ = common.read_json(root / model / "config.json")
    metrics, config = metrics or {}, config or {}
    acc = metrics.get("test_accuracy")
    seconds = metrics.get("train_seconds")
    epochs, images = metrics.get("epochs", config.get("epochs")), metrics.get("train_images")
    parts = []
    if epochs:
        parts.append(L(f"{epochs} epochs", f"{epochs} épocas"))
    if images:
        parts.append(L(f"{common.integer(images)} images", f"{common.integer(images)} imagens"))
    if "augment" in config:
        parts.append(L("augmented", "com aumento de dados") if config["augment"]
                     else L("no augmentation", "sem aumento de dados"))
    if isinstance(seconds, (int, float)):
        parts.append(f"{common.num(seconds / 60, 0)} min")
    return {  # three columns: fits a phone
        L("model", "modelo"): model,
        L("test accuracy", "acurácia de teste"):
            common.pct(acc, 2) if isinstance(acc, (int, float)) else "—",
        L("training", "treino"): ", ".join(parts) or "—",
    }


with st.expander(L("How each model was trained", "Como cada modelo foi treinado"), expanded=True):
    # st.table, not st.dataframe: it wraps on a phone instead of hiding columns
    st.table(pd.DataFrame([budget_row(n) for n in with_any]), hide_index=True)
    st.caption(L(
        "The accuracies are not a ranking of the architectures: the models had different "
        "training budgets (above), and a model trained for 3 epochs on 10,000 images is not "
        "comparable with one trained for 8 epochs on 54,000. The short ones come from the "
        "degradation experiment of the Depth page; each folder's MODEL_CARD.md says how the "
        "model was made.",
        "As acurácias não são uma classificação das arquiteturas: os modelos tiveram "
        "orçamentos de treino diferentes (acima), e um modelo treinado por 3 épocas com "
        "10.000 imagens não se compara a um treinado por 8 épocas com 54.000. Os curtos vêm "
        "do experimento de degradação da página Profundidade; o MODEL_CARD.md de cada pasta "
        "diz como o modelo foi feito."))

labels = {n: n + ("" if all(present(n).values()) else L(" (incomplete)", " (incompleto)"))
          for n in with_any}
name = st.selectbox(L("Model", "Modelo"), list(labels.values()),
                    **common.keep("deploy_model", with_any[0], with_any, labels))
name = next(n for n in with_any if labels[n] == name)
metrics, metrics_error = common.read_json(root / name / "metrics.json")
if metrics_error not in (None, "missing"):
    st.warning(L(f"`{name}/metrics.json` cannot be read: {metrics_error}",
                 f"`{name}/metrics.json` não pode ser lido: {metrics_error}"))

# --- the image ------------------------------------------------------------------------------

SOURCES = {"fmnist": L("Fashion-MNIST test image", "Imagem de teste do Fashion-MNIST"),
           "png": L("Bundled test image (PNG)", "Imagem de teste incluída (PNG)"),
           "upload": L("Upload an image", "Enviar uma imagem")}
pngs = sorted((root / "test_images").glob("*.png")) if (root / "test_images").is_dir() else []
sources = ["fmnist"] + (["png"] if pngs else []) + ["upload"]
labels = {s: SOURCES[s] for s in sources}
source = st.radio(L("Image", "Imagem"), list(labels.values()), horizontal=True,
                  **common.keep("deploy_source", sources[0], sources, labels))
source = next(s for s in sources if labels[s] == source)

image, truth, caption = None, None, ""
if source == "fmnist":
    images, labels, err = common.fashion_mnist_test(2000)
    if images is None:
        st.warning(L(f"Fashion-MNIST is not available here ({err}); upload an image instead.",
                     f"O Fashion-MNIST não está disponível aqui ({err}); envie uma imagem."))
    else:
        index = st.slider(L("Test image #", "Imagem de teste nº"), 0, len(images) - 1,
                          **common.keep("deploy_index", 0, range(len(images))))
        image, truth = images[index], common.class_name(int(labels[index]))
        caption = f"#{index}: {truth}"
elif source == "png":
    chosen = st.selectbox(L("Bundled image", "Imagem incluída"), pngs, format_func=lambda p: p.name,
                          **common.keep("deploy_png", pngs[0], pngs))
    try:
        gray, what = common.decode_image(Path(chosen).read_bytes())
        image, caption = common.to_model_input(gray), f"{Path(chosen).name} ({what})"
    except (OSError, common.ImageRefused) as err:
        st.error(str(err))
else:
    from keras_resnets.lite import images as limits

    attempt = st.session_state.setdefault("deploy_upload_attempt", 0)
    try:
        upload = st.file_uploader(
            L(f"An image of one clothing item (PNG, JPEG, …; at most "
              f"{common.file_size(limits.MAX_IMAGE_BYTES)} and 4096×4096 pixels)",
              f"Uma imagem de uma peça de roupa (PNG, JPEG, …; no máximo "
              f"{common.file_size(limits.MAX_IMAGE_BYTES)} e 4096×4096 pixels)"),
            type=["png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff"],
            key=f"deploy_upload_{attempt}")
    except Exception as err:  # e.g. a file name with another extension
        common.failure(L("The upload", "O envio"), err)
        upload = None
    refused = st.session_state.pop("deploy_refused", None)
    if refused:
        st.error(refused)
    labels = {"auto": "auto", True: L("yes", "sim"), False: L("no", "não")}
    invert = st.radio(L("Invert (Fashion-MNIST items are light on black)",
                        "Inverter (no Fashion-MNIST a peça é clara sobre preto)"),
                      list(labels.values()), horizontal=True,
                      **common.keep("deploy_invert", "auto", list(labels), labels))
    invert = next(v for v in labels if labels[v] == invert)
    if upload is not None:
        try:
            gray, what = common.decode_image(upload.getvalue())
            image, caption = common.to_model_input(gray, invert=invert), f"{upload.name} ({what})"
        except common.ImageRefused as err:
            # a new uploader key empties the uploader: a refused file does not stay listed
            st.session_state["deploy_refused"] = f"{upload.name}: {err}"
            st.session_state["deploy_upload_attempt"] = attempt + 1
            st.rerun()
    else:
        st.caption(L("Photos on a white background work best.",
                     "Fotos com fundo branco funcionam melhor."))

if image is None:
    st.stop()

# --- predictions ------------------------------------------------------------------------------


def timed(fn, runs=10):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return out, float(np.median(times))


left, right = st.columns([1, 4])
left.image(common.enlarge(image, 6), caption=caption, width=170)
rows, columns = [], right.columns(3)
batch = image[None].astype("float32")
for col, (variant, filename) in zip(columns, VARIANTS):
    path = root / name / filename
    col.markdown(f"**{variant}** · `{filename}`")
    if variant == "keras":
        model, err = common.load_keras_model(path)
        run = (lambda m=model: np.asarray(m(batch, training=False))[0]) if model else None
    else:
        model, err = common.load_predictor(path)
        run = (lambda m=model: np.asarray(m.predict(image))[0]) if model else None
    if run is None:
        if err == "missing":
            col.info(L("Not there yet.", "Ainda não existe."))
        else:
            common.failure(L("Loading it", "Carregar"), err, col)
        continue
    try:
        probs, ms = timed(run)
        probs = np.asarray(probs, "float64").reshape(-1)
        if probs.shape != (10,):
            raise ValueError(L(f"expected 10 class probabilities, got shape {probs.shape}",
                               f"esperadas 10 probabilidades, veio a forma {probs.shape}"))
    except Exception as err:
        common.failure(L("The prediction", "A predição"), err, col)
        continue
    top = int(probs.argmax())
    size = path.stat().st_size
    col.metric(L("prediction", "predição"), common.class_name(top))
    col.caption(L(f"p = {common.pct(probs[top])} · {common.num(ms)} ms here (median of 10) · "
                  f"{common.file_size(size)}",
                  f"p = {common.pct(probs[top])} · {common.num(ms)} ms aqui (mediana de 10) · "
                  f"{common.file_size(size)}"))
    for c in range(10):
        rows.append({"model": variant, "class": common.class_name(c), "p": probs[c]})

if rows:
    frame = pd.DataFrame(rows)
    keep = frame.groupby("class")["p"].max().nlargest(5).index
    common.chart(right, alt.Chart(frame[frame["class"].isin(keep)]).mark_bar().encode(
        x=alt.X("p:Q", title=L("probability", "probabilidade"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("class:N", title=None, sort="-x"),
        yOffset="model:N",
        color=alt.Color("model:N", title=L("file", "arquivo"),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("model:N", title=L("file", "arquivo")),
                 alt.Tooltip("class:N", title=L("class", "classe")),
                 alt.Tooltip("p:Q", format=".2%")],
    ).properties(height=260), width="stretch")
if truth:
    right.caption(L(f"True label: **{truth}**", f"Rótulo verdadeiro: **{truth}**"))

# --- the files --------------------------------------------------------------------------------

st.header(L("The files for the phone", "Os arquivos para o celular"))
QUANTITIES = {
    "size": L("file size", "tamanho do arquivo"),
    "max_abs_diff": L("largest probability difference vs Keras",
                      "maior diferença de probabilidade vs Keras"),
    "top1_agreement": L("same top-1 class as Keras", "mesma classe top-1 que o Keras"),
    "accuracy_tflite": L("test accuracy", "acurácia de teste"),
    "latency": L("latency median / p90 (1 thread)", "latência mediana / p90 (1 thread)"),
}
table = {key: {"": label} for key, label in QUANTITIES.items()}
for variant, filename in VARIANTS[1:]:
    path = root / name / filename
    report, err = common.read_json(Path(f"{path}.verify.json"))
    report = report or {}
    lat = report.get("latency_ms") or {}
    diff = report.get("max_abs_diff")
    values = {
        "size": common.file_size(path.stat().st_size) if path.is_file() else "—",
        "max_abs_diff": common.localize(f"{diff:.1e}") if isinstance(diff, (int, float)) else "—",
        "top1_agreement": common.pct(report.get("top1_agreement"), 2),
        "accuracy_tflite": common.pct(report.get("accuracy_tflite"), 2),
        "latency": f"{common.num(lat['median'])} / {common.num(lat['p90'])} ms"
        if isinstance(lat.get("median"), (int, float)) and isinstance(lat.get("p90"), (int, float))
        else "—",
    }
    for key in QUANTITIES:
        table[key][variant] = values[key]
    if err not in (None, "missing"):
        st.warning(L(f"`{filename}.verify.json` cannot be read: {err}",
                     f"`{filename}.verify.json` não pode ser lido: {err}"))
st.table(pd.DataFrame(list(table.values())), hide_index=True)
st.caption(L(
    "Measured on the test images when each file was exported. The probability difference is "
    "the largest change of any class probability on any test image: about 10⁻⁶ for float32 "
    "(rounding), up to a few tenths for int8 (8-bit weights and activations move the "
    "probabilities), yet the int8 file picks the same class as Keras on almost every image.",
    "Medido nas imagens de teste quando cada arquivo foi exportado. A diferença de "
    "probabilidade é a maior mudança de qualquer probabilidade de classe em qualquer imagem "
    "de teste: cerca de 10⁻⁶ no float32 (arredondamento), até alguns décimos no int8 (pesos e "
    "ativações de 8 bits mudam as probabilidades), e ainda assim o arquivo int8 escolhe a "
    "mesma classe que o Keras em quase todas as imagens."))


@st.cache_data(show_spinner=False, max_entries=32)
def file_bytes(path, stamp):
    return Path(path).read_bytes()


DOWNLOADS = ("model_float32.tflite", "model_int8.tflite", "model_float32.tflite.labels.txt",
             "MODEL_CARD.md")
SAVE_AS = {"model_float32.tflite.labels.txt": "labels.txt"}
files = [f for f in DOWNLOADS if (root / name / f).is_file()]
for col, filename in zip(st.columns(max(1, len(files))), files):
    path = root / name / filename
    save_as = SAVE_AS.get(filename, filename)
    col.download_button(f"⬇ {save_as}", file_bytes(str(path), common._stamp(path)),
                        file_name=f"{name}_{save_as}", key=f"dl_{name}_{filename}",
                        mime="application/octet-stream" if filename.endswith(".tflite") else None)
if files:
    st.caption(L("labels.txt: the class names, one per line, in the order of the model's "
                 f"outputs. The other files of `saved_models/{name}/` hold the export "
                 "settings and checks.",
                 "labels.txt: os nomes das classes, um por linha, na ordem das saídas do "
                 f"modelo. Os outros arquivos de `saved_models/{name}/` guardam as opções e "
                 "verificações da exportação."))
else:
    st.info(L("No file to download yet.", "Ainda não há arquivo para baixar."))
