"""keras-resnets: why skip connections matter, and how to take a model to a phone.

    streamlit run apps/streamlit_app.py        (or `make app`)

Reads the shipped artifacts from ``$KERAS_RESNETS_MODELS_DIR`` (default ``saved_models/``);
runs offline. The app is the package ``keras_resnets_app`` next to this file (Streamlit puts
this folder on ``sys.path``).
"""

from keras_resnets_app.app import main

main()
