"""Segmentation: a U-Net on fashion scenes, with and without its skip connections."""

import numpy as np
import streamlit as st

from keras_resnets_app import alerts, artifacts, imaging
from keras_resnets_app import formatting as fmt
from keras_resnets_app.language import class_names, keep, t

st.title(t("segmentation.title"))
st.markdown(t("segmentation.idea"))

root = artifacts.models_dir()
CLASSES = class_names("fashion_scenes")  # background first
SCENES = 100  # the first test scenes, in order: no picking

path = artifacts.experiment_path("unet_skips")
data, error = artifacts.read_json(path)
if data is not None:
    try:
        with_iou = float(data["with_skips"]["mean_iou"])
        without_iou = float(data["without_skips"]["mean_iou"])
    except (KeyError, TypeError, ValueError) as err:
        st.error(t("segmentation.schema_error", path=path, err=err))
    else:
        c1, c2 = st.columns(2)
        c1.metric(t("segmentation.iou_with_skips"),
                  fmt.num(with_iou, 3))
        c2.metric(t("segmentation.iou_without_skips"),
                  fmt.num(without_iou, 3), fmt.localize(f"{without_iou - with_iou:+.3f}"))
        budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
        epochs = budget.get("epochs")
        from keras_resnets.data.scenes import DEFAULT_SIZES

        images = budget.get("train_images") or DEFAULT_SIZES["train"]
        short = t("segmentation.budget", epochs=epochs, images=fmt.integer(images),
                  batch=budget.get("batch_size", "?")) if epochs else ""
        st.caption(t("segmentation.iou_caption", short=short))
else:
    alerts.show_missing(path, error, t("segmentation.experiment_what"))


@st.cache_data(show_spinner=False, max_entries=2)
def scenes(limit=SCENES):
    from keras_resnets.data import load_arrays

    images, masks = load_arrays("fashion_scenes", "test", limit=limit)
    masks = np.asarray(masks)
    return images, masks[..., 0] if masks.ndim == 4 else masks


def item_iou(pred, truth):
    """Mean IoU over the clothing classes in the true mask (background left out): 0 when
    the prediction finds none of the items."""
    classes = [c for c in np.unique(truth) if c != 0]
    if not classes:
        return float("nan")
    return float(np.mean([np.logical_and(pred == c, truth == c).sum()
                          / np.logical_or(pred == c, truth == c).sum() for c in classes]))


@st.cache_data(show_spinner=False, max_entries=4)
def predictions(name, stamp, _images):
    """The predicted masks of the first scenes (argmax per pixel), or raises."""
    model, err = artifacts.load_keras_model(root / name / "model.keras")
    if model is None:
        raise RuntimeError(err)
    return np.asarray(model.predict(np.asarray(_images, "float32"), batch_size=50,
                                    verbose=0)).argmax(-1)


try:
    with st.spinner(t("segmentation.loading_spinner")):
        images, masks = scenes()
except Exception as err:
    reason = alerts.error_text(err)
    st.warning(t("segmentation.no_scenes", reason=reason))
    st.stop()

MODELS = ((artifacts.SEGMENTERS[0], t("segmentation.u_net")),
          (artifacts.SEGMENTERS[1], t("segmentation.without_skips")))
predicted, problems = {}, {}
for name, label in MODELS:
    model_path = root / name / "model.keras"
    if artifacts.stamp(model_path) is None:
        problems[label] = t("segmentation.not_there_yet")
        continue
    try:
        with st.spinner(t("segmentation.segmenting_spinner")):
            predicted[label] = predictions(name, artifacts.stamp(model_path), images)
        if predicted[label].shape != masks.shape:
            raise ValueError(f"output {predicted[label].shape}, masks {masks.shape}")
    except Exception as err:
        predicted.pop(label, None)
        problems[label] = alerts.error_text(err)

if len(predicted) == 2:
    (a, pa), (b, pb) = predicted.items()
    ious = {label: np.array([item_iou(p, m) for p, m in zip(pred, masks)])
            for label, pred in ((a, pa), (b, pb))}
    valid = ~np.isnan(ious[a]) & ~np.isnan(ious[b])
    better = int(np.sum(ious[a][valid] > ious[b][valid]))
    st.caption(t("segmentation.scenes_caption", count=len(images),
                 unet_iou=fmt.num(np.nanmean(ious[a]), 3),
                 noskip_iou=fmt.num(np.nanmean(ious[b]), 3), better=better,
                 scenes=int(valid.sum())))

index = st.slider(t("segmentation.scene"), 0, len(images) - 1,
                  **keep("seg_index", 0, range(len(images))))
image, truth = images[index], np.asarray(masks[index])

panels = [(t("segmentation.image"), imaging.enlarge(image, 3), None),
          (t("segmentation.true_mask"), imaging.enlarge(imaging.colorize(truth), 3), None)]
scores = {}
for name, label in MODELS:
    if label in predicted:
        pred = predicted[label][index]
        scores[label] = item_iou(pred, truth)
        panels.append((label, imaging.enlarge(imaging.colorize(pred), 3), None))
    else:
        panels.append((label, None, problems.get(label, "")))

cols = st.columns(len(panels))
for col, (label, picture, problem) in zip(cols, panels):
    col.markdown(f"**{label}**")
    if picture is not None:
        col.image(picture, width="stretch")
    else:
        col.info(problem)
if scores:
    cols = st.columns(len(scores))
    for col, (label, iou) in zip(cols, scores.items()):
        col.metric(t("segmentation.scene_iou", label=label),
                   fmt.num(iou, 3))

present = sorted(set(np.unique(truth).tolist()))
legend = " ".join(
    f"<span style='background:rgb{imaging.PALETTE[c]};color:{'white' if c in (0, 4, 6) else 'black'};"
    f"padding:1px 6px;border-radius:4px;margin-right:4px'>{CLASSES[c]}</span>"
    for c in range(len(CLASSES)))
st.markdown(legend, unsafe_allow_html=True)
st.caption(t("segmentation.scene_classes", classes=", ".join(CLASSES[c] for c in present)))
