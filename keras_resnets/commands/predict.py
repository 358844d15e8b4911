"""`keras-resnets predict`: run a .tflite model on image files and print the top classes
(or, for a segmentation model, the share of each class in the mask)."""

import os

from keras_resnets.commands import UsageError


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "predict", help="classify image files with a .tflite model",
        description="Runs MODEL.tflite on each IMAGE (PNG, JPEG, ... or .npy) and prints its "
                    "top classes; class names come from <model>.labels.txt / <model>.json.")
    parser.add_argument("model", metavar="MODEL.tflite")
    parser.add_argument("images", metavar="IMAGE", nargs="+")
    parser.add_argument("--top", type=int, default=3, help="classes to print (default: 3)")
    parser.add_argument("--threads", type=int, default=1, help="interpreter threads")
    parser.add_argument("--no-verify", action="store_false", dest="verify",
                        help="use MODEL even when it differs from the SHA-256 its sidecar "
                             "<model>.json records (a file changed on purpose)")
    parser.set_defaults(func=run)


def load_image(path):
    """A numpy array (.npy) or PIL image (any format Pillow reads) from ``path``; images
    over `MAX_IMAGE_PIXELS` are refused before they are decoded (or, for .npy, read)."""
    import numpy as np

    from keras_resnets.lite.images import (
        MAX_IMAGE_PIXELS,
        ImageRefused,
        check_pixels,
        open_image,
    )

    if not os.path.isfile(path):
        raise FileNotFoundError(f"image file not found: {path}")
    if not path.endswith(".npy"):
        return open_image(path)
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)  # reads the header only
    except (ValueError, OSError) as err:
        raise ValueError(f"{path}: cannot read the .npy array ({err})") from None
    if array.ndim in (2, 3, 4):
        height, width = array.shape[1:3] if array.ndim == 4 else array.shape[:2]
        check_pixels(path, int(width), int(height))
    if array.size > 4 * MAX_IMAGE_PIXELS:  # a batch of many images
        raise ImageRefused("too_many_pixels", f"{path} holds {array.size:,} values; the limit "
                           f"is {4 * MAX_IMAGE_PIXELS:,} (one RGBA image of "
                           f"{MAX_IMAGE_PIXELS:,} pixels)", limit=4 * MAX_IMAGE_PIXELS)
    return np.array(array)


def run(args):
    from keras_resnets.lite import Predictor

    if args.top < 1:
        raise UsageError(f"--top must be >= 1. Received: {args.top}")
    predictor = Predictor(args.model, threads=args.threads, verify=args.verify)
    for path in args.images:
        image = load_image(path)
        try:
            if predictor.task == "classification":
                (top,) = predictor.top_k(image, args.top)
                text = ", ".join(f"{name} {p:.3f}" for name, p in top)
            else:
                (mask,) = predictor.predict(image)
                counts = [(int((mask == c).sum()), c) for c in range(predictor.num_classes)]
                counts = sorted((n, c) for n, c in counts if n)[::-1][:args.top]
                text = "mask {}x{}: ".format(*mask.shape) + ", ".join(
                    f"{predictor.class_names[c]} {100 * n / mask.size:.1f}%" for n, c in counts)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None
        print(f"{path}: {text}")
    return 0
