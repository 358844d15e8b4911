"""Gradients for the probes. Builders stay backend-free; the probes need automatic
differentiation, implemented here for the TensorFlow backend."""

import keras


def value_and_grads(fn, variables=(), inputs=()):
    """``(value, grads_wrt_variables, grads_wrt_inputs)`` of the scalar ``fn(*inputs)``.

    ``variables`` are Keras variables (e.g. layer kernels); ``inputs`` are arrays, passed
    to ``fn`` as tensors and differentiated too.
    """
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise NotImplementedError(
            f"The gradient probes run on the TensorFlow backend; KERAS_BACKEND is {backend!r}."
        )
    import tensorflow as tf

    inputs = [tf.convert_to_tensor(x, dtype="float32") for x in inputs]
    targets = [v.value for v in variables]
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        value = fn(*inputs)
    grads = tape.gradient(value, targets + inputs)
    return value, grads[:len(targets)], grads[len(targets):]
