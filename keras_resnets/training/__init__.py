"""Training with tf.distribute: `train(TrainConfig(...), run_dir)` and `evaluate`.

Each name imports its module on first use (`TrainConfig` and the recipe and strategy names
without Keras or TensorFlow)."""

from keras_resnets import _lazy

# The public names, by the module that defines them.
_LAZY = {
    "keras_resnets.training.config": ("TrainConfig",),
    "keras_resnets.training.errors": ("TrainingDiverged",),
    "keras_resnets.training.recipes": ("RECIPES",),
    "keras_resnets.training.evaluation": ("evaluate",),
    "keras_resnets.training.runner": ("ConfigMismatch", "summary_line", "train"),
    "keras_resnets.training.strategy": ("STRATEGIES", "resolve_strategy"),
}
__getattr__, __dir__, __all__ = _lazy.attach(__name__, _LAZY)
