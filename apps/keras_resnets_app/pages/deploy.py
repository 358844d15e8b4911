"""Deploy / Try it: one image through the Keras model and its float32 and int8 .tflite
files, side by side, and the files to take to a phone."""

import time
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from keras_resnets_app import alerts, artifacts, charts, imaging
from keras_resnets_app import formatting as fmt
from keras_resnets_app.language import class_names, keep, t

st.title(t("deploy.title"))
st.markdown(t("deploy.idea"))

root = artifacts.models_dir()
VARIANTS = (("keras", "model.keras"), ("float32", "model_float32.tflite"),
            ("int8", "model_int8.tflite"))


def present(name):
    return {v: (root / name / f).is_file() for v, f in VARIANTS}


status = pd.DataFrame([{t("common.model"): n,
                        **{f: "✅" if ok else "—" for f, ok in present(n).items()}}
                       for n in artifacts.CLASSIFIERS])
with_any = [n for n in artifacts.CLASSIFIERS if any(present(n).values())]
if not with_any:
    st.info(t("deploy.no_classifier", root=root, names=", ".join(artifacts.CLASSIFIERS)))
    st.dataframe(status, hide_index=True)
    st.stop()


def budget_row(model):
    """The model's test accuracy and training budget, from its metrics.json and config.json."""
    metrics, _ = artifacts.read_json(root / model / "metrics.json")
    config, _ = artifacts.read_json(root / model / "config.json")
    metrics, config = metrics or {}, config or {}
    acc = metrics.get("test_accuracy")
    seconds = metrics.get("train_seconds")
    epochs, images = metrics.get("epochs", config.get("epochs")), metrics.get("train_images")
    parts = []
    if epochs:
        parts.append(t("deploy.budget_epochs", epochs=epochs))
    if images:
        parts.append(t("deploy.budget_images", images=fmt.integer(images)))
    if "augment" in config:
        parts.append(t("deploy.budget_augmented") if config["augment"]
                     else t("deploy.budget_not_augmented"))
    budget = ", ".join(parts)  # what the model learned from, without the time it took
    if isinstance(seconds, (int, float)):
        parts.append(f"{fmt.num(seconds / 60, 0)} min")
    return {  # three columns: fits a phone
        t("common.model"): model,
        t("common.test_accuracy"):
            fmt.pct(acc, 2) if isinstance(acc, (int, float)) else "—",
        t("deploy.training"): ", ".join(parts) or "—",
    }, budget


with st.expander(t("deploy.how_each_model_was_trained"), expanded=True):
    rows, budgets = zip(*(budget_row(n) for n in with_any))
    # st.table, not st.dataframe: it wraps on a phone instead of hiding columns
    st.table(pd.DataFrame(list(rows)), hide_index=True)
    distinct = list(dict.fromkeys(b or t("deploy.budget_unknown") for b in budgets))
    st.caption(t("deploy.not_a_ranking", budgets="; ".join(distinct))
               if len(distinct) > 1 or not budgets[0]
               else t("deploy.same_budget", budget=distinct[0]))

labels = {n: n + ("" if all(present(n).values()) else t("deploy.incomplete"))
          for n in with_any}
name = st.selectbox(t("common.model_select"), list(labels.values()),
                    **keep("deploy_model", with_any[0], with_any, labels))
name = next(n for n in with_any if labels[n] == name)
metrics, metrics_error = artifacts.read_json(root / name / "metrics.json")
if metrics_error not in (None, "missing"):
    st.warning(t("deploy.metrics_unreadable", name=name, metrics_error=metrics_error))

# --- the image ------------------------------------------------------------------------------

CLASSES = class_names("fashion_mnist")

SOURCES = {"fmnist": t("deploy.source_fashion_mnist"),
           "png": t("deploy.source_png"),
           "upload": t("deploy.source_upload")}
pngs = sorted((root / "test_images").glob("*.png")) if (root / "test_images").is_dir() else []
sources = ["fmnist"] + (["png"] if pngs else []) + ["upload"]
labels = {s: SOURCES[s] for s in sources}
source = st.radio(t("deploy.image"), list(labels.values()), horizontal=True,
                  **keep("deploy_source", sources[0], sources, labels))
source = next(s for s in sources if labels[s] == source)

image, truth, caption = None, None, ""
if source == "fmnist":
    images, labels, err = artifacts.fashion_mnist_test(2000)
    if images is None:
        st.warning(t("deploy.no_fashion_mnist", err=err))
    else:
        index = st.slider(t("deploy.test_image"), 0, len(images) - 1,
                          **keep("deploy_index", 0, range(len(images))))
        image, truth = images[index], CLASSES[int(labels[index])]
        caption = f"#{index}: {truth}"
elif source == "png":
    chosen = st.selectbox(t("deploy.bundled_image"), pngs, format_func=lambda p: p.name,
                          **keep("deploy_png", pngs[0], pngs))
    try:
        gray, what = imaging.decode_image(Path(chosen).read_bytes())
        image, caption = imaging.to_model_input(gray), f"{Path(chosen).name} ({what})"
    except (OSError, imaging.ImageRefused) as err:
        st.error(str(err))
else:
    from keras_resnets.lite import images as limits

    attempt = st.session_state.setdefault("deploy_upload_attempt", 0)
    try:
        upload = st.file_uploader(
            t("deploy.upload_label", limit=fmt.file_size(limits.MAX_IMAGE_BYTES)),
            type=["png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff"],
            key=f"deploy_upload_{attempt}")
    except Exception as err:  # e.g. a file name with another extension
        alerts.show_failure(t("deploy.upload_what"), err)
        upload = None
    refused = st.session_state.pop("deploy_refused", None)
    if refused:
        st.error(refused)
    labels = {"auto": "auto", True: t("deploy.yes"), False: t("deploy.no")}
    invert = st.radio(t("deploy.invert"),
                      list(labels.values()), horizontal=True,
                      **keep("deploy_invert", "auto", list(labels), labels))
    invert = next(v for v in labels if labels[v] == invert)
    if upload is not None:
        try:
            gray, what = imaging.decode_image(upload.getvalue())
            image, caption = imaging.to_model_input(gray, invert=invert), f"{upload.name} ({what})"
        except imaging.ImageRefused as err:
            # a new uploader key empties the uploader: a refused file does not stay listed
            st.session_state["deploy_refused"] = f"{upload.name}: {err}"
            st.session_state["deploy_upload_attempt"] = attempt + 1
            st.rerun()
    else:
        st.caption(t("deploy.upload_hint"))

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
left.image(imaging.enlarge(image, 6), caption=caption, width=170)
rows, columns = [], right.columns(3)
batch = image[None].astype("float32")
for col, (variant, filename) in zip(columns, VARIANTS):
    path = root / name / filename
    col.markdown(f"**{variant}** · `{filename}`")
    if variant == "keras":
        infer, err = artifacts.load_keras_inference(path)
        run = (lambda f=infer: f(batch)[0]) if infer else None
    else:
        model, err = artifacts.load_predictor(path)
        run = (lambda m=model: np.asarray(m.predict(image))[0]) if model else None
    if run is None:
        if err == "missing":
            col.info(t("deploy.not_there_yet"))
        else:
            alerts.show_failure(t("deploy.loading_what"), err, col)
        continue
    try:
        probs, ms = timed(run)
        probs = np.asarray(probs, "float64").reshape(-1)
        if probs.shape != (10,):
            raise ValueError(t("deploy.wrong_output_shape", shape=probs.shape))
    except Exception as err:
        alerts.show_failure(t("deploy.prediction_what"), err, col)
        continue
    top = int(probs.argmax())
    size = path.stat().st_size
    col.metric(t("deploy.prediction"), CLASSES[top])
    col.caption(t("deploy.prediction_caption", probability=fmt.pct(probs[top]), ms=fmt.num(ms),
                  size=fmt.file_size(size)))
    for c in range(10):
        rows.append({"model": variant, "class": CLASSES[c], "p": probs[c]})

if rows:
    frame = pd.DataFrame(rows)
    top5 = frame.groupby("class")["p"].max().nlargest(5).index
    charts.chart(right, alt.Chart(frame[frame["class"].isin(top5)]).mark_bar().encode(
        x=alt.X("p:Q", title=t("deploy.probability"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("class:N", title=None, sort="-x"),
        yOffset="model:N",
        color=alt.Color("model:N", title=t("deploy.file"),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("model:N", title=t("deploy.file")),
                 alt.Tooltip("class:N", title=t("deploy.class")),
                 alt.Tooltip("p:Q", format=".2%")],
    ).properties(height=260), width="stretch")
if truth:
    right.caption(t("deploy.true_label", truth=truth))

# --- the files --------------------------------------------------------------------------------

st.header(t("deploy.files_for_phone"))
QUANTITIES = {
    "size": t("deploy.file_size"),
    "max_abs_diff": t("deploy.max_abs_diff"),
    "top1_agreement": t("deploy.top1_agreement"),
    "accuracy_tflite": t("common.test_accuracy"),
    "latency": t("deploy.latency"),
}
table = {key: {"": label} for key, label in QUANTITIES.items()}
for variant, filename in VARIANTS[1:]:
    path = root / name / filename
    report, err = artifacts.read_json(Path(f"{path}.verify.json"))
    report = report or {}
    lat = report.get("latency_ms") or {}
    diff = report.get("max_abs_diff")
    values = {
        "size": fmt.file_size(path.stat().st_size) if path.is_file() else "—",
        "max_abs_diff": fmt.localize(f"{diff:.1e}") if isinstance(diff, (int, float)) else "—",
        "top1_agreement": fmt.pct(report.get("top1_agreement"), 2),
        "accuracy_tflite": fmt.pct(report.get("accuracy_tflite"), 2),
        "latency": f"{fmt.num(lat['median'])} / {fmt.num(lat['p90'])} ms"
        if isinstance(lat.get("median"), (int, float)) and isinstance(lat.get("p90"), (int, float))
        else "—",
    }
    for key in QUANTITIES:
        table[key][variant] = values[key]
    if err not in (None, "missing"):
        st.warning(t("deploy.verify_unreadable", filename=filename, err=err))
st.table(pd.DataFrame(list(table.values())), hide_index=True)
st.caption(t("deploy.files_caption"))


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
    col.download_button(f"⬇ {save_as}", file_bytes(str(path), artifacts.stamp(path)),
                        file_name=f"{name}_{save_as}", key=f"dl_{name}_{filename}",
                        mime="application/octet-stream" if filename.endswith(".tflite") else None)
if files:
    st.caption(t("deploy.downloads_caption", name=name))
else:
    st.info(t("deploy.no_file_to_download_yet"))
