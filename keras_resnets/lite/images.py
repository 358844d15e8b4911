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
            check_pixels(name, *image.size, max_pixels=max_pixels)
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


_SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N")


def _pil_to_array(image):
    """(array, known_range) of a PIL image: 8-bit modes as they are, 16-bit gray scaled to
    0..255 (x 255 / 65535); 32-bit integer ("I") and float ("F") images keep their values,
    whose range is unknown (`_check_range` decides)."""
    if image.mode in _SIXTEEN_BIT_MODES:
        return np.asarray(image).astype(np.float32) * (255.0 / 65535.0), True
    if image.mode in ("I", "F"):
        return np.asarray(image), False
    if image.mode not in ("L", "RGB", "RGBA"):
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    return np.asarray(image), True


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


_FORMS = ("expected one image HxW or HxWxC (C = 1, 3 or 4, fewer than its height and "
          "width), a batch NxHxWxC, a batch NxHxW of gray images of the model's size "
          "{size}, or a list of images")


def _split(images, size):
    """A list of (single image HxW or HxWxC, known_range) from any accepted input;
    ``size`` is the model's (height, width), which tells a batch of gray images from one
    image. Shapes that could be either, or neither, are refused."""
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
            singles.append((image, False))
        return singles
    array = _as_numeric(images, "images")
    if array.ndim == 2:
        return [(array, False)]
    if array.ndim == 3:
        one_image = array.shape[-1] in (1, 3, 4) and array.shape[-1] < min(array.shape[:2])
        gray_batch = tuple(array.shape[1:]) == tuple(size)
        if one_image != gray_batch:
            return [(array, False)] if one_image else [(a, False) for a in array]
        what = "could be one image or a batch" if one_image else "is neither one image nor a batch"
        raise ValueError(f"an array of shape {array.shape} {what}: "
                         + _FORMS.format(size="x".join(map(str, size))))
    if array.ndim == 4:
        return [(a, False) for a in array]
    raise ValueError(f"an array of shape {array.shape} is not one image or a batch: "
                     + _FORMS.format(size="x".join(map(str, size))))


def _check_range(image, index):
    """Refuses pixels that are not in 0..255, and floats that all lie in 0..1 with
    fractions (pixels scaled to 0..1, which the model would read as a black image)."""
    low, high = float(image.min()), float(image.max())
    if low < 0 or high > 255:
        hint = " (a 16-bit image? divide by 257)" if high <= 65535 and low >= 0 else ""
        raise ValueError(f"image {index} has values in {low:g}..{high:g}; expected pixels in "
                         f"0..255{hint}")
    if np.issubdtype(image.dtype, np.floating) and high <= 1 and \
            not np.array_equal(image, np.round(image)):
        raise ValueError(f"image {index} has float values in {low:g}..{high:g}, pixels scaled "
                         f"to 0..1; expected pixels in 0..255 (multiply by 255)")


def check_pixels(name, width, height, max_pixels=MAX_IMAGE_PIXELS):
    """Raises `ImageRefused` ("too_many_pixels") when a ``width`` x ``height`` image is over
    ``max_pixels``: the one limit of `open_image`, `predict` and the Predictor."""
    if width * height > max_pixels:
        raise ImageRefused(
            "too_many_pixels",
            f"{name} is {width}x{height} = {width * height:,} pixels; the limit is "
            f"{max_pixels:,} pixels", width=width, height=height, limit=max_pixels)


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


def prepare_images(images, input_shape, max_pixels=MAX_IMAGE_PIXELS):
    """Returns a float32 batch (N, H, W, C) of raw 0..255 pixels at ``input_shape``
    (H, W, C) from ``images``:

    - one image: HxW, HxWxC with C = 1 (gray), 3 (RGB) or 4 (RGBA, the alpha channel is
      dropped) and C smaller than its height and width, or a PIL image;
    - a batch: an array NxHxWxC, an array NxHxW of gray images of the model's size, or a
      list of images (sizes may differ);
    - pixels in 0..255: uint8, or integers / floats in that range (floats are not
      rescaled; floats that all lie in 0..1 are refused as pixels scaled to 0..1). PIL
      images of 16 bits a pixel are scaled from 0..65535.

    Channels are converted (gray <-> RGB by ITU-R 601 luma) and sizes bilinearly resized
    to the model's input.

    Args:
        max_pixels: the largest image (height x width) accepted.

    Raises:
        ValueError: an empty, non-numeric, non-finite, out-of-range or badly shaped image,
            or a shape that could be one image or a batch; `ImageRefused` (a ValueError)
            for an image over ``max_pixels``.
    """
    height, width, channels = (int(d) for d in input_shape)
    out = []
    for i, (image, known_range) in enumerate(_split(images, (height, width))):
        image = _as_numeric(image, f"image {i}")
        if image.ndim >= 2:
            check_pixels(f"image {i}", image.shape[1], image.shape[0], max_pixels)
        if np.issubdtype(image.dtype, np.floating) and not np.isfinite(image).all():
            raise ValueError(f"image {i} holds NaN or infinite values")
        if not known_range:
            _check_range(image, i)
        image = _channels(image.astype(np.float32), channels, i)
        out.append(_resize(np.ascontiguousarray(image, np.float32), height, width))
    return np.stack(out).astype(np.float32)
