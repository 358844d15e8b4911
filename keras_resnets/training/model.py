"""Model preparation of a training run: the configured registry model (or the backup it
resumes from), compiled with the recipe's optimizer, and the model that is trained."""

import dataclasses

import keras

from keras_resnets import artifacts
from keras_resnets.registry import build
from keras_resnets.training.batchnorm import fused_training_model, synchronized_batchnorm
from keras_resnets.training.recipes import make_optimizer


@dataclasses.dataclass
class TrainingModels:
    """``model`` is what a run saves, reports and evaluates at its end: plain Keras layers,
    compiled with the optimizer whose state the backups keep. ``training_model`` is what
    ``fit`` trains: ``model`` itself, or a view of it sharing every variable and the
    optimizer, with TensorFlow's fused BatchNorm kernel (`fused_training_model`)."""

    model: keras.Model
    training_model: keras.Model


def precision_policy(config):
    """The Keras dtype policy of ``config``: with ``mixed_precision``, float16 compute on
    GPUs and bfloat16 elsewhere (Micikevicius et al. 2018); float32 otherwise."""
    if not config.mixed_precision:
        return "float32"
    import tensorflow as tf

    return "mixed_float16" if tf.config.list_logical_devices("GPU") else "mixed_bfloat16"


def build_model(config, info):
    """The configured model, taking raw pixels (in-model rescaling)."""
    options = dict(input_shape=info.image_shape, classes=info.num_classes,
                   include_preprocessing=True)
    options.update(config.model_options)
    model = build(config.model, **options)
    if config.sync_batchnorm:
        model = synchronized_batchnorm(model)
    return model


def compile_model(model, config, info, steps_per_epoch=None, optimizer=None):
    """Compiles ``model`` for ``info``'s task with the recipe's loss and metrics, and
    ``optimizer`` or, by default, a new optimizer of the recipe scheduled over
    ``steps_per_epoch`` steps per epoch. Returns the model."""
    if optimizer is None:
        if steps_per_epoch is None:
            raise ValueError("compile_model needs `steps_per_epoch` to schedule a new optimizer")
        optimizer = make_optimizer(config.recipe, steps_per_epoch, config.epochs,
                                   config.batch_size, config.learning_rate,
                                   config.weight_decay, config.warmup_epochs)
    if info.task == "segmentation":
        loss = keras.losses.SparseCategoricalCrossentropy()
        metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
                   keras.metrics.MeanIoU(info.num_classes, sparse_y_pred=False, name="mean_iou")]
    elif config.label_smoothing:
        loss = keras.losses.CategoricalCrossentropy(label_smoothing=config.label_smoothing)
        metrics = [keras.metrics.CategoricalAccuracy(name="accuracy")]
    else:
        loss = keras.losses.SparseCategoricalCrossentropy()
        metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics,
                  jit_compile=config.jit_compile,
                  steps_per_execution=config.steps_per_execution)
    return model


def prepare_model(config, info, strategy, steps_per_epoch, resume_from=None):
    """`TrainingModels` of ``config`` under ``strategy``: a new compiled model, or the one
    saved (with its optimizer state) in the backup file ``resume_from``; with
    ``config.fused_batchnorm``, trained through `fused_training_model`.

    Sets the global dtype policy of ``config`` (`precision_policy`) when it asks for
    mixed precision."""
    if config.mixed_precision:
        keras.mixed_precision.set_global_policy(precision_policy(config))
    with strategy.scope():
        if resume_from:
            model = artifacts.load_model(resume_from)
        else:
            model = compile_model(build_model(config, info), config, info, steps_per_epoch)
        if not model.optimizer.built:
            # The optimizer's slots follow this model's variable order, the order a
            # loaded backup restores them in.
            model.optimizer.build(model.trainable_variables)
        training_model = fused_training_model(model) if config.fused_batchnorm else model
        if training_model is not model:
            compile_model(training_model, config, info, optimizer=model.optimizer)
    return TrainingModels(model, training_model)


__all__ = ["TrainingModels", "precision_policy", "build_model", "compile_model",
           "prepare_model"]
