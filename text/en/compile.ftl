# The page's words: the compiler. Fluent syntax (https://projectfluent.org); see src/core/text.
# What the compiler says about a graph it cannot train (src/core/compile), each message naming
# the node and saying what to change, and the shapes shown on ports.

## The kinds of problem: each names its node ($kind $node, “Network #3”) and, where there is
## one, the port.
compile-invalid-param = { $kind } { $node }: `{ $param }` { $reason }
# $reason for a value of the wrong type; $expected says what it should be (“a number”).
compile-param-mistyped = should be { $expected }, but is `{ $found }`
compile-nesterov-without-momentum = needs a momentum above 0, as PyTorch's SGD does (it refuses Nesterov without momentum); raise momentum or turn nesterov off
compile-unknown-param = { $kind } { $node }: there is no parameter `{ $param }`; remove it
# $expected and $found: port types (“Tensor”).
compile-port-type-mismatch = { $to_kind } { $to_node }: input `{ $to_port }` takes a { $expected }, but { $from_kind } { $from_node } `{ $from_port }` gives a { $found }; connect a { $expected } output instead
# $hint: what should feed the input (see the hints below).
compile-unconnected = { $kind } { $node }: input `{ $port }` is not connected; connect it to { $hint }
# $hint: what to add (see the hints below).
compile-missing-node = the graph has no { $wanted } node; { $hint }
# $nodes: the nodes, “#3, #7”.
compile-duplicate = the graph has { $count } { $kind } nodes ({ $nodes }); a training loop has exactly one, remove the others
compile-wrong-source = { $kind } { $node }: input `{ $port }` must come from { $expected }, not from { $found_kind } { $found }
# A problem with a node's shapes or settings; $problem is one of the messages below.
compile-node-problem = { $kind } { $node }: { $problem }
# $path: the nodes of the loop, “Network #3 → GetBatch #2 → Network #3”.
compile-cycle = { $kind } { $node }: its output comes back to its own input through { $path }; data flows one way, so remove one of these wires (only trigger wires, such as EpochTracker's epoch_trigger, may loop back)
compile-two-optimizers = { $kind } { $node } and { $other_kind } { $other } both update { $model_kind } { $model }; a model has one optimizer, so remove one of them

## Hints: what the graph lacks, and what should feed an input (after “connect it to” and
## “must come from”).
compile-hint-add-epoch-tracker = add an EpochTracker after the TrainingStep
compile-hint-add-training-step = add a TrainingStep fed by the optimizer and the loss
compile-from-step-complete = TrainingStep's step_complete (or RunEpoch's epoch_complete, with training on)
compile-from-optimizer = an optimizer
compile-from-optimizer-training-on = an optimizer (training is on)
compile-from-loss-or-combine-loss = a loss node or CombineLoss
compile-from-loss-node = a loss node (CrossEntropyLoss, MSELoss, L1Loss)
compile-from-minimised-loss = the loss that TrainingStep minimises
compile-from-network = a Network
compile-from-trained-network = the Network that the optimizer trains
compile-from-get-batch = a GetBatch
compile-from-feeding-get-batch = the GetBatch that feeds the Network
compile-from-batch-sampler = a BatchSampler
compile-from-networks-sampler = the BatchSampler whose batches the Network sees
compile-from-dataset-or-split = a Dataset or DataSplit
compile-from-dataset = a Dataset
compile-from-epoch-schedule = a LinearLR, StepLR or CosineAnnealingLR (ReduceLROnPlateau follows a metric, not the epochs)
compile-from-step-optimizer = the optimizer of the TrainingStep

## The training loop: what drives it, its samplers and its data.
compile-driver-training-off = training is off, so it only evaluates and cannot drive the EpochTracker; turn training on, or drive the tracker from a TrainingStep
# $role: what the sampler's batches are for; $wanted and $found: DataSplit's outputs.
compile-sampler-split-output = this sampler { $role ->
        [validation] feeds the validation pass
       *[train] trains the network
    }, so its `dataset` input takes DataSplit { $split }'s `{ $wanted }` output, not `{ $found }`
# $dataset: the dataset's kind (“moons”).
compile-dataset-fixed-classes = the { $dataset } dataset has { $fixed } classes, not { $classes }; set classes to { $fixed }
compile-dataset-max-samples = the { $dataset } dataset has { $max } samples, not { $samples }; set samples to { $max } or fewer
# $which: the samples the sampler cuts.
compile-no-batch-left = its batches of { $size } with drop_last leave no batch of the { $samples } { $which ->
        [validation] validation
       *[training] training
    } samples; lower batch_size to { $samples } or less, or turn drop_last off
compile-batch-norm-batch-size = the Network's BatchNorm1d needs at least { $least } samples in a training batch (PyTorch refuses one); raise batch_size above 1
compile-batch-norm-last-batch = its batches of { $size } over the { $samples } training samples end each epoch with a batch of 1, which the Network's BatchNorm1d cannot normalise (PyTorch refuses one); turn drop_last on or change batch_size
# $layer: the layer's place in the network, from 1; $name: its kind (“Linear”).
compile-layer-problem = layer { $layer } ({ $name }): { $problem }

## The loss and what it compares.
compile-loss-per-sample = reduction `none` gives one loss per sample, but TrainingStep minimises a single number; set reduction to mean or sum
compile-scores-per-class = gives { $out } scores per sample, but the Dataset has { $classes } classes; make the last Linear layer's out_features { $classes }
compile-cross-entropy-on-values = CrossEntropyLoss needs class targets, but the { $dataset } dataset has a value per sample; use MSELoss or L1Loss
compile-regression-loss-on-classes = { $loss } compares values, but the { $dataset } dataset has class targets; use CrossEntropyLoss, or a regression dataset (plane, gaussian)
compile-values-per-target = gives { $out } values per sample, but { $loss } compares them with one target value, [batch, 1]; make the last Linear layer's out_features 1
compile-class-weights = `weight` has { $weights } values but the Dataset has { $classes } classes; give one weight per class, or none

## The validation pass and the metrics.
# $by: what already trains the network.
compile-second-training-run = training is on, but { $by ->
        [step] the TrainingStep loop
       *[run] the RunEpoch that drives the EpochTracker
    } already trains the network; set training to false to evaluate it on held-out data (the validation pattern)
compile-validation-on-training-batches = it evaluates on the training batches, which says nothing about unseen data; give it its own BatchSampler fed by a DataSplit's `validation` output
compile-validation-without-split = the training data comes straight from the Dataset, so there is nothing held out to validate on; put a DataSplit after the Dataset, train on its `train` output and feed its `validation` output to this RunEpoch's sampler
compile-validation-other-split = its sampler must take the `validation` output of DataSplit { $split }, the split the network trains on
compile-accuracy-on-regression = accuracy needs class targets, but the { $dataset } dataset has values; remove the AccuracyMetric
compile-top-k-over-classes = top_k is { $top_k } but there are only { $classes } classes; set top_k to { $classes } or less
compile-class-metrics-on-regression = precision, recall and AUC need class targets, but the { $dataset } dataset has values; remove the ClassificationMetrics
compile-binary-average-classes = average binary scores one positive class of two, but the dataset has { $classes } classes; set average to macro, micro or weighted
compile-positive-class-over = positive_class is { $positive_class }, but the classes are 0 and 1; set it to 0 or 1

## The learning-rate scheduler.
compile-scheduler-unstepped = nothing steps it; connect its `scheduler` output to EpochTracker { $tracker }'s `scheduler` input, which steps it once per epoch
compile-sequence-same-scheduler = `first` and `then` both come from { $kind } { $node }; chain two schedulers
compile-scheduler-untracked-accuracy = it watches the training accuracy, which EpochTracker { $tracker } tracks only when its `accuracy` input is connected; connect the same accuracy there
# $monitor: the metric's name (“val_loss”); $better: which way it improves; $mode and $fix: modes (“min”).
compile-plateau-mode = it watches { $monitor } ({ $better ->
        [lower] lower
       *[higher] higher
    } is better) with mode { $mode }; set mode to { $fix }
# $output: the node and output, “3:accuracy”.
compile-plateau-metric-unwatchable = its `metric` input comes from `{ $output }`, which it cannot watch; connect RunEpoch's epoch_loss, TrainingStep's loss_value or an accuracy, or leave it unconnected to watch the training loss

## EpochTracker: early stopping and what it tracks.
compile-early-stop-without-validation = early stopping watches { $monitor }, but the graph has no validation pass; watch train_loss, or add a DataSplit and a RunEpoch with training off
compile-early-stop-accuracy-on-regression = early stopping watches { $monitor }, but a regression has no accuracy; watch a loss
compile-early-stop-untracked-accuracy = early stopping watches train_accuracy, but nothing feeds the `accuracy` input, so no training accuracy is tracked; connect CrossEntropyLoss's or AccuracyMetric's accuracy to it
compile-tracker-top-1-accuracy = its accuracy comes from { $kind } { $node }, the top 1, but the AccuracyMetric scores the top { $top_k }; connect the AccuracyMetric's accuracy instead
compile-tracker-accuracy-source = its `accuracy` input comes from { $kind } { $node }'s { $port }, which is no accuracy; connect CrossEntropyLoss's or AccuracyMetric's accuracy, or leave it unconnected
compile-tracker-loss-source = its `loss` input comes from { $kind } { $node }'s { $port }; connect the loss_value of the TrainingStep that drives it (its running average is logged every log_interval steps), or leave it unconnected

## What the page has room for. $room, $bytes and $parameters are formatted by the code
## (“512 MiB”, “17,184,063,490”).
compile-over-parameters = its layers hold { $parameters } parameters; the page has room for { $room } — use fewer or narrower layers
compile-over-training-batch = a training batch of { $batch } samples holds { $bytes } of activations and gradients through its layers; the page has room for { $room } — lower the BatchSampler's batch_size (at most { $fits } fit) or the layers' widths
compile-over-validation-batch = RunEpoch { $run }'s validation batch of { $batch } samples holds { $bytes } of activations through its layers; the page has room for { $room } — lower that sampler's batch_size (at most { $fits } fit) or the layers' widths
# $resolution: cells per side of the grid.
compile-over-evaluation = evaluating it over the { $resolution }×{ $resolution } grid of the decision boundary holds { $bytes }; the page has room for { $room } — use fewer outputs or narrower layers
# A size under 1 KiB (larger ones read “1.5 GiB”).
compile-bytes = { $count } bytes

## Why a checkpoint's batch order or schedule cannot go on (after the part's name).
compile-schedule-rates-not-finite = its learning rates are not finite
compile-schedule-best-not-a-number = its best value is not a number
compile-order-other-samples = it orders { $ordered } samples, and this graph trains on { $samples }
compile-order-not-an-order = its sample order is not an order of the samples
compile-order-generator-damaged = its generator's state is damaged

## What a port carries, as the port shows it: “1000 × [2] → 2 classes”.
compile-shape-classes = { $count } classes
# The target of a regression sample.
compile-shape-value = value
