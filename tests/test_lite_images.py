"""keras_resnets.lite.images: opening image files within limits, preparing model inputs."""

import io

import numpy as np
import pytest
from PIL import Image

from keras_resnets.lite.images import ImageRefused, open_image


def png(array, mode=None):
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, format="PNG")
    return buffer.getvalue()


def test_open_image_from_bytes_path_and_file(tmp_path):
    raw = png(np.full((10, 12), 7, np.uint8))
    path = tmp_path / "a.png"
    path.write_bytes(raw)
    for source in (raw, str(path), path, io.BytesIO(raw)):
        image = open_image(source)
        assert image.size == (12, 10)
        assert np.asarray(image).max() == 7


def test_pixel_limit_is_checked_before_decoding():
    # 13,000 x 13,000 zeros compress to a few kB; decoding them would take 169 MB
    huge = png(np.zeros((13_000, 13_000), np.uint8))
    assert len(huge) < 200_000
    with pytest.raises(ImageRefused) as err:
        open_image(huge)
    assert err.value.reason == "too_many_pixels"
    assert err.value.details == {"width": 13_000, "height": 13_000, "limit": 4096 * 4096}
    assert "13000x13000" in str(err.value) and "16,777,216" in str(err.value)


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty"),
    (b"GIF89a garbage", "not_an_image"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "not_an_image"),
    (b"x" * 101, "too_many_bytes"),
])
def test_refusals_name_a_reason(raw, reason):
    with pytest.raises(ImageRefused) as err:
        open_image(raw, max_bytes=100)
    assert err.value.reason == reason
    assert "\n" not in str(err.value)


# --- prepare_images: ranges, layouts, 16-bit, the pixel limit --------------------------------

from keras_resnets.lite.images import prepare_images  # noqa: E402


def test_16_bit_images_are_scaled_not_clipped():
    gray = np.arange(28 * 28, dtype=np.uint16).reshape(28, 28) * 80  # up to 62,640
    image = open_image(png(gray))
    assert image.mode.startswith("I;16")
    np.testing.assert_allclose(prepare_images(image, (28, 28, 1))[0, ..., 0],
                               gray * 255.0 / 65535.0, rtol=1e-5)


@pytest.mark.parametrize("array, message", [
    (np.full((28, 28), 1e30, np.float32),
     r"values in 1e\+30\.\.1e\+30; expected pixels in 0\.\.255"),
    (np.full((28, 28), -1.0), r"expected pixels in 0\.\.255"),
    (np.linspace(0, 1, 784).reshape(28, 28), r"scaled to 0\.\.1.*multiply by 255"),
    (np.full((28, 28), 65535, np.uint16), r"0\.\.255 \(a 16-bit image\? divide by 257\)"),
    (np.zeros((28, 28, 5)), r"\(28, 28, 5\) is neither one image nor a batch"),
    (np.zeros((3, 4, 4)), r"\(3, 4, 4\) is neither one image nor a batch"),
    (np.zeros((4, 28, 28)).transpose(1, 2, 0)[:4], r"\(4, 28, 4\) is neither"),
])
def test_refusals_say_what_was_expected(array, message):
    with pytest.raises(ValueError, match=message) as err:
        prepare_images(array, (28, 28, 1))
    assert "\n" not in str(err.value)


def test_a_shape_that_could_be_either_is_refused():
    # (28, 28, 3): one RGB image, or three 28-pixel-wide gray rows of a 28x3 model? For a
    # model taking 28x3 images both readings fit.
    with pytest.raises(ValueError, match=r"could be one image or a batch"):
        prepare_images(np.zeros((28, 28, 3)), (28, 3, 1))
    assert prepare_images(np.zeros((28, 28, 3)), (28, 28, 1)).shape == (1, 28, 28, 1)
    assert prepare_images(np.zeros((5, 28, 28)), (28, 28, 1)).shape == (5, 28, 28, 1)
    # 0/1 float masks and all-black float images are pixels, not 0..1-scaled values
    assert prepare_images(np.eye(28), (28, 28, 1)).max() == 1.0


def test_pixel_limit_applies_to_arrays():
    with pytest.raises(ImageRefused, match=r"image 0 is 40x30 = 1,200 pixels; the limit is "
                                           r"1,000 pixels") as err:
        prepare_images(np.zeros((30, 40), np.uint8), (28, 28, 1), max_pixels=1000)
    assert err.value.reason == "too_many_pixels"
