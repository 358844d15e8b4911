"""Probes of what a (residual or plain) network does at initialization and after training.

    from keras_resnets import probes
    stats = probes.activation_stats(model, images)      # variance of each block's output
    probes.variance_growth_fit(stats)["ratio"]          # ~2 per residual block, no BN
    probes.gradient_norms(model, images, labels)        # ||dLoss/dW|| per weight layer
    probes.shattered_gradients(model)                   # Balduzzi et al. 2017
    probes.count_paths(model)                           # 2^n (Veit et al. 2016)
    probes.lesion_study(model, images, labels)          # accuracy without each block

Modules: `activations`, `gradients`, `shattered`, `paths`, `lesion`. The gradient probes
need the TensorFlow backend; the model builders themselves do not.
"""

from keras_resnets.probes.activations import activation_stats, variance_growth_fit
from keras_resnets.probes.gradients import gradient_norms, kernel_layers
from keras_resnets.probes.lesion import lesion, lesion_study, lesionable, lesioned_model
from keras_resnets.probes.paths import (
    block_names,
    count_paths,
    path_length_distribution,
    residual_block_names,
)
from keras_resnets.probes.shattered import (
    autocorrelation,
    shattered_gradients,
    shattering_vs_depth,
)

__all__ = [
    "activation_stats",
    "autocorrelation",
    "block_names",
    "count_paths",
    "gradient_norms",
    "kernel_layers",
    "lesion",
    "lesion_study",
    "lesionable",
    "lesioned_model",
    "path_length_distribution",
    "residual_block_names",
    "shattered_gradients",
    "shattering_vs_depth",
    "variance_growth_fit",
]
