"""Low-latency inference with a Keras model: one compiled forward pass per model, traced
once and reused, called directly.

``model(x)`` runs eagerly (one dispatch per layer: tens of milliseconds for a ResNet-20 on
one 28x28 image) and ``model.predict(x)`` builds a data iterator and a progress callback
on every call; both dominate the arithmetic of a small image. `InferenceFunction` traces
the model's inference pass once, with a fixed input signature whose batch dimension is
free, so a single image and a batch of 64 use the same compiled graph
(``benchmarks/inference.py`` measures all three paths).

    from keras_resnets.inference import InferenceFunction
    infer = InferenceFunction(model)          # traced here, not at the first request
    probabilities = infer(images)             # NumPy in, NumPy out

On the TensorFlow backend the pass is a ``tf.function`` with an ``input_signature``
(https://www.tensorflow.org/guide/function#controlling_retracing) over the model's layers
with BatchNormalization run by TensorFlow's fused kernel
(`keras_resnets.training.batchnorm.fused_training_model`, on the same variables, so later
weight changes are seen); on other backends it is
Keras' own compiled predict step (``Model.predict_on_batch``: ``jax.jit`` on JAX,
``torch.no_grad`` on PyTorch). The model's layers are untouched.
"""

import numpy as np


class InferenceFunction:
    """A model's inference pass (``training=False``), compiled once for inputs of shape
    ``(batch, *model.input_shape[1:])`` with any batch size.

    Args:
        model: a single-input Keras model whose input shape is known apart from the batch.
        batch_size: inputs with more images than this run in chunks of it (bounds memory);
            the last chunk may be smaller and reuses the same compiled pass.
        warm_up: run one image through the pass now, so that tracing does not land on the
            first call.

    Calling it with an array of images (or one image without the batch axis) returns the
    model's output as a NumPy array with a batch axis.
    """

    def __init__(self, model, batch_size=256, warm_up=True):
        import keras

        if len(model.inputs) != 1:
            raise ValueError(f"InferenceFunction takes a single-input model; {model.name!r} "
                             f"has {len(model.inputs)} inputs")
        shape = tuple(model.inputs[0].shape[1:])
        if any(d is None for d in shape):
            raise ValueError(f"InferenceFunction needs a fixed input shape apart from the "
                             f"batch; {model.name!r} takes {(None, *shape)}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1; got {batch_size}")
        self.model = model
        self.input_shape = shape
        self.dtype = keras.backend.standardize_dtype(model.inputs[0].dtype)
        self.batch_size = int(batch_size)
        self.backend = keras.backend.backend()
        self._traced = None  # the tf.function on the TensorFlow backend
        self._forward = (self._tensorflow_forward() if self.backend == "tensorflow"
                         else self._keras_forward())
        if warm_up:
            self(np.zeros((1, *shape), self.dtype))

    def _tensorflow_forward(self):
        import tensorflow as tf

        from keras_resnets.training.batchnorm import fused_training_model

        # BatchNormalization as one FusedBatchNormV3 op (moving statistics), which
        # TensorFlow's oneDNN remapper fuses with the convolution before it.
        model = fused_training_model(self.model)
        signature = [tf.TensorSpec((None, *self.input_shape), self.dtype)]

        @tf.function(input_signature=signature, autograph=False)
        def forward(x):
            return model(x, training=False)

        self._traced = forward
        return lambda x: forward(x).numpy()

    def _keras_forward(self):
        import keras

        model = self.model
        return lambda x: keras.ops.convert_to_numpy(model.predict_on_batch(x))

    def __call__(self, images):
        x = np.asarray(images, dtype=self.dtype)
        if x.shape == self.input_shape:
            x = x[None]
        if x.shape[1:] != self.input_shape or x.shape[0] == 0:
            raise ValueError(f"{self.model.name!r} takes images of shape {self.input_shape} "
                             f"(or a non-empty batch of them); got an array of shape "
                             f"{np.shape(images)}")
        if len(x) <= self.batch_size:
            return self._forward(x)
        return np.concatenate([self._forward(x[i:i + self.batch_size])
                               for i in range(0, len(x), self.batch_size)])
