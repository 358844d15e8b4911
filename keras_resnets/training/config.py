"""The full configuration of a training run: validated up front, saved with the run, and
read back to resume or reproduce it."""

import dataclasses
import json

from keras_resnets.training.recipes import RECIPES
from keras_resnets.training.strategy import STRATEGIES
from keras_resnets.validation import check_bool, check_choice, check_float, check_int


@dataclasses.dataclass
class TrainConfig:
    """Everything that defines a run. See `keras-resnets train --help` for each field."""

    model: str
    dataset: str = "fashion_mnist"
    epochs: int = 10
    batch_size: int = 128
    recipe: str = "he2016"
    learning_rate: float = None  # None: the recipe's own
    weight_decay: float = None  # L2 coefficient on kernels; None: the recipe's own
    label_smoothing: float = 0.0
    warmup_epochs: float = 0.0
    augment: bool = True
    validation_split: float = 0.1
    test_every_epoch: bool = False  # learning curves (He et al. 2015, fig. 6); never for choices
    limit_train: int = None
    limit_test: int = None
    strategy: str = "auto"
    sync_batchnorm: bool = False
    mixed_precision: bool = False
    jit_compile: bool = False
    fused_batchnorm: bool = True
    steps_per_execution: int = 1
    seed: int = 0
    deterministic: bool = False
    data_dir: str = None
    model_options: dict = dataclasses.field(default_factory=dict)
    dataset_options: dict = dataclasses.field(default_factory=dict)  # generated datasets only

    def __post_init__(self):
        from keras_resnets.data import list_datasets
        from keras_resnets.registry import list_models

        if not isinstance(self.model, str) or self.model not in list_models():
            from keras_resnets.registry import build

            build(str(self.model))  # raises with suggestions
        check_choice("dataset", self.dataset, tuple(list_datasets()))
        check_int("epochs", self.epochs, minimum=1)
        check_int("batch_size", self.batch_size, minimum=1)
        check_choice("recipe", self.recipe, RECIPES)
        if self.learning_rate is not None:
            check_float("learning_rate", self.learning_rate, low=0.0, high=10.0, low_open=True)
        if self.weight_decay is not None:
            check_float("weight_decay", self.weight_decay, low=0.0, high=1.0)
        check_float("label_smoothing", self.label_smoothing, low=0.0, high=0.5)
        check_float("warmup_epochs", self.warmup_epochs, low=0.0, high=float(self.epochs))
        check_bool("augment", self.augment)
        check_float("validation_split", self.validation_split, low=0.0, high=0.5)
        for field in ("limit_train", "limit_test"):
            if getattr(self, field) is not None:
                check_int(field, getattr(self, field), minimum=1)
        check_choice("strategy", self.strategy, STRATEGIES)
        for field in ("sync_batchnorm", "mixed_precision", "jit_compile", "fused_batchnorm",
                      "deterministic", "test_every_epoch"):
            check_bool(field, getattr(self, field))
        check_int("steps_per_execution", self.steps_per_execution, minimum=1)
        check_int("seed", self.seed, minimum=0)
        if not isinstance(self.model_options, dict):
            raise TypeError(f"`model_options` must be a dict. Received: {self.model_options!r}")
        from keras_resnets.data.datasets import check_dataset_options

        self.dataset_options = check_dataset_options(self.dataset, self.dataset_options)

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise TypeError(f"A training config must be a JSON object. Received: {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"Unknown training config keys: {', '.join(unknown)}")
        return cls(**data)

    @classmethod
    def load(cls, path):
        try:
            with open(path) as f:
                data = json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: not valid JSON ({err})") from err
        return cls.from_dict(data)
