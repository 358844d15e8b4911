"""Raw images of any common form -> a float32 batch (N, H, W, C) of 0..255 pixels at a
model's input shape. NumPy and Pillow only (no TensorFlow), so `Predictor` stays light."""

import io
import os
import warnings

import numpy as np

MAX_IMAGE_PIXELS = 4096 * 4096  # one limit for `predict`, the Predictor and the app
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # of an encoded file

_LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # ITU-R 601, as PIL's convert("L")


class ImageRefused(ValueError):
    """An image file that will not be decoded. ``reason`` is one of ``"empty"``,
    ``"too_many_bytes"``, ``"too_many_pixels"``, ``"not_an_image"``; ``details`` holds the
    numbers the message quotes (``bytes``, ``width``, ``height``, ``limit``), so that a user
    interface can say the same thing in its own language."""

    def __init__(self, reason, message, **details):
        super().__init__(message)
        self.reason = reason
        self.details = details


def open_image(source, max_pixels=MAX_IMAGE_PIXELS, max_bytes=MAX_IMAGE_BYTES):
    """Opens and decodes an image file (a path, bytes, or a binary file object) with Pillow,
    refusing files over ``max_bytes`` and images over ``max_pixels`` *before* decoding them
    (a small PNG can declare 13,000 x 13,000 pixels and decode to gigabytes).

    Returns a loaded ``PIL.Image.Image``. Raises `ImageRefused` (a ValueError) with a one-line
    message.
    """
    from PIL import Image, UnidentifiedImageError

    name = source if isinstance(source, (str, os.PathLike)) else "the image"
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            raw = f.read(max_bytes + 1)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
    else:
        raw = source.read(max_bytes + 1)
    if not raw:
        raise ImageRefused("empty", f"{name} is empty", bytes=0, limit=max_bytes)
    if len(raw) > max_bytes:
        raise ImageRefused("too_many_bytes",
                           f"{name} is larger than the limit of {max_bytes:,} bytes",
                           bytes=len(raw), limit=max_bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))  # reads the header only
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRefused(
                    "too_many_pixels",
                    f"{name} is {width}x{height} = {width * height:,} pixels; the limit is "
                    f"{max_pixels:,} pixels", width=width, height=height, limit=max_pixels)
            image.load()
    except ImageRefused:
        raise
    except Image.DecompressionBombError:
        raise ImageRefused("too_many_pixels",
                           f"{name} has more than {max_pixels:,} pixels",
                           limit=max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
        raise ImageRefused("not_an_image",
                           f"{name} is not an image Pillow can read ({type(err).__name__})",
                           bytes=len(raw)) from None
    return image


def _is_pil(image):
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return False
    return isinstance(image, Image.Image)


def _pil_to_array(image):
    if image.mode not in ("L", "RGB", "RGBA", "F", "I"):
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    array = np.asarray(image)
    return array


def _as_numeric(array, what):
    try:
        array = np.asarray(array)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{what} cannot be read as an array of pixels: {err}") from None
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number) \
            or np.issubdtype(array.dtype, np.complexfloating):
        raise ValueError(
            f"{what} must hold numbers (uint8 or float pixels in 0..255). "
            f"Received dtype {array.dtype}"
        )
    if array.size == 0:
        raise ValueError(f"{what} is empty (shape {array.shape})")
    return array


def _split(images):
    """A list of single images (each HxW or HxWxC arrays) from any accepted input."""
    if _is_pil(images):
        return [_pil_to_array(images)]
    if isinstance(images, (list, tuple)) and images and (
            _is_pil(images[0]) or np.ndim(images[0]) >= 2):
        singles = []
        for i, image in enumerate(images):
            if _is_pil(image):
                singles.append(_pil_to_array(image))
                continue
            image = _as_numeric(image, f"image {i}")
            if image.ndim == 4 and image.shape[0] == 1:
                image = image[0]
            if image.ndim not in (2, 3):
                raise ValueError(
                    f"image {i} must be HxW or HxWxC (C = 1, 3 or 4). Received shape "
                    f"{image.shape}"
                )
            singles.append(image)
        return singles
    array = _as_numeric(images, "images")
    if array.ndim == 2:
        return [array]
    if array.ndim == 3:
        # HxWxC when the last axis is short enough to be channels (HxWx2 is then refused
        # as a 2-channel image), else a batch of HxW images
        return [array] if array.shape[-1] <= 4 else list(array)
    if array.ndim == 4:
        return list(array)
    raise ValueError(
        "images must be one image (HxW, HxWxC with C = 1, 3 or 4) or a batch (NxHxW, "
        f"NxHxWxC). Received shape {array.shape}"
    )


def _channels(image, channels, index):
    if image.ndim == 2:
        image = image[..., None]
    have = image.shape[-1]
    if have not in (1, 3, 4):
        raise ValueError(
            f"image {index} has {have} channels; expected 1 (gray), 3 (RGB) or 4 (RGBA). "
            f"Received shape {image.shape}"
        )
    if have == channels:
        return image
    if have == 4:  # RGBA: the alpha channel is dropped, as PIL's convert("RGB")
        image, have = image[..., :3], 3
        if channels == 3:
            return image
    if channels == 1:
        return (image @ _LUMA)[..., None] if have == 3 else image
    if channels == 3 and have == 1:
        return np.repeat(image, 3, axis=-1)
    if channels == 4:  # a model taking RGBA: opaque alpha
        rgb = image if have == 3 else np.repeat(image, 3, axis=-1)
        return np.concatenate([rgb, np.full(rgb.shape[:-1] + (1,), 255.0, np.float32)], -1)
    raise ValueError(f"cannot convert image {index} with {have} channels to {channels}")


def _resize(image, height, width):
    if image.shape[:2] == (height, width):
        return image
    from PIL import Image

    planes = [
        np.asarray(Image.fromarray(np.ascontiguousarray(image[..., c], np.float32))
                   .resize((width, height), Image.BILINEAR))
        for c in range(image.shape[-1])
    ]
    return np.stack(planes, axis=-1)


def prepare_images(images, input_shape):
    """Returns a float32 batch (N, H, W, C) of raw 0..255 pixels at ``input_shape``
    (H, W, C) from ``images``:

    - one image: HxW, HxWx1, HxWx3 (RGB), HxWx4 (RGBA, the alpha channel is dropped), or a
      PIL image;
    - a batch: an array NxHxW / NxHxWxC, or a list of images (sizes may differ);
    - uint8, or integer / float pixels in 0..255 (floats are not rescaled).

    Channels are converted (gray <-> RGB by ITU-R 601 luma) and sizes bilinearly resized
    to the model's input.

    Raises:
        ValueError: an empty, non-numeric, non-finite or badly shaped image.
    """
    height, width, channels = (int(d) for d in input_shape)
    out = []
    for i, image in enumerate(_split(images)):
        image = _as_numeric(image, f"image {i}").astype(np.float32)
        if not np.isfinite(image).all():
            raise ValueError(f"image {i} holds NaN or infinite values")
        image = _channels(image, channels, i)
        out.append(_resize(np.ascontiguousarray(image, np.float32), height, width))
    return np.stack(out).astype(np.float32)
