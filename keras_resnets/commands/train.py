"""`keras-resnets train` and `keras-resnets evaluate`."""

import json
import os

from keras_resnets.data import list_datasets
from keras_resnets.training.recipes import RECIPES
from keras_resnets.training.strategy import STRATEGIES


def add_parser(subparsers):
    p = subparsers.add_parser(
        "train", help="train a model of the registry on a dataset",
        description="Train MODEL on DATASET into a run directory. Running the same command "
                    "again after an interruption resumes from the last finished epoch.")
    p.add_argument("model", help="a name from `keras-resnets models`")
    p.add_argument("--dataset", default="fashion_mnist", choices=list_datasets())
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128, help="global batch size")
    p.add_argument("--out", required=True,
                   help="run directory: new, empty, or a run of this command (then it "
                        "resumes); it is locked while the run lasts")
    p.add_argument("--allow-existing", action="store_true",
                   help="train into an existing non-empty folder that is not a run (refused "
                        "if it holds a file the run writes)")
    p.add_argument("--recipe", default="he2016", choices=RECIPES, help=" | ".join(RECIPES))
    p.add_argument("--lr", type=float, default=None, dest="learning_rate",
                   help="learning rate (default: the recipe's, scaled with the batch)")
    p.add_argument("--weight-decay", type=float, default=None, help="L2 on kernels")
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--warmup-epochs", type=float, default=0.0)
    p.add_argument("--no-augment", action="store_false", dest="augment")
    p.add_argument("--validation-split", type=float, default=0.1)
    p.add_argument("--test-every-epoch", action="store_true",
                   help="evaluate on the test set after every epoch, for learning curves "
                        "(recorded in history as test_*; never used for choices)")
    p.add_argument("--limit-train", type=int, default=None)
    p.add_argument("--limit-test", type=int, default=None)
    p.add_argument("--strategy", default="auto", choices=STRATEGIES, help=" | ".join(STRATEGIES))
    p.add_argument("--sync-batchnorm", action="store_true")
    p.add_argument("--mixed-precision", action="store_true")
    p.add_argument("--xla", action="store_true", dest="jit_compile")
    p.add_argument("--no-fused-batchnorm", action="store_false", dest="fused_batchnorm",
                   help="use Keras' own BatchNormalization kernel (slower on TensorFlow)")
    p.add_argument("--steps-per-execution", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--deterministic", action="store_true")
    p.add_argument("--data-dir", default=None)
    p.add_argument("--model-options", default="{}",
                   help='JSON of builder overrides, e.g. \'{"zero_init_last": true}\'')
    p.add_argument("--dataset-options", default="{}",
                   help='JSON of options of a generated dataset, e.g. '
                        '\'{"train_images": 24000}\' for fashion_scenes')
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=run_train)

    e = subparsers.add_parser("evaluate", help="test metrics of a run directory or .keras file")
    e.add_argument("model", help="run directory or .keras file")
    e.add_argument("--dataset", default="fashion_mnist", choices=list_datasets())
    e.add_argument("--data-dir", default=None)
    e.add_argument("--limit", type=int, default=None)
    e.set_defaults(func=run_evaluate)


def run_train(args):
    from keras_resnets.training import TrainConfig, train

    options = {}
    for flag in ("model_options", "dataset_options"):
        try:
            options[flag] = json.loads(getattr(args, flag))
        except json.JSONDecodeError as err:
            raise ValueError(f"--{flag.replace('_', '-')} is not valid JSON: {err}") from err
    fields = {k: v for k, v in vars(args).items()
              if k not in ("func", "command", "out", "quiet", "allow_existing", *options)}
    config = TrainConfig(**options, **fields)
    train(config, os.path.abspath(args.out), verbose=0 if args.quiet else (1 if _tty() else 2),
          allow_existing=args.allow_existing)


def run_evaluate(args):
    from keras_resnets.training import evaluate

    result = evaluate(args.model, args.dataset, data_dir=args.data_dir, limit=args.limit)
    print(json.dumps(result, indent=2))


def _tty():
    import sys

    return sys.stdout.isatty()
