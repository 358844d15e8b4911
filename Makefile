# Everything a fresh machine needs: `make app` runs the Streamlit app on the shipped models,
# `make test` runs the whole test suite. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-installed
WEB_STAMP := web/phone/.built

.PHONY: app test system web models clean

$(STAMP): requirements.txt setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Debian packages: the genuine Fashion-MNIST files, Chromium for the browser tests and npm
# for the phone page's LiteRT.js.
$(SYSTEM_STAMP): $(STAMP)
	@if [ ! -d /usr/share/datasets/fashion-mnist ] || ! command -v chromium >/dev/null \
			|| ! command -v npm >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq dataset-fashion-mnist chromium npm; \
	fi
	touch $(SYSTEM_STAMP)

# The phone page (web/phone/): LiteRT.js and its WASM files from npm, the shipped int8 model.
$(WEB_STAMP): $(SYSTEM_STAMP) web/build.sh web/package-lock.json saved_models/resnet20/model_int8.tflite
	bash web/build.sh

web: $(WEB_STAMP)

system: $(SYSTEM_STAMP)

app: $(SYSTEM_STAMP) $(WEB_STAMP)
	$(VENV)/bin/streamlit run apps/streamlit_app.py --server.headless true --browser.gatherUsageStats false

test: $(SYSTEM_STAMP) $(WEB_STAMP)
	$(PY) -m pytest -q --durations=25

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis web/node_modules web/phone/vendor web/phone/model $(WEB_STAMP)
