"""The `keras-resnets` command line: one subcommand per task, each defined next to the code
it drives (a module with ``add_parser(subparsers)`` that sets ``func`` on its parser)."""

import argparse
import importlib
import os
import sys

from keras_resnets.commands import UsageError
from keras_resnets.data import DatasetUnavailable
from keras_resnets.tensorflow_flags import set_tensorflow_defaults
from keras_resnets.training.errors import TrainingDiverged

__all__ = ["ArgumentParser", "UsageError", "main", "make_parser"]

COMMAND_MODULES = (
    "keras_resnets.commands.models",
    "keras_resnets.commands.train",
    "keras_resnets.commands.experiment",
    "keras_resnets.commands.export",
    "keras_resnets.commands.predict",
)


class ArgumentParser(argparse.ArgumentParser):
    """Reports a bad or missing argument as `main` reports every other error: one line
    (``keras-resnets COMMAND: error: ...``), exit status 2, instead of the usage and a
    `SystemExit`. Subcommand parsers are of the same class."""

    def error(self, message):
        raise UsageError(f"{self.prog}: error: {' '.join(message.split())}")


def make_parser():
    parser = ArgumentParser(
        prog="keras-resnets",
        description="Build, train, study and deploy residual networks with Keras 3.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv=None):
    # before anything imports TensorFlow: quiet C++ logs, the library's defaults
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    set_tensorflow_defaults()
    try:
        args = make_parser().parse_args(argv)
    except UsageError as err:
        print(err, file=sys.stderr)
        return 2
    try:
        return args.func(args) or 0
    except (UsageError, ValueError, TypeError, DatasetUnavailable, TrainingDiverged) as err:
        message = str(err)
    except KeyboardInterrupt:
        print(f"keras-resnets {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as err:  # a missing file, a read-only folder, a full disk, ...
        message = f"{err.filename}: {err.strerror}" if err.filename and err.strerror \
            else str(err)
    message = " ".join(message.split()) or type(err).__name__  # one line, whatever it held
    print(f"keras-resnets {args.command}: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
