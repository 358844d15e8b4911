"""Shared helpers of the Streamlit app: where the shipped artifacts are, the language switch,
cached loaders that never raise (they return an error message instead), and small charts.

Every page imports this module; nothing here imports TensorFlow at import time.
"""

import json
import math
import os
import sys
from pathlib import Path

import streamlit as st

APPS_DIR = Path(__file__).resolve().parent
REPO_DIR = APPS_DIR.parent
if str(REPO_DIR) not in sys.path:  # `streamlit run` only adds apps/ to sys.path
    sys.path.insert(1, str(REPO_DIR))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

MODELS_ENV = "KERAS_RESNETS_MODELS_DIR"
CLASSIFIERS = ("resnet20", "plain20", "resnet56", "plain56")
SEGMENTERS = ("unet_fashion_scenes", "unet_fashion_scenes_noskip")
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                   "Sneaker", "Bag", "Ankle boot")
FASHION_CLASSES_PT = ("Camiseta/top", "Calça", "Pulôver", "Vestido", "Casaco", "Sandália",
                      "Camisa", "Tênis", "Bolsa", "Bota de cano curto")
LANGUAGES = ("English", "Português")


# --- paths ------------------------------------------------------------------------------

def models_dir():
    """``$KERAS_RESNETS_MODELS_DIR``, else ``<repo>/saved_models``."""
    return Path(os.environ.get(MODELS_ENV) or REPO_DIR / "saved_models")


def experiment_path(name):
    return models_dir() / "experiments" / name / "results.json"


# --- language -----------------------------------------------------------------------------

def lang():
    return st.session_state.get("lang", LANGUAGES[0])


def L(en, pt):  # noqa: N802 - short on purpose: L("text", "texto")
    """The English or Portuguese text, as the sidebar's language switch says."""
    return pt if lang() == "Português" else en


def class_name(index):
    """The name of Fashion-MNIST class ``index`` in the chosen language."""
    return L(FASHION_CLASSES[index], FASHION_CLASSES_PT[index])


def language_switch():
    """The sidebar's language radio; ``?lang=pt`` in the address opens the app in
    Portuguese (a link to share in a lecture)."""
    if "lang" not in st.session_state and st.query_params.get("lang") == "pt":
        st.session_state["lang"] = "Português"
    st.sidebar.radio("Idioma / Language", LANGUAGES, key="lang", horizontal=True)


def _remember(key, widget_key, labels):
    value = st.session_state[widget_key]
    if labels:
        keys = {label: k for k, label in labels.items()}
        value = [keys[v] for v in value if v in keys] if isinstance(value, list) \
            else keys.get(value)
    st.session_state["_kept"][key] = value


def keep(key, default, options=None, labels=None):
    """The keyword arguments of a widget (``key``, ``on_change``) that start it at the
    value the user chose last, else at ``default``; give the widget no default of its own.

    Streamlit stores a choice as its displayed label, so a language switch would drop it:
    each language gets its own widget (key ``key`` in English, ``key_pt`` in Portuguese),
    and both start from the value kept here. With ``labels`` ({value: label}) the widget's
    options are the labels and the kept value is the value (Streamlit would otherwise call
    a language-dependent ``format_func`` with the wrong language)."""
    kept = st.session_state.setdefault("_kept", {})
    value = kept.get(key, default)
    if options is not None and (value not in options if not isinstance(value, list)
                                else not set(value) <= set(options)):
        value = default
    widget_key = key if lang() == LANGUAGES[0] else f"{key}_pt"
    if labels:
        st.session_state[widget_key] = [labels[v] for v in value] if isinstance(value, list) \
            else labels[value]
    else:
        st.session_state[widget_key] = value
    return {"key": widget_key, "on_change": _remember, "args": (key, widget_key, labels)}


def idea(en, pt):
    """A page's short explanation, in the chosen language."""
    st.markdown(L(en, pt))


# --- colours and failures ---------------------------------------------------------------

PLAIN_COLOR, RESIDUAL_COLOR = "#d62728", "#1f77b4"  # one colour per network kind, every page


def kind_scale(plain, residual):
    """An Altair colour scale: the plain network red, the residual one blue."""
    import altair as alt

    return alt.Scale(domain=[plain, residual], range=[PLAIN_COLOR, RESIDUAL_COLOR])


def chart(container, altair_chart, **kwargs):
    """Shows an Altair chart in ``container`` (``st`` or a column), its axis numbers with the
    language's decimal and thousands separators (Vega's number locale)."""
    if lang() == "Português":
        import altair as alt

        altair_chart = altair_chart.copy()
        config = altair_chart.config if altair_chart.config is not alt.Undefined \
            else alt.Config()
        config.locale = alt.Locale(number=alt.NumberLocale(
            decimal=",", thousands=".", grouping=[3], currency=["R$ ", ""]))
        altair_chart.config = config
    return container.altair_chart(altair_chart, **kwargs)


def failure(what, err, box=None):
    """Shows that ``what`` failed and why (one line), in an error box of ``box`` (st or a
    column)."""
    reason = err if isinstance(err, str) else f"{type(err).__name__}: {str(err)[:300]}"
    (box or st).error(L(f"{what} failed: {reason}", f"{what} falhou: {reason}"))


# --- artifacts (cached, never raising) -------------------------------------------------------

def _stamp(path):
    """A cache key that changes when the file does."""
    try:
        s = os.stat(path)
        return (s.st_mtime_ns, s.st_size)
    except OSError:
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def _read_json(path, stamp):
    if stamp is None:
        return None, "missing"
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        return None, f"{type(err).__name__}: {err}"


def read_json(path):
    """``(data, None)``, ``(None, "missing")`` or ``(None, error message)``."""
    return _read_json(str(path), _stamp(path))


def show_missing(path, error, what, how=None):
    """The message a page shows for a missing or unreadable artifact."""
    if error == "missing":
        text = L(f"{what} is not there yet: `{path}` is missing.",
                 f"{what} ainda não existe: falta `{path}`.")
        if how:
            text += " " + how
        st.info(text)
    else:
        st.error(L(f"{what}: `{path}` cannot be read ({error}).",
                   f"{what}: não foi possível ler `{path}` ({error})."))


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_keras(path, stamp):
    import keras

    from keras_resnets import layers  # noqa: F401 - registers ZeroPadChannels (resnet20, resnet56)

    return keras.saving.load_model(path, compile=False)


def load_keras_model(path):
    """``(model, None)`` or ``(None, message)``."""
    path = str(path)
    stamp = _stamp(path)
    if stamp is None:
        return None, "missing"
    try:
        return _load_keras(path, stamp), None
    except Exception as err:
        return None, f"{type(err).__name__}: {str(err)[:300]}"


@st.cache_resource(show_spinner=False, max_entries=16)
def _load_predictor(path, stamp):
    from keras_resnets.lite import Predictor

    return Predictor(path)


def load_predictor(path):
    """``(keras_resnets.lite.Predictor, None)`` or ``(None, message)``."""
    path = str(path)
    stamp = _stamp(path)
    if stamp is None:
        return None, "missing"
    try:
        return _load_predictor(path, stamp), None
    except Exception as err:
        return None, f"{type(err).__name__}: {str(err)[:300]}"


def available_models(names):
    """The names among ``names`` whose ``model.keras`` exists."""
    return [n for n in names if (models_dir() / n / "model.keras").is_file()]


@st.cache_data(show_spinner=False, max_entries=4)
def fashion_mnist_test(limit=2000):
    """``(images, labels, None)`` or ``(None, None, message)``."""
    try:
        from keras_resnets.data import load_arrays

        images, labels = load_arrays("fashion_mnist", "test", limit=limit, download=False)
        return images, labels, None
    except Exception as err:
        return None, None, f"{type(err).__name__}: {err}"


# --- formatting (Portuguese numbers in Portuguese: 1.234,5) ----------------------------------

def localize(text):
    """A formatted number with the decimal point and thousands separators of the language."""
    if lang() != "Português":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def num(x, digits=2):
    """A float with ``digits`` decimals (None: as short as exact), a decimal comma in
    Portuguese."""
    if x is None:
        return "—"
    return localize(f"{x:g}" if digits is None else f"{x:,.{digits}f}")


def pct(x, digits=1):
    """0.1234 -> '12.3%' ('12,3%' in Portuguese)."""
    if x is None:
        return "—"
    return localize(f"{x:.{digits}%}")


def integer(n):
    """1234567 -> '1,234,567' ('1.234.567' in Portuguese)."""
    return localize(f"{int(n):,}")


def human(n):
    """1234567 -> '1.23 M'."""
    if n is None:
        return "—"
    n = float(n)
    for unit, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= scale:
            return localize(f"{n / scale:.3g} {unit}")
    return localize(f"{n:.3g}")


def power_of_ten(x):
    """3.2e17 -> '3 × 10^17'."""
    exponent = math.floor(math.log10(x))
    mantissa = round(x / 10 ** exponent)
    if mantissa == 10:
        mantissa, exponent = 1, exponent + 1
    return f"10^{exponent}" if mantissa == 1 else f"{mantissa} × 10^{exponent}"


def big_int(n):
    """A path count that may be astronomically large: exact below 10^12, else
    '2^58 ≈ 3 × 10^17'."""
    if n is None:
        return "—"
    n = int(n)
    if n < 10 ** 12:
        return integer(n)
    bits = math.log2(n)
    power = f"2^{bits:.0f}" if abs(bits - round(bits)) < 1e-9 else f"2^{num(bits, 1)}"
    return f"{power} ≈ {power_of_ten(float(n))}"


def file_size(n):
    if n is None:
        return "—"
    for unit, scale in (("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= scale:
            return f"{num(n / scale)} {unit}"
    return f"{n} B"


# --- images -----------------------------------------------------------------------------------

class ImageRefused(ValueError):
    """An upload the app will not decode; the message says why, in the chosen language."""


def refusal_message(err):
    """A `keras_resnets.lite.images.ImageRefused` in the chosen language."""
    d = err.details
    if err.reason == "empty":
        return L("The file is empty.", "O arquivo está vazio.")
    if err.reason == "too_many_bytes":
        return L(f"The file is larger than the limit of {file_size(d['limit'])}.",
                 f"O arquivo é maior que o limite de {file_size(d['limit'])}.")
    if err.reason == "too_many_pixels":
        size = f"{d['width']}×{d['height']} " if "width" in d else ""
        return L(f"The image {size}is too large: at most {integer(d['limit'])} pixels "
                 f"(4096×4096).",
                 f"A imagem {size}é grande demais: no máximo {integer(d['limit'])} pixels "
                 f"(4096×4096).")
    return L("This file is not an image that can be read (PNG, JPEG, GIF, BMP, TIFF, WebP).",
             "Este arquivo não é uma imagem legível (PNG, JPEG, GIF, BMP, TIFF, WebP).")


def decode_image(raw, max_bytes=None, max_pixels=None):
    """Decodes an uploaded file to a grayscale uint8 array (H, W), the way Fashion-MNIST
    images were made: transparent parts become white background, colours become luma.

    Returns ``(array, description)``. Raises ImageRefused for files too large, that are not
    images, or whose pixel count is over the limit (checked before decoding); the limits
    default to the library's (`keras_resnets.lite.images`), shared with ``predict``.
    """
    import numpy as np
    from PIL import Image

    from keras_resnets.lite import images

    try:
        image = images.open_image(raw, max_pixels=max_pixels or images.MAX_IMAGE_PIXELS,
                                  max_bytes=max_bytes or images.MAX_IMAGE_BYTES)
    except images.ImageRefused as err:
        raise ImageRefused(refusal_message(err)) from None
    width, height = image.size
    mode = image.mode
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    if image.mode in ("I", "I;16", "F"):
        array = np.asarray(image, dtype=np.float64)
        span = array.max() - array.min()
        array = (array - array.min()) / (span if span else 1.0) * 255.0
        gray = array.astype(np.uint8)
    else:
        gray = np.asarray(image.convert("L"), dtype=np.uint8)
    return gray, f"{mode}, {width}×{height}"


def to_model_input(gray, size=28, invert="auto"):
    """A grayscale image -> uint8 (size, size, 1) like Fashion-MNIST (bright item on black):
    resized keeping the aspect ratio, and inverted when its border is light (``"auto"``)."""
    import numpy as np
    from PIL import Image

    gray = np.asarray(gray, dtype=np.uint8)
    if invert == "auto":
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        invert = border.mean() > 127
    if invert:
        gray = 255 - gray
    h, w = gray.shape
    side = max(h, w)
    canvas = np.zeros((side, side), np.uint8)
    canvas[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = gray
    small = Image.fromarray(canvas).resize((size, size), Image.LANCZOS)
    return np.asarray(small, np.uint8)[..., None]


def enlarge(image, scale=6):
    """Nearest-neighbour upscaling for display (uint8 (H, W[, C]))."""
    import numpy as np

    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    return np.kron(image, np.ones((scale, scale) + (1,) * (image.ndim - 2), image.dtype))


PALETTE = (  # class 0 background black, then 10 distinct colours
    (0, 0, 0), (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
    (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212),
)


def colorize(mask):
    import numpy as np

    palette = np.array(PALETTE, np.uint8)
    return palette[np.clip(np.asarray(mask, int), 0, len(palette) - 1)]


def mean_iou(pred, target, num_classes):
    import numpy as np

    ious = []
    for c in range(num_classes):
        p, t = pred == c, target == c
        union = np.logical_or(p, t).sum()
        if union:
            ious.append(np.logical_and(p, t).sum() / union)
    return float(np.mean(ious)) if ious else float("nan")
