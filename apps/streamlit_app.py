"""keras-resnets: why skip connections matter, and how to take a model to a phone.

    streamlit run apps/streamlit_app.py        (or `make app`)

Reads the shipped artifacts from ``$KERAS_RESNETS_MODELS_DIR`` (default ``saved_models/``);
runs offline. Each page lives in ``apps/app_pages/`` (not ``pages/``: that name would make Streamlit list the files itself); shared helpers in ``apps/common.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from keras_resnets.tensorflow_flags import set_tensorflow_defaults  # noqa: E402

set_tensorflow_defaults()  # before any page imports TensorFlow, as the command line does

import streamlit as st  # noqa: E402

import common  # noqa: E402

# a local icon: a material or emoji icon would be fetched from a CDN, which fails offline
st.set_page_config(page_title="keras-resnets", page_icon=str(Path(__file__).parent / "icon.png"),
                   layout="wide")
common.language_switch()
L = common.L

PAGES = [
    st.Page("app_pages/depth.py", title=L("Depth", "Profundidade"), icon=":material/trending_down:", default=True),
    st.Page("app_pages/signal.py", title=L("Signal propagation", "Propagação do sinal"),
            icon=":material/ssid_chart:"),
    st.Page("app_pages/paths.py", title=L("Paths", "Caminhos"), icon=":material/call_split:"),
    st.Page("app_pages/architectures.py", title=L("Architectures", "Arquiteturas"), icon=":material/account_tree:"),
    st.Page("app_pages/deploy.py", title=L("Deploy / Try it", "Implantar / Experimente"),
            icon=":material/smartphone:"),
    st.Page("app_pages/segmentation.py", title=L("Segmentation", "Segmentação"), icon=":material/layers:"),
    st.Page("app_pages/phone.py", title=L("Run on your phone", "Rode no seu celular"), icon=":material/phone_iphone:"),
]
page = st.navigation(PAGES)
page.run()
