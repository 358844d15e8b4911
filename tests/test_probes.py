"""Probes of keras_resnets.probes on tiny networks (16x16 inputs, random weights, fixed
seeds). Tolerances come from measurements over seeds 0-3 (see each test)."""

import math

import keras
import numpy as np
import pytest

import keras_resnets
from keras_resnets import probes
from keras_resnets.resnet import ResNet

SHAPE = (16, 16, 1)


def images(n=32, seed=0):
    return np.random.default_rng(seed).normal(size=(n, *SHAPE)).astype("float32")


def labels(n=32):
    return np.arange(n) % 10


def one_stage(n_blocks, seed, **options):
    """One stage of ``n_blocks`` pre-activation basic blocks of 16 filters at 16x16: no
    width changes, no downsampling, so every block sees the same conditions."""
    keras.utils.set_random_seed(seed)
    return ResNet((n_blocks,), block="basic", stage_filters=(16,), stem="cifar",
                  stem_filters=16, preact=True, input_shape=SHAPE, classes=10, **options)


def cifar(depth=14, seed=0, **options):
    keras.utils.set_random_seed(seed)
    return keras_resnets.CifarResNet(depth=depth, input_shape=SHAPE, **options)


def mean_ratio(seeds, **options):
    return float(np.mean([
        probes.variance_growth_fit(probes.activation_stats(one_stage(8, s, **options),
                                                           images()))["ratio"]
        for s in seeds]))


# --- activation statistics ----------------------------------------------------------------

def test_activation_stats_rows_and_state_untouched():
    model = cifar(14, norm="batch", preact=True)
    before = [v.numpy().copy() for v in model.non_trainable_variables]
    stats = probes.activation_stats(model, images())
    assert [s["block"] for s in stats] == list(range(7))  # stem output + 6 blocks
    assert stats[0]["layer"] == "conv1_conv"
    assert stats[1]["layer"] == "conv2_block1_out" and stats[-1]["layer"] == "conv4_block2_out"
    assert all(s["variance"] > 0 for s in stats)
    for b, a in zip(before, model.non_trainable_variables):
        np.testing.assert_array_equal(b, a.numpy())  # moving statistics restored
    named = probes.activation_stats(model, images(), layers=["conv2_block1_out", "conv1_conv"])
    assert [s["layer"] for s in named] == ["conv2_block1_out", "conv1_conv"]
    plain = probes.activation_stats(cifar(14, skip=False, preact=True, norm=None), images())
    assert plain[1]["layer"] == "conv2_block1_2_conv"  # a plain pre-act block ends in its conv


def test_variance_doubles_per_residual_block_without_normalization():
    # Measured (seeds 0-3): 2.15, 1.98, 2.15, 2.00.
    ratio = mean_ratio(range(3), skip=True, norm=None, zero_init_last=False)
    assert 1.75 < ratio < 2.35, ratio


def test_variance_roughly_constant_in_plain_network():
    # Measured (seeds 0-3): 0.98, 0.69, 0.80, 0.95 -- below 1 because zero padding at
    # the 16x16 borders loses part of each convolution's fan-in.
    ratio = mean_ratio(range(3), skip=False, norm=None)
    assert 0.6 < ratio < 1.25, ratio


def test_variance_grows_linearly_with_batchnorm_on_the_branch():
    # Measured (seeds 0-3): ratio 1.20-1.22, r2 of a linear fit 0.98-0.995, of an
    # exponential one 0.90-0.97; variances 2.0, 3.5, 4.0, 4.8, 5.5, 6.5, 7.0, 8.1, 8.7.
    for seed in range(2):
        fit = probes.variance_growth_fit(
            probes.activation_stats(one_stage(8, seed, norm="batch"), images()))
        assert 1.1 < fit["ratio"] < 1.4
        assert fit["linear"]["r2"] > 0.97
        assert fit["linear"]["r2"] > fit["exponential"]["r2"]
        assert 0.4 < fit["linear"]["slope"] < 1.5
        assert fit["ratios"][-1] < fit["ratios"][0]  # 1 + 1/i: the ratio falls


def test_residual_grows_faster_than_plain_twin_in_cifar_network():
    # Three stages (16x16, 8x8, 4x4): border effects lower both ratios (measured at
    # depth 20: residual 1.56-1.65, plain 0.61-0.75) but the gap stays near 1.
    x = images()
    res = probes.variance_growth_fit(probes.activation_stats(
        cifar(20, skip=True, norm=None, preact=True), x))["ratio"]
    plain = probes.variance_growth_fit(probes.activation_stats(
        cifar(20, skip=False, norm=None, preact=True), x))["ratio"]
    assert res > 1.4 and plain < 1.0 and res - plain > 0.6


def test_variance_growth_fit_on_numbers():
    fit = probes.variance_growth_fit([1, 2, 4, 8, 16])
    assert fit["ratio"] == pytest.approx(2.0)
    assert fit["exponential"]["factor"] == pytest.approx(2.0)
    fit = probes.variance_growth_fit([1, 2, 3, 4])
    assert fit["linear"]["slope"] == pytest.approx(1.0) and fit["linear"]["r2"] == pytest.approx(1.0)
    assert fit["ratio"] == pytest.approx(4 ** (1 / 3))


# --- gradients ----------------------------------------------------------------------------

def test_gradient_norms_for_every_kernel():
    model = cifar(14, shortcut="B")
    rows = probes.gradient_norms(model, images(), labels())
    kernels = [l.name for l in model.layers
               if isinstance(l, (keras.layers.Conv2D, keras.layers.Dense))]
    assert sorted(r["layer"] for r in rows) == sorted(kernels)
    assert rows[0]["layer"] == "conv1_conv" and rows[-1]["layer"] == "predictions"
    assert [r["index"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["depth"] == 1 and rows[-1]["depth"] == 14  # 6n+2 weight layers
    assert all(r["grad_norm"] > 0 and math.isfinite(r["grad_norm"]) for r in rows)
    assert rows[0]["loss"] > 0
    # one-hot labels give the same gradients
    onehot = np.eye(10)[labels()]
    again = probes.gradient_norms(model, images(), onehot)
    assert again[0]["grad_norm"] == pytest.approx(rows[0]["grad_norm"], rel=1e-5)


# --- shattered gradients ------------------------------------------------------------------

def test_shattered_gradients_output():
    model = cifar(8, norm=None, preact=True)
    r = probes.shattered_gradients(model, n_points=16, max_lag=4)
    assert r["gradients"].shape == (16, *SHAPE)
    assert r["series"].shape == (16,) and len(r["neighbour_correlations"]) == 15
    assert r["autocorrelation"][0] == pytest.approx(1.0)
    assert -1 <= r["neighbour_correlation"] <= 1
    # the series is dy/dt: compare with a finite difference of the outputs
    dt = r["t"][1] - r["t"][0]
    finite = np.diff(r["outputs"]) / dt
    mid = (r["series"][1:] + r["series"][:-1]) / 2
    assert np.corrcoef(finite, mid)[0, 1] > 0.9


def test_residual_gradients_shatter_less_than_plain_twin():
    # Measured (CIFAR nets, no BN, 128 points, radius 1): neighbour correlation plain
    # 0.98 / 0.90 / 0.54 at depth 8 / 20 / 56, residual 0.99 / 0.96 / 0.91.
    rows = probes.shattering_vs_depth(depths=(8, 20), n_points=64)
    corr = {(r["depth"], r["skip"]): r["neighbour_correlation"] for r in rows}
    assert corr[(20, True)] > corr[(20, False)]
    assert corr[(8, False)] > corr[(20, False)]  # plain nets shatter with depth


def test_autocorrelation():
    assert probes.autocorrelation([1, 2, 3, 4], max_lag=1)[1] > 0
    noise = np.random.default_rng(0).normal(size=4000)
    assert abs(probes.autocorrelation(noise, max_lag=1)[1]) < 0.05


# --- paths --------------------------------------------------------------------------------

@pytest.mark.parametrize("options, n_blocks", [
    (dict(), 6),
    (dict(shortcut="B"), 6),
    (dict(preact=True), 6),
    (dict(skip=False), 0),
])
def test_count_paths(options, n_blocks):
    model = cifar(14, **options)
    assert len(probes.residual_block_names(model)) == n_blocks
    assert len(probes.block_names(model)) == 6
    assert probes.count_paths(model) == 2 ** n_blocks


def test_count_paths_exact_for_deep_networks():
    model = keras_resnets.CifarResNet(depth=110, input_shape=SHAPE)
    assert probes.count_paths(model) == 2 ** 54  # exact Python int


def test_path_length_distribution():
    d = probes.path_length_distribution(54)
    assert sum(d["counts"]) == 2 ** 54 and d["counts"][27] == math.comb(54, 27)
    assert sum(d["probabilities"]) == pytest.approx(1.0)
    assert d["mean"] == 27
    assert probes.path_length_distribution(cifar(14))["counts"] == [1, 6, 15, 20, 15, 6, 1]


# --- lesion -------------------------------------------------------------------------------

def test_lesion_study_runs_on_untrained_resnet():
    model = cifar(14)
    study = probes.lesion_study(model, images(), labels())
    assert len(study["results"]) == 6 and study["skipped"] == []
    assert all(0 <= r["accuracy"] <= 1 for r in study["results"])
    assert 0 <= study["baseline"] <= 1


@pytest.mark.parametrize("options", [
    dict(),                                 # post-activation, option A (ZeroPadChannels)
    dict(shortcut="B"),                     # projection shortcuts
    dict(preact=True),                      # pre-activation, option A
    dict(preact=True, shortcut="B", norm=None),
])
def test_lesion_of_zero_initialized_branch_changes_nothing(options):
    x = images()
    zero = cifar(14, zero_init_last=True, **options)
    expected = zero(x, training=False).numpy()
    for block in probes.residual_block_names(zero):
        lesioned = probes.lesioned_model(zero, block)
        np.testing.assert_array_equal(lesioned(x, training=False).numpy(), expected)
        assert lesioned.get_layer("predictions") is zero.get_layer("predictions")
    # a branch that is not zero does change the output: the rewiring removed it
    live = cifar(14, **options)
    lesioned = probes.lesioned_model(live, "conv3_block1")
    assert np.abs(lesioned(x).numpy() - live(x).numpy()).max() > 1e-4
    assert probes.count_paths(lesioned) == 2 ** 5
    assert probes.count_paths(live) == 2 ** 6  # the original model is unchanged


def test_lesion_of_plain_network_skips_shape_preserving_blocks():
    model = cifar(14, skip=False)
    study = probes.lesion_study(model, images(), labels())
    assert study["skipped"] == ["conv3_block1", "conv4_block1"]  # these change shapes
    assert len(study["lesioned"]) == 4
    with pytest.raises(ValueError, match="cannot be lesioned"):
        probes.lesioned_model(model, "conv3_block1")
    lesioned = probes.lesioned_model(model, "conv2_block2")
    assert "conv2_block2_1_conv" not in [l.name for l in lesioned.layers]
    assert len(lesioned.layers) < len(model.layers)


def test_lesion_unknown_block():
    with pytest.raises(ValueError, match="No block"):
        probes.lesion(cifar(8), images(), labels(), "conv9_block1")
