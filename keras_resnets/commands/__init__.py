"""Subcommands of the `keras-resnets` command line (see `keras_resnets.cli`): one module per
task with ``add_parser(subparsers)``, which sets ``func`` on its parser."""


class UsageError(Exception):
    """A bad argument or input: printed as one line, exit status 2."""
