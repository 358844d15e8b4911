"""`keras-resnets predict`: run a .tflite model on image files and print the top classes
(or, for a segmentation model, the share of each class in the mask)."""

import os


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "predict", help="classify image files with a .tflite model",
        description="Runs MODEL.tflite on each IMAGE (PNG, JPEG, ... or .npy) and prints its "
                    "top classes; class names come from <model>.labels.txt / <model>.json.")
    parser.add_argument("model", metavar="MODEL.tflite")
    parser.add_argument("images", metavar="IMAGE", nargs="+")
    parser.add_argument("--top", type=int, default=3, help="classes to print (default: 3)")
    parser.add_argument("--threads", type=int, default=1, help="interpreter threads")
    parser.set_defaults(func=run)


def load_image(path):
    """A numpy array (.npy) or PIL image (any format Pillow reads) from ``path``."""
    import numpy as np
    from PIL import Image

    if not os.path.isfile(path):
        raise FileNotFoundError(f"image file not found: {path}")
    if path.endswith(".npy"):
        try:
            return np.load(path, allow_pickle=False)
        except (ValueError, OSError) as err:
            raise ValueError(f"{path}: cannot read the .npy array ({err})") from None
    try:
        with Image.open(path) as image:
            image.load()
            return image.copy()
    except (OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ValueError(f"{path}: not an image file Pillow can read ({err})") from None


def run(args):
    from keras_resnets.cli import UsageError
    from keras_resnets.lite import Predictor

    if args.top < 1:
        raise UsageError(f"--top must be >= 1. Received: {args.top}")
    predictor = Predictor(args.model, threads=args.threads)
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
