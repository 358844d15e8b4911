import os

from keras_resnets.tensorflow_flags import set_tensorflow_defaults

# before anything imports TensorFlow, as the command line does
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
set_tensorflow_defaults()
