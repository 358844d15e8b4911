"""Experiments that show what the lecture notes claim, measured on real data. Each writes
``results.json`` (with the exact command and wall time) and PNG plots into its directory.

    degradation  plain vs residual CIFAR-style networks at several depths, one budget
    lesion       accuracy after removing one block at a time (trained ResNet-56 / Plain-56)
    unet_skips   U-Net with and without skip connections on fashion_scenes (mean IoU)
    deep         a ~1000-layer pre-activation ResNet with BatchNorm vs its bare plain twin
"""

from keras_resnets.experiments.registry import EXPERIMENTS, run_experiment
