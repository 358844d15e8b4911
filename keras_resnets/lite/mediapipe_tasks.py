"""Runs a ``.tflite`` file through MediaPipe Tasks (``mediapipe`` on PyPI), the runtime
Android, iOS and web apps use for custom image models: ``vision.ImageClassifier`` and
``vision.ImageSegmenter`` read the file's metadata (labels, normalization, activation) and
refuse files that do not meet their input contract. Used to check the exports."""

import os

import numpy as np

from keras_resnets.lite.images import prepare_images


def _rgb_frames(images, height, width):
    """uint8 RGB frames (N, H, W, 3), as a camera gives them, from raw images."""
    batch = prepare_images(images, (height, width, 3))
    return np.clip(np.round(batch), 0, 255).astype(np.uint8)


def _options(path):
    from mediapipe.tasks import python

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"TFLite model file not found: {path}")
    return python.BaseOptions(model_asset_path=path)


def _image(frame):
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frame))


def classify(path, images, size):
    """MediaPipe ``ImageClassifier``'s scores for ``images`` (raw 0..255 pixels, any form
    `prepare_images` takes), as an array (N, classes) in the model's class order, and the
    class names MediaPipe read from the file's metadata. ``size`` is the model's input
    (H, W): frames are given at that size, so that MediaPipe does not resize them."""
    from mediapipe.tasks.python import vision

    options = vision.ImageClassifierOptions(base_options=_options(path), max_results=-1)
    scores, names = [], {}
    with vision.ImageClassifier.create_from_options(options) as classifier:
        for frame in _rgb_frames(images, *size):
            categories = classifier.classify(_image(frame)).classifications[0].categories
            row = np.zeros(len(categories), np.float32)
            for category in categories:
                row[category.index] = category.score
                names[category.index] = category.category_name
            scores.append(row)
    return np.stack(scores), [names[i] for i in range(len(names))]


def segment(path, images, size):
    """MediaPipe ``ImageSegmenter``'s category masks (N, H, W) of class ids for
    ``images`` (raw 0..255 pixels) given at the model's input size ``size`` (H, W), and
    the labels MediaPipe read from the file's metadata."""
    from mediapipe.tasks.python import vision

    options = vision.ImageSegmenterOptions(base_options=_options(path),
                                           output_category_mask=True,
                                           output_confidence_masks=False)
    masks = []
    with vision.ImageSegmenter.create_from_options(options) as segmenter:
        labels = list(segmenter.labels)
        for frame in _rgb_frames(images, *size):
            result = segmenter.segment(_image(frame))
            masks.append(np.array(result.category_mask.numpy_view(), copy=True))
    return np.stack(masks).reshape(len(masks), *size), labels
