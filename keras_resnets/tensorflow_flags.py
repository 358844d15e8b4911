"""The TensorFlow settings keras-resnets' own programs run with.

TensorFlow reads these environment variables once, when it is imported, so they are set by
the programs that start TensorFlow for the user -- the command line (`keras_resnets.cli`),
the Streamlit app, the benchmarks and scripts -- as their first step, never by
``import keras_resnets``: importing a library leaves the process environment alone. In your
own program, call `set_tensorflow_defaults` before anything imports TensorFlow or Keras.
"""

import os
import sys

ONEDNN = "TF_ENABLE_ONEDNN_OPTS"


def set_tensorflow_defaults(environ=None):
    """Turns TensorFlow's oneDNN kernels on (``TF_ENABLE_ONEDNN_OPTS=1``) unless the
    environment already sets the variable.

    TensorFlow enables oneDNN by default only on CPUs with AVX-512-class features; on AVX2
    CPUs its convolution gradients are several times faster with it
    (``benchmarks/training.py``). Set ``TF_ENABLE_ONEDNN_OPTS=0`` to opt out: a value
    already in the environment is kept.

    Args:
        environ: the mapping to update (default: ``os.environ``).

    Returns:
        True if TensorFlow will see the setting, False if TensorFlow was already imported
        in this process (the variable is still set, for child processes).
    """
    environ = os.environ if environ is None else environ
    environ.setdefault(ONEDNN, "1")
    return "tensorflow" not in sys.modules
