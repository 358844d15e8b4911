"""Optimizers and learning-rate schedules of the training recipes.

he2016: SGD, learning rate 0.1 per 128 images, momentum 0.9, L2 1e-4 on kernels, divided by
    10 at 50% and 75% of training (He et al. 2016, "Identity Mappings in Deep Residual
    Networks"). Keras applies weight decay outside the momentum buffer (decoupled); a
    decoupled decay of ``l2 / (1 - momentum)`` has the same steady-state effect as the L2
    penalty through momentum SGD, so that is what is set.
cosine: SGD with Nesterov momentum, linear warm-up then cosine decay to zero (Loshchilov &
    Hutter 2017; Goyal et al. 2017 for the warm-up).
adam: Adam at 1e-3 with cosine decay, no weight decay: quick runs.
"""

from keras_resnets.validation import check_choice

RECIPES = ("he2016", "cosine", "adam")
MOMENTUM = 0.9
_NO_DECAY = ["bias", "gamma", "beta"]


def base_learning_rate(recipe, batch_size):
    """The recipe's learning rate, scaled linearly with the batch (Goyal et al. 2017)."""
    check_choice("recipe", recipe, RECIPES)
    if recipe == "adam":
        return 1e-3
    return 0.1 * batch_size / 128


def make_optimizer(recipe, steps_per_epoch, epochs, batch_size, learning_rate=None,
                   weight_decay=None, warmup_epochs=0.0):
    """Returns the recipe's `keras.optimizers.Optimizer` with its schedule.

    ``weight_decay`` is the L2 coefficient on kernels (1e-4 for the SGD recipes by default,
    0 for adam).
    """
    import keras

    check_choice("recipe", recipe, RECIPES)
    lr = base_learning_rate(recipe, batch_size) if learning_rate is None else learning_rate
    total = max(1, steps_per_epoch * epochs)
    warmup = int(round(warmup_epochs * steps_per_epoch))
    if recipe == "he2016":
        boundaries = [max(1, int(total * 0.5)), max(2, int(total * 0.75))]
        schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
            boundaries, [lr, lr / 10, lr / 100])
    else:
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0 if warmup else lr, decay_steps=max(1, total - warmup), alpha=0.0,
            warmup_target=lr if warmup else None, warmup_steps=warmup)
    l2 = (1e-4 if recipe != "adam" else 0.0) if weight_decay is None else weight_decay
    if recipe == "adam":
        if l2:
            optimizer = keras.optimizers.AdamW(schedule, weight_decay=l2)
        else:
            optimizer = keras.optimizers.Adam(schedule)
    else:
        optimizer = keras.optimizers.SGD(
            schedule, momentum=MOMENTUM, nesterov=recipe == "cosine",
            weight_decay=l2 / (1 - MOMENTUM) if l2 else None)
    if l2:
        optimizer.exclude_from_weight_decay(var_names=_NO_DECAY)
    return optimizer
