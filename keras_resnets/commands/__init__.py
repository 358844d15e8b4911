"""Subcommands of the `keras-resnets` command line (see `keras_resnets.cli`)."""
