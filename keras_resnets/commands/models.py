"""`keras-resnets models`: the table of registered models."""


def add_parser(subparsers):
    parser = subparsers.add_parser("models", help="list the registered models")
    parser.add_argument("--input-shape", default=None,
                        help="H,W,C to build each model at (default: the model's own)")
    parser.set_defaults(func=run)


def run(args):
    import keras_resnets

    for name in keras_resnets.list_models():
        print(name)
