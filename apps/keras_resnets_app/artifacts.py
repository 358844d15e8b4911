"""The shipped artifacts the app reads (``$KERAS_RESNETS_MODELS_DIR``, default
``<repo>/saved_models``), loaded and cached. The loaders never raise: they return
``(value, None)``, ``(None, "missing")`` or ``(None, why it failed)``."""

import json
import os
from pathlib import Path

import streamlit as st

from keras_resnets_app.alerts import error_text

REPO_DIR = Path(__file__).resolve().parents[2]
MODELS_ENV = "KERAS_RESNETS_MODELS_DIR"
CLASSIFIERS = ("resnet20", "plain20", "resnet56", "plain56")
SEGMENTERS = ("unet_fashion_scenes", "unet_fashion_scenes_noskip")


def models_dir():
    """``$KERAS_RESNETS_MODELS_DIR``, else ``<repo>/saved_models``."""
    return Path(os.environ.get(MODELS_ENV) or REPO_DIR / "saved_models")


def experiment_path(name):
    return models_dir() / "experiments" / name / "results.json"


def stamp(path):
    """A cache key that changes when the file does; None when there is no file."""
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
        return None, error_text(err)


def read_json(path):
    """``(data, None)``, ``(None, "missing")`` or ``(None, error message)``."""
    return _read_json(str(path), stamp(path))


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_keras(path, stamp):
    import keras

    from keras_resnets import layers  # noqa: F401 - registers ZeroPadChannels (resnet20, resnet56)

    return keras.saving.load_model(path, compile=False)


def _load_file(load, path):
    """``(load(path, stamp(path)), None)``, ``(None, "missing")`` or ``(None, message)``:
    ``load`` is one of the cached loaders, keyed by the file's stamp."""
    path = str(path)
    key = stamp(path)
    if key is None:
        return None, "missing"
    try:
        return load(path, key), None
    except Exception as err:
        return None, error_text(err)


def load_keras_model(path):
    """``(keras.Model, None)``, ``(None, "missing")`` or ``(None, message)``."""
    return _load_file(_load_keras, path)


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_keras_inference(path, stamp):
    from keras_resnets.inference import InferenceFunction

    return InferenceFunction(_load_keras(path, stamp))


def load_keras_inference(path):
    """``(keras_resnets.inference.InferenceFunction, None)``, ``(None, "missing")`` or
    ``(None, message)``: the model's compiled inference pass, traced once per file."""
    return _load_file(_load_keras_inference, path)


@st.cache_resource(show_spinner=False, max_entries=16)
def _load_predictor(path, stamp):
    from keras_resnets.lite import Predictor

    return Predictor(path)


def load_predictor(path):
    """``(keras_resnets.lite.Predictor, None)``, ``(None, "missing")`` or
    ``(None, message)``."""
    return _load_file(_load_predictor, path)


@st.cache_data(show_spinner=False, max_entries=4)
def fashion_mnist_test(limit=2000):
    """``(images, labels, None)`` or ``(None, None, message)``."""
    try:
        from keras_resnets.data import load_arrays

        images, labels = load_arrays("fashion_mnist", "test", limit=limit, download=False)
        return images, labels, None
    except Exception as err:
        return None, None, error_text(err)

