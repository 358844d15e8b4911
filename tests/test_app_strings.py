"""The app's string catalogues (apps/keras_resnets_app/strings_en.py, strings_pt.py): the same
keys and placeholders in both languages, and every key the code asks for is there, with the
values its text needs. Reads the source; runs no page."""

import ast
import string
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from keras_resnets_app import strings_en, strings_pt  # noqa: E402

PACKAGE = Path(strings_en.__file__).resolve().parent


def fields(text):
    """The ``{placeholders}`` of a text: (name, conversion, format spec), in order."""
    return sorted((name, conversion or "", spec or "")
                  for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None)


def calls():
    """Every ``t(...)`` call in the package: (file:line, key or None, keyword names)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "t":
                key = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) \
                    else None
                found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", key,
                              {k.arg for k in node.keywords}))
    return found


def test_both_languages_have_the_same_keys_and_placeholders():
    assert strings_en.STRINGS.keys() == strings_pt.STRINGS.keys()
    different = {key: (fields(en), fields(strings_pt.STRINGS[key]))
                 for key, en in strings_en.STRINGS.items()
                 if fields(en) != fields(strings_pt.STRINGS[key])}
    assert different == {}
    empty = [key for key, en in strings_en.STRINGS.items()
             if not en.strip() or not strings_pt.STRINGS[key].strip()]
    assert empty == []


def test_every_key_the_code_uses_exists_and_gets_its_values():
    found = calls()
    assert len(found) > 200
    dynamic = [where for where, key, _ in found if key is None]
    assert dynamic == [], "a key must be a literal, so that this test can check it"
    missing = sorted({key for _, key, _ in found if key not in strings_en.STRINGS})
    assert missing == []
    # a call with values fills exactly the text's placeholders; one without shows the text
    # as written, so its braces (LaTeX) are not placeholders to fill
    wrong = [(where, key, sorted(names), fields(strings_en.STRINGS[key]))
             for where, key, names in found
             if names and names != {name for name, _, _ in fields(strings_en.STRINGS[key])}]
    assert wrong == []
    unused = sorted(strings_en.STRINGS.keys() - {key for _, key, _ in found})
    assert unused == []


def test_class_names_are_the_library_s_translated():
    from keras_resnets.data import dataset_info

    names = set(dataset_info("fashion_mnist").class_names) \
        | set(dataset_info("fashion_scenes").class_names)
    assert set(strings_pt.CLASS_NAMES) == names
    assert "T-shirt/top" in names and "background" in names


def test_text_in_each_language():
    from streamlit.testing.v1 import AppTest

    def show():
        import streamlit as st

        from keras_resnets_app.language import class_names, t

        st.markdown(t("deploy.true_label", truth=class_names("fashion_mnist")[9]))
        st.markdown(t("paths.idea"))

    at = AppTest.from_function(show, default_timeout=60).run()  # imports streamlit: slow when loaded
    assert at.markdown[0].value == "True label: **Ankle boot**"
    assert at.markdown[1].value.startswith("Unroll $n$ residual blocks $h_i = h_{i-1} + f_i(")
    at.session_state["lang"] = "Português"
    at.run()
    assert at.markdown[0].value == "Rótulo verdadeiro: **Bota de cano curto**"
