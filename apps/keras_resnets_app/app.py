"""The app's frame: page configuration, the language switch and the navigation."""

import os
from pathlib import Path

import streamlit as st

from keras_resnets.tensorflow_flags import set_tensorflow_defaults
from keras_resnets_app import phone_site
from keras_resnets_app.language import language_switch, t

PAGES_DIR = Path(__file__).resolve().parent / "pages"


def main():
    """Runs the page the address asks for (the Depth page by default)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    set_tensorflow_defaults()  # before any page imports TensorFlow, as the command line does
    # a local icon: a material or emoji icon would be fetched from a CDN, which fails offline
    st.set_page_config(page_title="keras-resnets", page_icon=str(PAGES_DIR.parent / "icon.png"),
                       layout="wide")
    language_switch()
    phone_site.serve()  # the phone page's URL works before its page has been opened
    # the pages' URLs are their file names: /signal, /paths, ... (Depth is /)
    pages = [
        st.Page(PAGES_DIR / "depth.py", title=t("nav.depth"), icon=":material/trending_down:",
                default=True),
        st.Page(PAGES_DIR / "signal.py", title=t("nav.signal"), icon=":material/ssid_chart:"),
        st.Page(PAGES_DIR / "paths.py", title=t("nav.paths"), icon=":material/call_split:"),
        st.Page(PAGES_DIR / "architectures.py", title=t("nav.architectures"),
                icon=":material/account_tree:"),
        st.Page(PAGES_DIR / "deploy.py", title=t("nav.deploy"), icon=":material/smartphone:"),
        st.Page(PAGES_DIR / "segmentation.py", title=t("nav.segmentation"),
                icon=":material/layers:"),
        st.Page(PAGES_DIR / "phone.py", title=t("nav.phone"), icon=":material/phone_iphone:"),
    ]
    st.navigation(pages).run()
