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
