"""Exports every model family (tests/test_lite_families.py's small configurations) to float32
and int8 TFLite for phones and writes docs/export_families.md: custom (Flex) ops, the
float32 file's largest difference from Keras, and the ops the XNNPACK delegate leaves to
LiteRT's own kernels.

    python scripts/export_families_report.py [--out docs/export_families.md]
"""

import argparse
import os
import sys
import tempfile

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "tests"))

from keras_resnets.tensorflow_flags import set_tensorflow_defaults  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "export_families.md"))
    args = parser.parse_args(argv)
    set_tensorflow_defaults()

    import keras_resnets
    from keras_resnets import artifacts, lite
    from keras_resnets.lite.runtime import custom_ops
    from test_lite_families import FAMILIES

    lines = ["# Every family exported for phones", "",
             "`python scripts/export_families_report.py` (small inputs and widths, 3 classes, "
             "random weights, 4 random images; int8 calibrated on them). Builtin ops only: no "
             "Flex (SELECT_TF_OPS) or custom op in any file.", "",
             "| family | input | custom ops | float32 max abs diff vs Keras | "
             "ops XNNPACK leaves to LiteRT, float32 | same, int8 |",
             "|---|---|---|---|---|---|"]
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        for family, (builder, options) in FAMILIES.items():
            build = (lambda **o: keras_resnets.build(builder, **o)) \
                if isinstance(builder, str) else builder
            model = build(classes=3, include_preprocessing=True, **options)
            images = rng.integers(0, 256, (4, *options["input_shape"]), dtype=np.uint8)
            row = {}
            for mode in ("none", "int8"):
                path = os.path.join(tmp, f"{mode}.tflite")
                lite.export_tflite(model, path, mode, representative_data=images)
                report = lite.verify_tflite(path, model, images, latency_runs=1, write=False)
                row[mode] = (custom_ops(path), report)
            custom = sorted(set(row["none"][0]) | set(row["int8"][0]))
            ops = [", ".join(row[m][1]["ops_not_delegated_xnnpack"]) or "none"
                   for m in ("none", "int8")]
            shape = "x".join(str(d) for d in options["input_shape"])
            lines.append(f"| {family} | {shape} | {', '.join(custom) or 'none'} | "
                         f"{row['none'][1]['max_abs_diff']:.1e} | {ops[0]} | {ops[1]} |")
            print(lines[-1], flush=True)
    artifacts.write_text(args.out, "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
