# Everything a fresh machine needs: `make app` runs the Streamlit app on the shipped models,
# `make test` runs the whole test suite. Both create .venv and install what they need: the
# app only requirements.txt, the tests requirements-dev.txt on top of it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SYSTEM_STAMP := $(VENV)/.system-installed
BROWSER_STAMP := $(VENV)/.browser-installed
WEB_STAMP := web/phone/.built

.PHONY: app test system web clean

# apt-get install $(1) unless the shell test $(2) already holds (root, or sudo)
define apt_install
	@if ! { $(2); }; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1); \
	fi
endef

$(STAMP): requirements.txt setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

# Debian packages: the genuine Fashion-MNIST files (the app and the tests read them) and
# npm for the phone page's LiteRT.js.
$(SYSTEM_STAMP): $(STAMP)
	$(call apt_install,dataset-fashion-mnist npm,[ -d /usr/share/datasets/fashion-mnist ] && command -v npm >/dev/null)
	touch $(SYSTEM_STAMP)

# Chromium, for the browser tests only.
$(BROWSER_STAMP): $(SYSTEM_STAMP)
	$(call apt_install,chromium,command -v chromium >/dev/null)
	touch $(BROWSER_STAMP)

# The phone page (web/phone/), served by the app: LiteRT.js and its WASM files from npm,
# the shipped int8 model.
$(WEB_STAMP): $(SYSTEM_STAMP) web/build.sh web/package-lock.json saved_models/resnet20/model_int8.tflite
	bash web/build.sh

web: $(WEB_STAMP)

system: $(SYSTEM_STAMP)

app: $(SYSTEM_STAMP) $(WEB_STAMP)
	$(VENV)/bin/streamlit run apps/streamlit_app.py --server.headless true --browser.gatherUsageStats false

# Two workers: most tests keep one core busy, so two files side by side use both cores;
# --dist loadfile keeps each file's module fixtures in one process.
test: $(DEV_STAMP) $(BROWSER_STAMP) $(WEB_STAMP)
	$(PY) -m pytest -q -n 2 --dist loadfile --durations=25

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis web/node_modules web/phone/vendor web/phone/model $(WEB_STAMP)
