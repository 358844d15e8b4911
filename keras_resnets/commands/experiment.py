"""`keras-resnets experiment NAME`: run one of the residual-science experiments."""

import json

from keras_resnets.experiments.registry import EXPERIMENTS


def add_parser(subparsers):
    p = subparsers.add_parser(
        "experiment", help=f"run an experiment ({', '.join(EXPERIMENTS)})",
        description="Runs an experiment and writes results.json and PNG plots to --out. "
                    "Re-running resumes the training runs it holds.")
    p.add_argument("name", choices=EXPERIMENTS, metavar="NAME", help=" | ".join(EXPERIMENTS))
    p.add_argument("--out", required=True)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override an option, value as JSON (e.g. --set depths=[8,20] "
                        "--set epochs=1)")
    p.add_argument("--data-dir", default=None)
    p.set_defaults(func=run)


def run(args):
    from keras_resnets.experiments import run_experiment

    options = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--set takes KEY=VALUE. Received: {item!r}")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    try:
        results = run_experiment(args.name, args.out, data_dir=args.data_dir, **options)
    except TypeError as err:
        raise ValueError(f"experiment {args.name!r}: bad option ({err})") from err
    shown = {k: v for k, v in results.items() if k in ("effect", "baseline", "wall_seconds")}
    print(json.dumps(shown, indent=2))
