"""The heads: what follows a network's last stage.

`classifier_head` is keras.applications' top: global average pooling (``avg_pool``) and a
dense classifier (``predictions``), or without the top, optional global pooling
(``avg_pool`` / ``max_pool``). `segmentation_head` is the U-Net's 1x1 convolution to the
classes (Ronneberger et al. 2015), also named ``predictions``.
"""

from keras import layers


def classifier_head(x, include_top, pooling, classes, classifier_activation):
    """Global average pooling + Dense(classes) when ``include_top``, else optional pooling
    (arguments checked by `keras_resnets.validation.check_head_args`)."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x


def segmentation_head(x, classes, final_activation="auto"):
    """A 1x1 convolution to ``classes`` channels; ``final_activation`` "auto" is a sigmoid
    for one class (a binary mask) and a softmax over the classes otherwise."""
    if final_activation == "auto":
        final_activation = "sigmoid" if classes == 1 else "softmax"
    return layers.Conv2D(classes, 1, activation=final_activation,
                         kernel_initializer="glorot_uniform", name="predictions")(x)
