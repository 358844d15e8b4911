"""Training with tf.distribute: `train(TrainConfig(...), run_dir)` and `evaluate`."""

from keras_resnets.training.callbacks import TrainingDiverged
from keras_resnets.training.config import RECIPES, STRATEGIES, TrainConfig
from keras_resnets.training.evaluation import evaluate
from keras_resnets.training.runner import ConfigMismatch, summary_line, train
from keras_resnets.training.strategy import resolve_strategy
