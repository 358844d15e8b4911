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
    "layers, no concatenation) the masks come out blurred at the edges.",
    "Uma **U-Net** codifica a imagem até uma representação grosseira e semântica e a "
    "decodifica de volta numa máscara com uma classe por pixel. Seus atalhos "
    "**concatenam** as características de cada nível do codificador no nível do "
    "decodificador de mesma resolução, devolvendo os detalhes finos que o pooling "
    "descartou. Sem eles (mesmas camadas, sem concatenação) as máscaras saem borradas "
    "nas bordas.",
)

root = common.models_dir()
CLASSES = ("background",) + common.FASHION_CLASSES

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
                  f"{with_iou:.3f}")
        c2.metric(L("Test mean IoU without skips", "IoU médio de teste sem atalhos"),
                  f"{without_iou:.3f}", f"{without_iou - with_iou:+.3f}")
else:
    common.show_missing(path, error, L("The U-Net skip experiment", "O experimento de atalhos da U-Net"))


@st.cache_data(show_spinner=False, max_entries=2)
def scenes(limit=200):
    from keras_resnets.data import load_arrays

    images, masks = load_arrays("fashion_scenes", "test", limit=limit)
    return images, masks


try:
    with st.spinner(L("Loading the fashion scenes…", "Carregando as cenas…")):
        images, masks = scenes()
except Exception as err:
    st.warning(L(f"The fashion_scenes test set is not available here yet "
                 f"({type(err).__name__}: {err}).",
                 f"O conjunto de teste fashion_scenes ainda não está disponível aqui "
                 f"({type(err).__name__}: {err})."))
    st.stop()

index = st.slider(L("Scene #", "Cena nº"), 0, len(images) - 1, 0, key="seg_index")
image, truth = images[index], np.asarray(masks[index])
if truth.ndim == 3:
    truth = truth[..., 0]

panels = [(L("image", "imagem"), common.enlarge(image, 3), None),
          (L("true mask", "máscara verdadeira"), common.enlarge(common.colorize(truth), 3), None)]
scores = {}
for name, label in ((common.SEGMENTERS[0], L("U-Net", "U-Net")),
                    (common.SEGMENTERS[1], L("without skips", "sem atalhos"))):
    model_path = root / name / "model.keras"
    model, err = common.load_keras_model(model_path)
    if model is None:
        panels.append((label, None, L("not there yet", "ainda não existe") if err == "missing"
                       else L(f"cannot load: {err}", f"não carrega: {err}")))
        continue
    try:
        probs = np.asarray(model(image[None].astype("float32"), training=False))[0]
        if probs.shape[:2] != truth.shape:
            raise ValueError(f"output shape {probs.shape}, mask {truth.shape}")
        pred = probs.argmax(-1)
    except Exception as err:
        panels.append((label, None, f"{type(err).__name__}: {err}"))
        continue
    scores[label] = common.mean_iou(pred, truth, len(CLASSES))
    panels.append((label, common.enlarge(common.colorize(pred), 3), None))

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
        col.metric(L(f"{label}: IoU on this scene", f"{label}: IoU nesta cena"), f"{iou:.3f}")

present = sorted(set(np.unique(truth).tolist()))
legend = " ".join(
    f"<span style='background:rgb{common.PALETTE[c]};color:{'white' if c in (0, 4, 6) else 'black'};"
    f"padding:1px 6px;border-radius:4px;margin-right:4px'>{CLASSES[c]}</span>"
    for c in range(len(CLASSES)))
st.markdown(legend, unsafe_allow_html=True)
st.caption(L(f"Classes in this scene: {', '.join(CLASSES[c] for c in present)}",
             f"Classes nesta cena: {', '.join(CLASSES[c] for c in present)}"))
