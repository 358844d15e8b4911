"""The app's "Run on your phone" page (apps/keras_resnets_app/pages/phone.py): it serves web/phone/ through
Streamlit's component route and links to it, in English and Portuguese."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "apps" / "streamlit_app.py"
BUILT = APP.parents[1] / "web" / "phone" / ".built"


def _open():
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("keras_resnets_app/pages/phone.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_phone_page_links_the_served_page():
    at = _open()
    assert at.title[0].value == "Run on your phone"
    text = " ".join(str(m.value) for m in at.markdown)
    if BUILT.exists():
        assert "/component/keras_resnets.phone/index.html" in text
    else:
        assert "web/build.sh" in " ".join(str(i.value) for i in at.info)
    at.radio(key="lang").set_value("Português").run()
    assert not at.exception and at.title[0].value == "Rode no seu celular"
