"""The phone page (web/phone/, built by web/build.sh), served by the app's own server.

Streamlit serves a registered component's folder at /component/<name>/, with the MIME
types .js and .wasm files need. That is what declare_component() does; it is not called
because it names the component after the calling module, and a page script has none.
"""

import os

from streamlit.components.v1.custom_component import CustomComponent
from streamlit.runtime import get_instance

from keras_resnets_app import artifacts

PHONE_DIR = artifacts.REPO_DIR / "web" / "phone"
NAME = "keras_resnets.phone"
URL = f"/component/{NAME}/index.html"


def is_built():
    return (PHONE_DIR / ".built").exists()


def serve():
    """Registers web/phone/ with the running server (every run of any page does, so the
    link works from the first page a visitor opens); returns its URL, or None when the
    page is not built."""
    if not is_built():
        return None
    registry = get_instance().component_registry
    if registry.get_component_path(NAME) != os.path.abspath(PHONE_DIR):
        registry.register_component(CustomComponent(name=NAME, path=str(PHONE_DIR), url=None,
                                                    module_name="keras_resnets"))
    return URL
