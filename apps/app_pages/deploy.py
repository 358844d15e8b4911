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

name = st.selectbox(L("Model", "Modelo"), with_any, key="deploy_model",
                    format_func=lambda n: n + ("" if all(present(n).values())
                                               else L(" (incomplete)", " (incompleto)")))
metrics, metrics_error = common.read_json(root / name / "metrics.json")
if metrics:
    acc = metrics.get("test_accuracy")
    st.caption(" · ".join(x for x in (
        L(f"test accuracy {acc:.2%}", f"acurácia de teste {acc:.2%}") if isinstance(
            acc, (int, float)) else None,
        L(f"{common.human(metrics['params'])} parameters",
          f"{common.human(metrics['params'])} parâmetros") if metrics.get("params") else None,
    ) if x))
elif metrics_error != "missing":
    st.warning(L(f"`{name}/metrics.json` cannot be read: {metrics_error}",
                 f"`{name}/metrics.json` não pode ser lido: {metrics_error}"))

# --- the image ------------------------------------------------------------------------------

SOURCES = {"fmnist": L("Fashion-MNIST test image", "Imagem de teste do Fashion-MNIST"),
           "png": L("Bundled test image (PNG)", "Imagem de teste incluída (PNG)"),
           "upload": L("Upload an image", "Enviar uma imagem")}
pngs = sorted((root / "test_images").glob("*.png")) if (root / "test_images").is_dir() else []
sources = ["fmnist"] + (["png"] if pngs else []) + ["upload"]
source = st.radio(L("Image", "Imagem"), sources, format_func=SOURCES.get, horizontal=True,
                  key="deploy_source")

image, truth, caption = None, None, ""
if source == "fmnist":
    images, labels, err = common.fashion_mnist_test(2000)
    if images is None:
        st.warning(L(f"Fashion-MNIST is not available here ({err}); upload an image instead.",
                     f"O Fashion-MNIST não está disponível aqui ({err}); envie uma imagem."))
    else:
        index = st.slider(L("Test image #", "Imagem de teste nº"), 0, len(images) - 1, 0,
                          key="deploy_index")
        image, truth = images[index], common.FASHION_CLASSES[int(labels[index])]
        caption = f"#{index}: {truth}"
elif source == "png":
    chosen = st.selectbox(L("Bundled image", "Imagem incluída"), pngs, format_func=lambda p: p.name,
                          key="deploy_png")
    try:
        gray, what = common.decode_image(Path(chosen).read_bytes())
        image, caption = common.to_model_input(gray), f"{Path(chosen).name} ({what})"
    except (OSError, common.ImageRefused) as err:
        st.error(str(err))
else:
    try:
        upload = st.file_uploader(
            L("An image of one clothing item (PNG, JPEG, …; at most 5 MB)",
              "Uma imagem de uma peça de roupa (PNG, JPEG, …; no máximo 5 MB)"),
            type=["png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff"],
            key="deploy_upload")
    except Exception as err:  # e.g. a file name with another extension
        st.error(L(f"Upload refused: {err}", f"Envio recusado: {err}"))
        upload = None
    invert = st.radio(L("Invert (Fashion-MNIST items are light on black)",
                        "Inverter (no Fashion-MNIST a peça é clara sobre preto)"),
                      ("auto", True, False), horizontal=True, key="deploy_invert",
                      format_func=lambda v: {"auto": "auto", True: L("yes", "sim"),
                                             False: L("no", "não")}[v])
    if upload is not None:
        try:
            gray, what = common.decode_image(upload.getvalue())
            image, caption = common.to_model_input(gray, invert=invert), f"{upload.name} ({what})"
        except common.ImageRefused as err:
            st.error(str(err))
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
            col.error(L(f"Cannot load it: {err}", f"Não foi possível carregar: {err}"))
        continue
    try:
        probs, ms = timed(run)
        probs = np.asarray(probs, "float64").reshape(-1)
        if probs.shape != (10,):
            raise ValueError(L(f"expected 10 class probabilities, got shape {probs.shape}",
                               f"esperadas 10 probabilidades, veio a forma {probs.shape}"))
    except Exception as err:
        col.error(L(f"Prediction failed: {type(err).__name__}: {err}",
                    f"A predição falhou: {type(err).__name__}: {err}"))
        continue
    top = int(probs.argmax())
    size = path.stat().st_size
    col.metric(L("prediction", "predição"), common.FASHION_CLASSES[top])
    col.caption(L(f"p = {probs[top]:.1%} · {ms:.2f} ms here (median of 10) · "
                  f"{common.file_size(size)}",
                  f"p = {probs[top]:.1%} · {ms:.2f} ms aqui (mediana de 10) · "
                  f"{common.file_size(size)}"))
    for c in range(10):
        rows.append({"model": variant, "class": common.FASHION_CLASSES[c], "p": probs[c]})

if rows:
    frame = pd.DataFrame(rows)
    keep = frame.groupby("class")["p"].max().nlargest(5).index
    right.altair_chart(alt.Chart(frame[frame["class"].isin(keep)]).mark_bar().encode(
        x=alt.X("p:Q", title=L("probability", "probabilidade"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("class:N", title=None, sort="-x"),
        yOffset="model:N",
        color=alt.Color("model:N", title=L("model", "modelo")),
        tooltip=["model", "class", alt.Tooltip("p:Q", format=".2%")],
    ).properties(height=260), width="stretch")
if truth:
    right.caption(L(f"True label: **{truth}**", f"Rótulo verdadeiro: **{truth}**"))

# --- the files --------------------------------------------------------------------------------

st.header(L("The files for the phone", "Os arquivos para o celular"))
table = []
for variant, filename in VARIANTS[1:]:
    path = root / name / filename
    report, err = common.read_json(Path(f"{path}.verify.json"))
    row = {L("file", "arquivo"): filename,
           L("size", "tamanho"): common.file_size(path.stat().st_size) if path.is_file() else "—"}
    if report:
        lat = report.get("latency_ms") or {}

        def pct(v):
            return f"{v:.2%}" if isinstance(v, (int, float)) else "—"

        row.update({
            L("max |Δ| vs Keras", "máx |Δ| vs Keras"): f"{report.get('max_abs_diff', float('nan')):.2e}"
            if isinstance(report.get("max_abs_diff"), (int, float)) else "—",
            L("top-1 agreement", "concordância top-1"): pct(report.get("top1_agreement")),
            L("accuracy Keras", "acurácia Keras"): pct(report.get("accuracy_keras")),
            L("accuracy TFLite", "acurácia TFLite"): pct(report.get("accuracy_tflite")),
            L("latency median / p90", "latência mediana / p90"):
                f"{lat.get('median', float('nan')):.2f} / {lat.get('p90', float('nan')):.2f} ms"
                if lat else "—",
        })
    elif err != "missing":
        row[L("verification", "verificação")] = L(f"unreadable: {err}", f"ilegível: {err}")
    table.append(row)
st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
st.caption(L("From each file's `.verify.json`, measured on the test set when it was exported.",
             "Do `.verify.json` de cada arquivo, medido no conjunto de teste na exportação."))


@st.cache_data(show_spinner=False, max_entries=32)
def file_bytes(path, stamp):
    return Path(path).read_bytes()


cols = st.columns(3)
downloads = [(f, f"{f}.json", f"{f}.labels.txt", f"{f}.verify.json")
             for _, f in VARIANTS[1:]] + [("MODEL_CARD.md", "metrics.json")]
for col, group in zip(cols, downloads):
    for filename in group:
        path = root / name / filename
        if not path.is_file():
            continue
        col.download_button(f"⬇ {filename}", file_bytes(str(path), common._stamp(path)),
                            file_name=f"{name}_{filename}", key=f"dl_{name}_{filename}",
                            mime="application/octet-stream" if filename.endswith(".tflite")
                            else None)
if not any((root / name / f).is_file() for group in downloads for f in group):
    st.info(L("No file to download yet.", "Ainda não há arquivo para baixar."))
