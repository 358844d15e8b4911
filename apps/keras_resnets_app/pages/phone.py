"""Run on your phone: the shipped int8 classifier in the phone's own browser with LiteRT.js
(web/phone/, built by web/build.sh); this page serves it and says how to open it."""

import streamlit as st
import streamlit.components.v1 as components
from streamlit.components.v1.custom_component import CustomComponent
from streamlit.runtime import get_instance

from keras_resnets_app import artifacts
from keras_resnets_app.language import t

PHONE_DIR = artifacts.REPO_DIR / "web" / "phone"

st.title(t("phone.title"))
st.markdown(t("phone.idea"))

if not (PHONE_DIR / ".built").exists():
    st.info(t("phone.not_built"))
    st.stop()

# Streamlit serves a registered component's folder at /component/<name>/, with the MIME
# types .js and .wasm files need. This is what declare_component() does; it cannot be called
# here because it names the component after the calling module, and a page has none.
NAME = "keras_resnets.phone"
get_instance().component_registry.register_component(
    CustomComponent(name=NAME, path=str(PHONE_DIR), url=None, module_name="keras_resnets"))
url = f"/component/{NAME}/index.html"
st.markdown(t("phone.open_on_phone", url=url))
components.iframe(url, height=760, scrolling=True)
