"""The keras-resnets Streamlit app: why skip connections matter, and how to take a model to
a phone. ``apps/streamlit_app.py`` runs it (``make app``); :func:`keras_resnets_app.app.main`
sets it up.

Modules: ``app`` (page set-up and navigation), ``language`` (the language switch, the
string catalogues ``strings_en`` / ``strings_pt``, widgets that keep their value across
languages), ``formatting`` (numbers in the chosen language), ``artifacts`` (the shipped
files, loaded and cached without raising), ``alerts`` (failures and missing files),
``charts``, ``imaging`` (uploads and masks). Each page is a script in ``pages/`` that
Streamlit runs.

Importing the package imports neither TensorFlow nor Keras.
"""
