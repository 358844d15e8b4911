"""The app's English texts, keyed by the ids the code passes to
``keras_resnets_app.language.t``; ``strings_pt`` has the same keys and the same
``{placeholders}`` (tests/test_app_strings.py checks both and every key the code uses).
A text without placeholders is shown as written (its braces are LaTeX).
"""

STRINGS = {
    # the navigation
    "nav.architectures": "Architectures",
    "nav.deploy": "Deploy / Try it",
    "nav.depth": "Depth",
    "nav.paths": "Paths",
    "nav.phone": "Run on your phone",
    "nav.segmentation": "Segmentation",
    "nav.signal": "Signal propagation",

    # words several pages use
    "common.model": "model",
    "common.model_select": "Model",
    "common.network": "network",
    "common.plain": "plain",
    "common.residual": "residual",
    "common.test_accuracy": "test accuracy",

    # failures and missing files (alerts.py)
    "alerts.failed": "{what} failed: {err}",
    "alerts.missing": "{what} is not there yet: `{path}` is missing.",
    "alerts.unreadable": "{what}: `{path}` cannot be read ({error}).",

    # refused uploads (imaging.py)
    "imaging.empty": "The file is empty.",
    "imaging.not_an_image": (
        "This file is not an image that can be read (PNG, JPEG, GIF, BMP, TIFF, WebP)."),
    "imaging.too_many_bytes": "The file is larger than the limit of {limit}.",
    "imaging.too_many_pixels": "The image {size}is too large: at most {limit} pixels (4096×4096).",

    # pages/depth.py
    "depth.budget": "Every network had the same budget: {parts}.",
    "depth.budget_all_images": "all 54,000 training images (6,000 more held out for validation)",
    "depth.budget_augmented": "with random crops and flips",
    "depth.budget_batches": "batches of {batch}",
    "depth.budget_epochs": "{epochs} epochs on {images} ({dataset})",
    "depth.budget_not_augmented": "without augmentation",
    "depth.budget_schedule": "learning rate on a {recipe} schedule",
    "depth.budget_short": (
        "A short budget: enough to see the trend, not converged — the paper trains for about "
        "160 epochs, so its errors are far lower."),
    "depth.budget_some_images": (
        "{limit} of the 54,000 training images (6,000 more held out for validation)"),
    "depth.budget_wall_time": "All runs took {minutes:.0f} min on 2 CPU cores.",
    "depth.choose_at_least_one_curve": "Choose at least one curve above to see the chart.",
    "depth.choose_curve": "Choose a curve",
    "depth.command": "Command: ",
    "depth.compare_at_depth": "Compare at depth",
    "depth.curve": "curve",
    "depth.curves_caption": (
        "Dashed: training error; solid: {solid}. Darker lines are deeper networks. The grey "
        "dotted line at 90 % is chance: with ten classes, guessing is wrong nine times in ten."),
    "depth.effect": (
        "From {shallowest} to {deepest} layers the plain network's training error "
        "{plain_trend}, the residual network's {residual_trend}: this run {verdict} the "
        "degradation problem."),
    "depth.effect_not_shown": "does not show",
    "depth.effect_plain_flat": "does not rise",
    "depth.effect_plain_rises": "rises",
    "depth.effect_residual_flat": "does not",
    "depth.effect_residual_rises": "does",
    "depth.effect_shown": "shows",
    "depth.epoch": "epoch",
    "depth.error": "error",
    "depth.experiment_how": "The live run below still works.",
    "depth.experiment_what": "The degradation experiment",
    "depth.figure_6": "Error per epoch (He et al. 2015, Fig. 6)",
    "depth.final": "At the end of training",
    "depth.final_caption": (
        "Training error: measured after training on 5,000 training images in inference mode (so "
        "it can differ from the last point of the dashed line, which averages the last epoch "
        "while the weights were still changing). Test error: the 10,000 test images."),
    "depth.idea": (
        "Stacking more layers should never hurt: the extra layers could learn the identity. Yet "
        "a deeper **plain** network ends with a *higher training error* than a shallower one — "
        "not overfitting, an optimization problem. A **residual** block learns only the "
        "correction, $h = x + f(x)$: the identity is free ($f = 0$), and depth helps again."),
    "depth.live_building": "building…",
    "depth.live_caption": (
        "Trains a plain network and its residual twin (same layers, same initial weights where "
        "they match), one epoch each in turn, on up to a thousand Fashion-MNIST images, here "
        "and now on the CPU. Tiny on purpose: with the defaults it takes under a minute on 2 "
        "CPU cores and shows both networks learning (their error falls from the 90 % of chance "
        "to about a third). At this size depth hardly matters yet: the degradation needs deeper "
        "networks and longer training, as in the experiment above."),
    "depth.live_chart_caption": (
        "Training error: the mean over each epoch while training (dashed); test error: 500 test "
        "images after each epoch, with BatchNorm's statistics recomputed on the training images "
        "(solid). 90 % error is chance."),
    "depth.live_chart_title": "this live run",
    "depth.live_depth": "Depth",
    "depth.live_done": "done in {seconds:.0f} s",
    "depth.live_epochs": "Epochs",
    "depth.live_images": "Training images",
    "depth.live_loading_what": "Loading Fashion-MNIST",
    "depth.live_press_train": "Press **Train** to start.",
    "depth.live_run": "Live run",
    "depth.live_stop": "Stop",
    "depth.live_stopped": "Stopped. The epochs the networks finished are kept below.",
    "depth.live_stopped_early": "Stopped. No epoch had finished yet.",
    "depth.live_test_error": "{network}: test error",
    "depth.live_train": "Train",
    "depth.live_training_error": "{network}: training error",
    "depth.live_width": "Width",
    "depth.live_width_help": "Multiplier of the 16/32/64 filters.",
    "depth.no_runs": "no `runs` list",
    "depth.plain_networks": "plain networks",
    "depth.residual_networks_resnets": "residual networks (ResNets)",
    "depth.schema_error": (
        "`{file}` of the degradation experiment does not follow the results schema: {err}"),
    "depth.show": "Show",
    "depth.solid_test": "test error (the 10,000 test images)",
    "depth.test_error": "test error",
    "depth.title": "Depth: the degradation problem",
    "depth.training_error": "training error",
    "depth.validation_error": "validation error",
    "depth.validation_note": (
        "This file has no per-epoch test error, so the solid lines are the **validation** "
        "error, measured during training on 6,000 held-out training images with BatchNorm's "
        "moving averages. In a run this short those averages lag behind the weights, so the "
        "validation error is much higher than the test error measured at the end (below), after "
        "recomputing the BatchNorm statistics."),

    # pages/signal.py
    "signal.activation_variance": "activation variance",
    "signal.backward_gradient_norm": "Backward: gradient norm",
    "signal.batchnorm_note": (
        "BatchNorm does not change these numbers: the probe runs the network in inference mode, "
        "where at initialization BatchNorm uses its starting moving averages (mean 0, variance "
        "1) and is the identity."),
    "signal.block_axis": "residual block (0 = stem)",
    "signal.block_axis_plain": "block, without its skip (0 = stem)",
    "signal.correlation_metric": "{name}: neighbour gradient correlation",
    "signal.correlation_note": (
        "1 means neighbouring inputs have the same gradient, 0 unrelated ones. Here the plain "
        "network gives {plain}, the residual one {residual}."),
    "signal.depth": "Depth (6n+2)",
    "signal.dy_dt_axis": "dy/dt (scaled to ±1)",
    "signal.forward_activation_variance": "Forward: activation variance",
    "signal.gradient_ratio": "Gradient norm, first / last layer",
    "signal.gradients_spinner": "Computing input gradients…",
    "signal.idea": (
        "Before any training, how does the signal flow? Under He initialization a residual "
        "block without normalization adds a branch about as large as its input and uncorrelated "
        "with it: $\\mathrm{Var}(x + f(x)) \\approx 2\\,\\mathrm{Var}(x)$, so the variance "
        "**doubles per block** ($2^L$). **BatchNorm** normalizes each channel with the "
        "statistics of the batch during training (then a learned per-channel scale $\\gamma$ "
        "and shift $\\beta$; at inference it uses moving averages instead). Inside the branch "
        "it makes each block add about the same amount, so within a stage the variance grows "
        "**about linearly** instead of doubling; at the first block of each stage the "
        "projection shortcut starts afresh, which draws a sawtooth. Gradients tell the same "
        "story backwards; and along a line of inputs the gradient of a deep plain network "
        "**shatters** into white noise, while a ResNet's shatters far more slowly with depth "
        "(Balduzzi et al. 2017)."),
    "signal.initialization": "Initialization",
    "signal.layer_axis": "weight layer (depth)",
    "signal.log_scale": " (log scale)",
    "signal.no_normalization": ", no normalization",
    "signal.pre_activation": "Pre-activation",
    "signal.preact_help": "BN-ReLU-conv blocks with a clean identity path (He et al. 2016).",
    "signal.probe_what": "The probe",
    "signal.probing_spinner": "Probing the network at initialization…",
    "signal.residual_shatters_note": (
        "Deep enough, a residual network without normalization shatters too: its correlation "
        "decays far more slowly with depth than a plain network's (about 1/√L against 2^−L), "
        "but it does decay."),
    "signal.shattered_caption": (
        "The derivative dy/dt of the summed logits along a line of 128 nearby inputs x(t) = x₀ "
        "+ t·d, for this network and its twin. Smooth (brown noise): the gradient means "
        "something locally; jagged (white noise): it is shattered."),
    "signal.shattered_gradients": "Shattered gradients",
    "signal.shattered_what": "The shattered-gradient probe",
    "signal.skip_connections": "Skip connections",
    "signal.title": "Signal propagation at initialization",
    "signal.variance_growth": "Variance growth per block",
    "signal.variance_ratio": "Variance of the last block / first",

    # pages/paths.py
    "paths.block_removed": "block removed",
    "paths.blocks_help": "ResNet-20 has 9, ResNet-56 has 27, ResNet-110 has 54.",
    "paths.choose_model": "Choose a model",
    "paths.experiment_what": "The lesion experiment",
    "paths.first_blocks": "The first {shown} of {n} blocks; the others repeat the pattern.",
    "paths.idea": (
        "Unroll $n$ residual blocks $h_i = h_{i-1} + f_i(h_{i-1})$: at every block a path "
        "either takes the shortcut or goes through $f_i$, so there are **$2^n$ paths** from "
        "input to output. A path through $k$ residual branches has length $k$, and "
        "$\\binom{n}{k}$ paths do: lengths are **binomial**, centred on $n/2$ — most of the "
        "signal travels through paths much shorter than the network. So deleting one block of a "
        "trained ResNet removes only half of the paths, all the others still work; deleting a "
        "layer of a plain network breaks its only path."),
    "paths.identity": "identity",
    "paths.length": "length",
    "paths.length_axis": "residual branches on the path (k)",
    "paths.lesion_caption": (
        "Dashed: the intact network's accuracy. A plain network's blocks that change the shape "
        "cannot be removed and are missing."),
    "paths.lesion_header": "Lesion study: remove one block",
    "paths.lesion_metric": "{model}: mean accuracy without one block",
    "paths.mean_path_length": "Mean path length",
    "paths.models": "Models",
    "paths.no_lesion_results": (
        "`{path}` holds no lesion results (expected {{\"resnet56\": [{{\"block\": ..., "
        "\"accuracy\": ...}}], ...}})."),
    "paths.path": "path",
    "paths.path_lengths": "Path lengths",
    "paths.paths_2n": "Paths 2ⁿ",
    "paths.residual_blocks_n": "Residual blocks n",
    "paths.share_axis": "share of paths C(n,k)/2ⁿ",
    "paths.std_length": "Std of the length",
    "paths.title": "Paths: a ResNet is an ensemble",
    "paths.unrolled_view": "Unrolled view",
    "paths.vs_intact": "vs intact",

    # pages/architectures.py
    "architectures.basic": "basic",
    "architectures.big": (
        "A big network: building it takes a while the first time (it is kept afterwards)."),
    "architectures.bottleneck": "bottleneck",
    "architectures.build": "Build {name}",
    "architectures.build_twin_what": "Building the twin {twin_label}",
    "architectures.build_what": "Building {name}",
    "architectures.building_spinner": "Building {name}…",
    "architectures.building_twin_spinner": "Building {twin_label}…",
    "architectures.built_before": "Built before; shown from memory.",
    "architectures.built_now": "Built and profiled in {seconds} s.",
    "architectures.channels": "channels",
    "architectures.compare_twin": "Compare with the plain twin",
    "architectures.concat": "concat",
    "architectures.dense_input": "x (all earlier features)",
    "architectures.dense_layer": "dense layer",
    "architectures.depth_weight_layers": "Depth (weight layers)",
    "architectures.difference_projections": (
        "The parameters differ by {diff}: the projection shortcuts (1×1 convolutions where a "
        "stage changes shape); identity shortcuts have no weights."),
    "architectures.difference_unet": (
        "The parameters differ by {diff}: the concatenated encoder features widen the input of "
        "every decoder convolution."),
    "architectures.flops_help": (
        "2 × multiply-adds of the convolutions and dense layers, per image."),
    "architectures.idea": (
        "One registry builds every network: **ResNets** (basic blocks of two 3×3 convolutions, "
        "or bottlenecks 1×1 → 3×3 → 1×1 that are cheaper when wide; post- or pre-activation), "
        "their **plain twins** (the same layers without $+x$), **DenseNets** (each layer "
        "*concatenates* its output to everything before it, $x_\\ell = [x_0, \\dots, "
        "H_\\ell(x_{\\ell-1})]$) and **U-Nets** (an encoder–decoder whose skip connections "
        "carry fine detail across). An **identity** shortcut adds no weights and almost no "
        "FLOPs, but doubles the number of paths at every block; where a stage changes width or "
        "resolution, a **projection** shortcut (a 1×1 convolution, as in the ImageNet ResNets) "
        "does add weights — that is why resnet50 has 25.6 M parameters and its plain twin 22.8 "
        "M."),
    "architectures.in_twin": "…in the twin",
    "architectures.input_and_layers": "Input {shape}, {layers} layers. {how}",
    "architectures.no_skip": "no skip",
    "architectures.no_twin": (
        "{name} has no plain twin in the registry (a DenseNet's concatenations are its "
        "connectivity)."),
    "architectures.one_block": "One block",
    "architectures.parameters": "Parameters",
    "architectures.parameters_column": "parameters",
    "architectures.paths_column": "paths",
    "architectures.paths_metric": "Input–output paths",
    "architectures.pool_dense": "pool + dense",
    "architectures.residual_blocks": "residual blocks",
    "architectures.resnet_encoder": "ResNet encoder",
    "architectures.shortcut": "identity / projection",
    "architectures.stages": "Stages",
    "architectures.stem": "stem",
    "architectures.stride": "stride",
    "architectures.title": "Architectures",
    "architectures.up": "up",
    "architectures.very_large": (
        "{name} is very large: building and profiling it (and its twin) takes minutes on a "
        "2-core CPU — resnet1202 took about 4 minutes. The result is kept, so it is instant the "
        "next time."),
    "architectures.without_skips": "{name} without skips",

    # pages/deploy.py
    "deploy.budget_augmented": "augmented",
    "deploy.budget_epochs": "{epochs} epochs",
    "deploy.budget_images": "{images} images",
    "deploy.budget_not_augmented": "no augmentation",
    "deploy.bundled_image": "Bundled image",
    "deploy.class": "class",
    "deploy.downloads_caption": (
        "labels.txt: the class names, one per line, in the order of the model's outputs. The "
        "other files of `saved_models/{name}/` hold the export settings and checks."),
    "deploy.file": "file",
    "deploy.file_size": "file size",
    "deploy.files_caption": (
        "Measured on the test images when each file was exported. The probability difference is "
        "the largest change of any class probability on any test image: about 10⁻⁶ for float32 "
        "(rounding), up to a few tenths for int8 (8-bit weights and activations move the "
        "probabilities), yet the int8 file picks the same class as Keras on almost every image."),
    "deploy.files_for_phone": "The files for the phone",
    "deploy.how_each_model_was_trained": "How each model was trained",
    "deploy.idea": (
        "A trained Keras model becomes a **.tflite** file that runs on a phone with LiteRT. "
        "**float32** keeps the weights as they are; **int8** quantizes weights and activations "
        "to 8-bit integers (calibrated on a few hundred training images): about 4× smaller and "
        "faster on mobile CPUs, at the price of a small difference in the outputs. The models "
        "take raw 0..255 pixels: the scaling is inside them. Pick an image and compare."),
    "deploy.image": "Image",
    "deploy.incomplete": " (incomplete)",
    "deploy.invert": "Invert (Fashion-MNIST items are light on black)",
    "deploy.latency": "latency median / p90 (1 thread)",
    "deploy.loading_what": "Loading it",
    "deploy.max_abs_diff": "largest probability difference vs Keras",
    "deploy.metrics_unreadable": "`{name}/metrics.json` cannot be read: {metrics_error}",
    "deploy.no": "no",
    "deploy.no_classifier": (
        "No shipped classifier in `{root}` yet (expected `<name>/model.keras` and "
        "`<name>/model_float32.tflite` for {names}). The training and export work produces them."),
    "deploy.no_fashion_mnist": (
        "Fashion-MNIST is not available here ({err}); upload an image instead."),
    "deploy.no_file_to_download_yet": "No file to download yet.",
    "deploy.budget_unknown": "not recorded",
    "deploy.not_a_ranking": (
        "The accuracies are not a ranking of the architectures: the models had different "
        "training budgets ({budgets}), and a shorter budget gives a lower accuracy whatever the "
        "architecture. Each folder's MODEL_CARD.md says how its model was made."),
    "deploy.same_budget": (
        "Every model had the same training budget ({budget}), so the accuracies compare the "
        "architectures. Each folder's MODEL_CARD.md says how its model was made."),
    "deploy.not_there_yet": "Not there yet.",
    "deploy.prediction": "prediction",
    "deploy.prediction_caption": "p = {probability} · {ms} ms here (median of 10) · {size}",
    "deploy.prediction_what": "The prediction",
    "deploy.probability": "probability",
    "deploy.source_fashion_mnist": "Fashion-MNIST test image",
    "deploy.source_png": "Bundled test image (PNG)",
    "deploy.source_upload": "Upload an image",
    "deploy.test_image": "Test image #",
    "deploy.title": "Deploy / Try it",
    "deploy.top1_agreement": "same top-1 class as Keras",
    "deploy.training": "training",
    "deploy.true_label": "True label: **{truth}**",
    "deploy.upload_hint": "Photos on a white background work best.",
    "deploy.upload_label": (
        "An image of one clothing item (PNG, JPEG, …; at most {limit} and 4096×4096 pixels)"),
    "deploy.upload_what": "The upload",
    "deploy.verify_unreadable": "`{filename}.verify.json` cannot be read: {err}",
    "deploy.wrong_output_shape": "expected 10 class probabilities, got shape {shape}",
    "deploy.yes": "yes",

    # pages/segmentation.py
    "segmentation.experiment_what": "The U-Net skip experiment",
    "segmentation.idea": (
        "A **U-Net** encodes the image down to a coarse, semantic representation and decodes it "
        "back to a mask of one class per pixel. Its skip connections **concatenate** each "
        "encoder level's features into the decoder level of the same resolution, so the decoder "
        "gets back the fine detail that pooling threw away. Without them (same layers, no "
        "concatenation) the decoder must rebuild every edge from the coarse code alone: edges "
        "blur and small items get lost. Both networks below trained with the same budget; the "
        "numbers and the scenes show what the skips are worth."),
    "segmentation.image": "image",
    "segmentation.iou_caption": (
        "**IoU** (intersection over union) of a class: the pixels both the prediction and the "
        "true mask give that class, divided by the pixels either gives it — 1 is perfect, 0 no "
        "overlap. The test mean IoU averages the 11 classes (background included) over all test "
        "scenes. {short}what matters here is the gap the skip connections make."),
    "segmentation.iou_with_skips": "Test mean IoU with skips",
    "segmentation.iou_without_skips": "Test mean IoU without skips",
    "segmentation.loading_spinner": "Loading the fashion scenes…",
    "segmentation.no_scenes": "The fashion_scenes test set is not available here yet ({reason}).",
    "segmentation.not_there_yet": "not there yet",
    "segmentation.scene": "Scene #",
    "segmentation.scene_classes": "Classes in this scene: {classes}",
    "segmentation.scene_iou": "{label}: items' IoU on this scene",
    "segmentation.scenes_caption": (
        "The scenes below are the first {count} of the test set, in order (no picking). On them "
        "the items' IoU (the clothing classes of each scene, background left out) averages "
        "{unet_iou} for the U-Net and {noskip_iou} without skips; the U-Net is better on "
        "{better} of {scenes} scenes."),
    "segmentation.schema_error": "`{path}` does not follow the schema ({err!r}).",
    "segmentation.segmenting_spinner": "Segmenting the scenes…",
    "segmentation.budget": (
        "Both U-Nets trained for {epochs} epochs on {images} generated scenes, a tenth of them "
        "held out for validation (batch {batch}); "),
    "segmentation.title": "Segmentation: U-Net skip connections",
    "segmentation.true_mask": "true mask",
    "segmentation.u_net": "U-Net",
    "segmentation.without_skips": "without skips",

    # pages/phone.py
    "phone.idea": (
        "The int8 ResNet-20 (309 KB) runs **in your phone's browser** with LiteRT.js: the "
        "picture never leaves the phone. The .tflite file takes what a camera gives, RGB pixels "
        "0..255 (its gray conversion and scaling are inside the graph), so the page only "
        "resizes the picture. It shows the top-3 classes, their probabilities and the on-device "
        "latency. Everything is served by this app; nothing comes from the internet."),
    "phone.not_built": (
        "The phone page is not built yet: run `bash web/build.sh` (`make app` does)."),
    "phone.open_on_phone": (
        "**On your phone** (same Wi-Fi): open `http://<this computer's address>:8501{url}` — or "
        "[open it here]({url}). \"Photo / camera\" opens the phone's camera; the live camera "
        "needs HTTPS or localhost."),
    "phone.title": "Run on your phone",
}
