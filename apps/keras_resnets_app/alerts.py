"""How the app shows that something went wrong: every page reports a failure with
:func:`show_failure` and a missing or unreadable artifact with :func:`show_missing`."""

import streamlit as st

from keras_resnets_app.language import t


def error_text(err, limit=300):
    """What went wrong, in one short line: a message as it is, an exception as
    ``"TypeName: message"`` (the message cut at ``limit`` characters)."""
    if isinstance(err, str):
        return err
    return f"{type(err).__name__}: {str(err)[:limit]}"


def show_failure(what, err, box=None):
    """An error box in ``box`` (``st`` or a column) saying that ``what`` failed and why."""
    (box or st).error(t("alerts.failed", what=what, err=error_text(err)))


def show_missing(path, error, what, how=None):
    """The message for an artifact at ``path`` that ``artifacts.read_json`` could not
    give: ``error`` is "missing" (an info box, with ``how`` to make it) or why it cannot be
    read (an error box)."""
    if error == "missing":
        text = t("alerts.missing", what=what, path=path)
        if how:
            text += " " + how
        st.info(text)
    else:
        st.error(t("alerts.unreadable", what=what, path=path, error=error))
