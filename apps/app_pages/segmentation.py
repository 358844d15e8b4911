"""Segmentation: a U-Net on fashion scenes, with and without its skip connections."""

import numpy as np
import streamlit as st

import common
from common import L

st.title(L("Segmentation: U-Net skip connections", "Segmentação: atalhos da U-Net"))
common.idea(
    "A **U-Net** encodes the image down to a coarse, semantic representation and decodes "
    "it back to a mask of one class per pixel. Its skip connections **concatenate** each "
    "encoder level's features into the decoder level of the same resolution, so the "
    "decoder gets back the fine detail that pooling threw away. Without them (same "
    "layers, no concatenation) the decoder must rebuild every edge from the coarse code "
    "alone: edges blur and small items get lost — after the short training of the models "
    "here, the U-Net without skips misses most of the items.",
    "Uma **U-Net** codifica a imagem até uma representação grosseira e semântica e a "
    "decodifica de volta numa máscara com uma classe por pixel. Seus atalhos "
    "**concatenam** as características de cada nível do codificador no nível do "
    "decodificador de mesma resolução, devolvendo os detalhes finos que o pooling "
    "descartou. Sem eles (mesmas camadas, sem concatenação) o decodificador precisa "
    "reconstruir cada borda só a partir do código grosseiro: as bordas borram e peças "
    "pequenas se perdem — depois do treino curto dos modelos daqui, a U-Net sem atalhos "
    "perde a maior parte das peças.",
)

root = common.models_dir()
CLASSES = (L("background", "fundo"),) + tuple(common.class_name(i) for i in range(10))
SCENES = 100  # the first test scenes, in order: no picking

path = common.experiment_path("unet_skips")
data, error = common.read_json(path)
if data is not None:
    try:
        with_iou = float(data["with_skips"]["mean_iou"])
        without_iou = float(data["without_skips"]["mean_iou"])
    except (KeyError, TypeError, ValueError) as err:
        st.error(L(f"`{path}` does not follow the schema ({err!r}).",
                   f"`{path}` não segue o formato ({err!r})."))
    else:
        c1, c2 = st.columns(2)
        c1.metric(L("Test mean IoU with skips", "IoU médio de teste com atalhos"),
                  common.num(with_iou, 3))
        c2.metric(L("Test mean IoU without skips", "IoU médio de teste sem atalhos"),
                  common.num(without_iou, 3), common.localize(f"{without_iou - with_iou:+.3f}"))
        budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
        st.caption(L(
            "**IoU** (intersection over union) of a class: the pixels both the prediction and "
            "the true mask give that class, divided by the pixels either gives it — 1 is "
            "perfect, 0 no overlap. The test mean IoU averages the 11 classes (background "
            "included) over all test scenes. "
            + (f"These U-Nets trained for only {budget['epochs']} epochs, so both are low; "
               if budget.get("epochs") else "")
            + "what matters here is the gap the skip connections make.",
            "**IoU** (interseção sobre união) de uma classe: os pixels a que a predição e a "
            "máscara verdadeira dão essa classe, divididos pelos pixels a que qualquer uma "
            "delas a dá — 1 é perfeito, 0 nenhuma sobreposição. O IoU médio de teste é a média "
            "das 11 classes (fundo incluído) em todas as cenas de teste. "
            + (f"Estas U-Nets treinaram só {budget['epochs']} épocas, então os dois são "
               "baixos; " if budget.get("epochs") else "")
            + "o que importa aqui é a diferença que os atalhos fazem."))
else:
    common.show_missing(path, error, L("The U-Net skip experiment", "O experimento de atalhos da U-Net"))


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
    model, err = common.load_keras_model(root / name / "model.keras")
    if model is None:
        raise RuntimeError(err)
    return np.asarray(model.predict(np.asarray(_images, "float32"), batch_size=50,
                                    verbose=0)).argmax(-1)


try:
    with st.spinner(L("Loading the fashion scenes…", "Carregando as cenas…")):
        images, masks = scenes()
except Exception as err:
    st.warning(L(f"The fashion_scenes test set is not available here yet "
                 f"({type(err).__name__}: {err}).",
                 f"O conjunto de teste fashion_scenes ainda não está disponível aqui "
                 f"({type(err).__name__}: {err})."))
    st.stop()

MODELS = ((common.SEGMENTERS[0], L("U-Net", "U-Net")),
          (common.SEGMENTERS[1], L("without skips", "sem atalhos")))
predicted, problems = {}, {}
for name, label in MODELS:
    model_path = root / name / "model.keras"
    if common._stamp(model_path) is None:
        problems[label] = L("not there yet", "ainda não existe")
        continue
    try:
        with st.spinner(L("Segmenting the scenes…", "Segmentando as cenas…")):
            predicted[label] = predictions(name, common._stamp(model_path), images)
        if predicted[label].shape != masks.shape:
            raise ValueError(f"output {predicted[label].shape}, masks {masks.shape}")
    except Exception as err:
        predicted.pop(label, None)
        problems[label] = f"{type(err).__name__}: {str(err)[:200]}"

if len(predicted) == 2:
    (a, pa), (b, pb) = predicted.items()
    ious = {label: np.array([item_iou(p, t) for p, t in zip(pred, masks)])
            for label, pred in ((a, pa), (b, pb))}
    valid = ~np.isnan(ious[a]) & ~np.isnan(ious[b])
    better = int(np.sum(ious[a][valid] > ious[b][valid]))
    st.caption(L(
        f"The scenes below are the first {len(images)} of the test set, in order (no "
        f"picking). On them the items' IoU (the clothing classes of each scene, background "
        f"left out) averages {common.num(np.nanmean(ious[a]), 3)} for the U-Net and "
        f"{common.num(np.nanmean(ious[b]), 3)} without skips; the U-Net is better on "
        f"{better} of {int(valid.sum())} scenes.",
        f"As cenas abaixo são as primeiras {len(images)} do conjunto de teste, em ordem (sem "
        f"escolha). Nelas o IoU das peças (as classes de roupa de cada cena, sem o fundo) "
        f"tem média {common.num(np.nanmean(ious[a]), 3)} para a U-Net e "
        f"{common.num(np.nanmean(ious[b]), 3)} sem atalhos; a U-Net é melhor em {better} de "
        f"{int(valid.sum())} cenas."))

index = st.slider(L("Scene #", "Cena nº"), 0, len(images) - 1, **common.keep("seg_index", 0, range(len(images))))
image, truth = images[index], np.asarray(masks[index])

panels = [(L("image", "imagem"), common.enlarge(image, 3), None),
          (L("true mask", "máscara verdadeira"), common.enlarge(common.colorize(truth), 3), None)]
scores = {}
for name, label in MODELS:
    if label in predicted:
        pred = predicted[label][index]
        scores[label] = item_iou(pred, truth)
        panels.append((label, common.enlarge(common.colorize(pred), 3), None))
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
        col.metric(L(f"{label}: items' IoU on this scene", f"{label}: IoU das peças nesta cena"),
                   common.num(iou, 3))

present = sorted(set(np.unique(truth).tolist()))
legend = " ".join(
    f"<span style='background:rgb{common.PALETTE[c]};color:{'white' if c in (0, 4, 6) else 'black'};"
    f"padding:1px 6px;border-radius:4px;margin-right:4px'>{CLASSES[c]}</span>"
    for c in range(len(CLASSES)))
st.markdown(legend, unsafe_allow_html=True)
st.caption(L(f"Classes in this scene: {', '.join(CLASSES[c] for c in present)}",
             f"Classes nesta cena: {', '.join(CLASSES[c] for c in present)}"))
