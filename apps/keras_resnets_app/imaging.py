"""Images in and out of the app: an upload decoded to a Fashion-MNIST-like input, enlarged
pictures and coloured masks for display."""

from keras_resnets_app.formatting import file_size, integer
from keras_resnets_app.language import t


class ImageRefused(ValueError):
    """An upload the app will not decode; the message says why, in the chosen language."""


def refusal_message(err):
    """A `keras_resnets.lite.images.ImageRefused` in the chosen language."""
    d = err.details
    if err.reason == "empty":
        return t("imaging.empty")
    if err.reason == "too_many_bytes":
        return t("imaging.too_many_bytes", limit=file_size(d['limit']))
    if err.reason == "too_many_pixels":
        size = f"{d['width']}×{d['height']} " if "width" in d else ""
        return t("imaging.too_many_pixels", size=size, limit=integer(d['limit']))
    return t("imaging.not_an_image")


def decode_image(raw, max_bytes=None, max_pixels=None):
    """Decodes an uploaded file to a grayscale uint8 array (H, W), the way Fashion-MNIST
    images were made: transparent parts become white background, colours become luma.

    Returns ``(array, description)``. Raises ImageRefused for files too large, that are not
    images, or whose pixel count is over the limit (checked before decoding); the limits
    default to the library's (`keras_resnets.lite.images`), shared with ``predict``.
    """
    import numpy as np
    from PIL import Image

    from keras_resnets.lite import images

    try:
        image = images.open_image(raw, max_pixels=max_pixels or images.MAX_IMAGE_PIXELS,
                                  max_bytes=max_bytes or images.MAX_IMAGE_BYTES)
    except images.ImageRefused as err:
        raise ImageRefused(refusal_message(err)) from None
    width, height = image.size
    mode = image.mode
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    if image.mode in ("I", "I;16", "F"):
        array = np.asarray(image, dtype=np.float64)
        span = array.max() - array.min()
        array = (array - array.min()) / (span if span else 1.0) * 255.0
        gray = array.astype(np.uint8)
    else:
        gray = np.asarray(image.convert("L"), dtype=np.uint8)
    return gray, f"{mode}, {width}×{height}"


def to_model_input(gray, size=28, invert="auto"):
    """A grayscale image -> uint8 (size, size, 1) like Fashion-MNIST (bright item on black):
    resized keeping the aspect ratio, and inverted when its border is light (``"auto"``)."""
    import numpy as np
    from PIL import Image

    gray = np.asarray(gray, dtype=np.uint8)
    if invert == "auto":
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        invert = border.mean() > 127
    if invert:
        gray = 255 - gray
    h, w = gray.shape
    side = max(h, w)
    canvas = np.zeros((side, side), np.uint8)
    canvas[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = gray
    small = Image.fromarray(canvas).resize((size, size), Image.LANCZOS)
    return np.asarray(small, np.uint8)[..., None]


def enlarge(image, scale=6):
    """Nearest-neighbour upscaling for display (uint8 (H, W[, C]))."""
    import numpy as np

    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    return np.kron(image, np.ones((scale, scale) + (1,) * (image.ndim - 2), image.dtype))


PALETTE = (  # class 0 background black, then 10 distinct colours
    (0, 0, 0), (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
    (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212),
)


def colorize(mask):
    import numpy as np

    palette = np.array(PALETTE, np.uint8)
    return palette[np.clip(np.asarray(mask, int), 0, len(palette) - 1)]
