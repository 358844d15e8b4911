"""Run on your phone: the shipped int8 classifier in the phone's own browser with LiteRT.js
(web/phone/, built by web/build.sh); this page says how to open it and shows it."""

import streamlit as st
import streamlit.components.v1 as components

from keras_resnets_app import phone_site
from keras_resnets_app.language import t

st.title(t("phone.title"))
st.markdown(t("phone.idea"))

url = phone_site.serve()
if url is None:
    st.info(t("phone.not_built"))
    st.stop()
st.markdown(t("phone.open_on_phone", url=url))
components.iframe(url, height=760, scrolling=True)
