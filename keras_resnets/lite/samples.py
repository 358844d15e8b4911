"""Images and labels for int8 calibration and verification, from `keras_resnets.data`."""


def load_samples(name, split, limit=None):
    """``(images uint8 (N, H, W, C), targets, class_names)`` of dataset ``name``; a dataset
    that cannot be had here is a ValueError with the data module's explanation."""
    from keras_resnets import data

    try:
        images, targets = data.load_arrays(name, split, limit=limit)
    except data.DatasetUnavailable as err:
        raise ValueError(str(err)) from None
    return images, targets, tuple(data.dataset_info(name).class_names)
