"""The app's two languages: the sidebar switch, the text of a catalogue key, and widgets that
keep their value when the language changes.

The texts live in one catalogue per language, ``strings_en.STRINGS`` and
``strings_pt.STRINGS``, keyed by the same ids; ``t("depth.title")`` is the text in the chosen
language, ``t("deploy.true_label", label=name)`` with its ``{placeholders}`` filled in.
"""

import streamlit as st

from keras_resnets_app import strings_en, strings_pt

LANGUAGES = ("English", "Português")
CATALOGUES = {"English": strings_en.STRINGS, "Português": strings_pt.STRINGS}


def lang():
    """The chosen language, one of LANGUAGES."""
    return st.session_state.get("lang", LANGUAGES[0])


def portuguese():
    return lang() == "Português"


def t(key, **values):
    """The text of catalogue entry ``key`` in the chosen language, its ``{placeholders}``
    filled from ``values`` (a text without values is returned as written: its braces are
    LaTeX, not placeholders)."""
    text = CATALOGUES[lang()][key]
    return text.format(**values) if values else text


def class_names(dataset):
    """The class names of the library's ``dataset`` (``keras_resnets.data.dataset_info``), in
    the chosen language."""
    from keras_resnets.data import dataset_info

    names = dataset_info(dataset).class_names
    return tuple(strings_pt.CLASS_NAMES.get(n, n) for n in names) if portuguese() \
        else tuple(names)


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
