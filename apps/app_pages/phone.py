"""Run on your phone: the shipped int8 classifier in the phone's own browser with LiteRT.js
(web/phone/, built by web/build.sh); this page serves it and says how to open it."""

import streamlit as st
import streamlit.components.v1 as components
from streamlit.components.v1.custom_component import CustomComponent
from streamlit.runtime import get_instance

import common
from common import L

PHONE_DIR = common.REPO_DIR / "web" / "phone"

st.title(L("Run on your phone", "Rode no seu celular"))
common.idea(
    "The int8 ResNet-20 (300 KB) runs **in your phone's browser** with LiteRT.js: the "
    "picture never leaves the phone. The .tflite file takes what a camera gives, RGB pixels "
    "0..255 (its gray conversion and scaling are inside the graph), so the page only resizes "
    "the picture. It shows the top-3 classes, their probabilities and the on-device latency. "
    "Everything is served by this app; nothing comes from the internet.",
    "A ResNet-20 int8 (300 KB) roda **no navegador do seu celular** com o LiteRT.js: a foto "
    "não sai do celular. O arquivo .tflite recebe o que uma câmera dá, pixels RGB 0..255 (a "
    "conversão para cinza e a escala estão dentro do grafo), então a página só redimensiona "
    "a foto. Ela mostra as 3 classes mais prováveis, suas probabilidades e a latência no "
    "aparelho. Tudo é servido por este app; nada vem da internet.",
)

if not (PHONE_DIR / ".built").exists():
    st.info(L("The phone page is not built yet: run `bash web/build.sh` (`make app` does).",
              "A página do celular ainda não foi montada: rode `bash web/build.sh` "
              "(`make app` roda)."))
    st.stop()

# Streamlit serves a registered component's folder at /component/<name>/, with the MIME
# types .js and .wasm files need. This is what declare_component() does; it cannot be called
# here because it names the component after the calling module, and a page has none.
NAME = "keras_resnets.phone"
get_instance().component_registry.register_component(
    CustomComponent(name=NAME, path=str(PHONE_DIR), url=None, module_name="keras_resnets"))
url = f"/component/{NAME}/index.html"
st.markdown(L(
    f"**On your phone** (same Wi-Fi): open `http://<this computer's address>:8501{url}` — "
    f"or [open it here]({url}). \"Photo / camera\" opens the phone's camera; the live camera "
    "needs HTTPS or localhost.",
    f"**No celular** (mesma rede Wi-Fi): abra `http://<endereço deste computador>:8501{url}` "
    f"— ou [abra aqui]({url}). \"Photo / camera\" abre a câmera do celular; a câmera ao vivo "
    "precisa de HTTPS ou localhost."))
components.iframe(url, height=760, scrolling=True)
