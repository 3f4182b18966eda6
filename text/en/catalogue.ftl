# The page's words: the node catalogue. Fluent syntax (https://projectfluent.org); see src/core/text.
# What each kind of node is, what each of its parameters sets, what each port carries and what
# usually feeds a required input (src/core/model/catalogue): the palette's and the nodes' tooltips,
# the inspector's help lines, Explain mode where it has no explanation of its own, and the
# compiler's “connect it to …” for an input left unconnected.
#
# Ids follow the catalogue's names, which are not words: kind-<Kind> (its help),
# kind-<Kind>-<parameter>, kind-<Kind>-in-<port> and kind-<Kind>-out-<port>, and
# kind-<Kind>-in-<port>-fed-by. Text that several kinds share is a term (-reduction-help),
# written once. Kind, parameter, port and choice names in the text (`reduction`, top_k, csv)
# are the catalogue's and stay as they are.

## Shared: what usually feeds an input, and the class targets losses and metrics compare.
-from-dataset = a Dataset's `dataset` output
-from-sampler = a BatchSampler's `sampler` output
-from-predictions = a Network's `predictions` output
-from-batch-targets = GetBatch's `targets` output
-from-model = a Network's `model` output
-from-loss = a loss node's `loss` output (add a CrossEntropyLoss if there is none)
-from-optimizer = an optimizer's `optimizer` output
-class-indices = Class indices, [batch]

## Data: Dataset, DataSplit, BatchSampler, GetBatch.
kind-Dataset = TensorFlow Playground's 2-D sets (classification: spiral, circle, xor, gauss; regression: plane, gaussian) in about [-1, 1]², 8×8 handwritten digits (images 1×8×8), generated images of shapes (shapes: 1×S×S), or a CSV file of your own (csv).
kind-Dataset-kind = Which dataset
kind-Dataset-classes = Number of classes (circle and xor have 2, digits 10; regression sets none; shapes: the first of circle, square, triangle, cross, ring, diamond, frame, bar, x, half-disc)
kind-Dataset-samples = Number of samples (digits has 1797)
kind-Dataset-noise = Uniform jitter added to each input value (shapes: to each pixel, kept in [0, 1])
kind-Dataset-seed = Seed of the data and noise, and of the weight initialisation
kind-Dataset-file = csv: the file to train on; it stays in this browser, a link carries its name, size and hash
kind-Dataset-target = csv: the column to predict
kind-Dataset-task = csv: classification (the target's values are classes) or regression (a number to fit)
kind-Dataset-features = csv: the columns to learn from, numbers (standardised); empty: every column but the target
kind-Dataset-image_size = shapes: rows and columns of each image (S in 1×S×S)
kind-Dataset-translate = shapes: the largest move of a shape from the centre, as a fraction of the image's side (as torchvision's RandomAffine translate)
kind-Dataset-scale = shapes: the largest change of a shape's size, as a fraction (0.2: from 0.8 to 1.2 times)
kind-Dataset-degrees = shapes: the largest turn of a shape either way, in degrees (as RandomAffine's degrees); past 45 a square and a diamond, a cross and an x look alike
kind-Dataset-out-dataset = All samples: inputs and targets

kind-DataSplit = Splits a dataset at random into a training set and a held-out validation set.
kind-DataSplit-validation_ratio = Share of the samples held out for validation
kind-DataSplit-seed = Seed of the random split
kind-DataSplit-in-dataset = The dataset to split
kind-DataSplit-in-dataset-fed-by = { -from-dataset }
kind-DataSplit-out-train = The samples to train on
kind-DataSplit-out-validation = The held-out samples, for RunEpoch with training off

kind-BatchSampler = Cuts a dataset into batches, in a fresh shuffled order every epoch.
kind-BatchSampler-batch_size = Samples per batch
kind-BatchSampler-shuffle = Shuffle the samples at the start of every epoch
kind-BatchSampler-seed = Seed of the shuffle order
kind-BatchSampler-drop_last = Skip the last batch of an epoch when it is smaller than batch_size
kind-BatchSampler-in-dataset = The dataset to sample from
kind-BatchSampler-in-dataset-fed-by = { -from-dataset }
kind-BatchSampler-out-sampler = Batches of sample indices

kind-GetBatch = Takes the next batch from a sampler; a trigger from EpochTracker starts the next epoch.
kind-GetBatch-in-sampler = Where batches come from
kind-GetBatch-in-sampler-fed-by = { -from-sampler }
kind-GetBatch-in-next = Start the next epoch
kind-GetBatch-out-inputs = The batch's inputs, [batch, features]
kind-GetBatch-out-targets = The batch's targets: class indices [batch], or values [batch, 1]

## The network.
kind-Network = A stack of layers (Linear, ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Dropout, LayerNorm, BatchNorm1d, Flatten) trained as one model; each layer's input size is inferred. BatchNorm1d(momentum) normalises by the batch while training and by its running statistics in evaluation, as PyTorch's does.
kind-Network-layers = Layers from input to output, e.g. Linear(16), BatchNorm1d, ReLU, Dropout(0.1), Linear(2); activations ReLU, LeakyReLU(slope), Tanh, Sigmoid, GELU, ELU(alpha), SiLU, Mish, Softplus(beta)
kind-Network-in-input = A batch of inputs, [batch, features]
kind-Network-in-input-fed-by = GetBatch's `inputs` output
kind-Network-out-predictions = Raw scores (logits) [batch, classes], or values [batch, 1]
kind-Network-out-model = The trainable parameters, for an optimizer

## Losses: CrossEntropyLoss, MSELoss, L1Loss, CombineLoss.
-reduction-help = mean or sum of the samples' losses (the number TrainingStep minimises)
-reduced-loss = The batch's loss, reduced as `reduction` says
-regression-predictions = The network's values, [batch, 1]
-regression-targets = The true values, [batch, 1]

kind-CrossEntropyLoss = Classification loss: log-softmax of the logits, then the negative log-likelihood.
kind-CrossEntropyLoss-reduction = { -reduction-help }
kind-CrossEntropyLoss-label_smoothing = Share of each target spread evenly over all classes
kind-CrossEntropyLoss-ignore_index = Samples with this target count for nothing
kind-CrossEntropyLoss-weight = A weight per class (empty = all equal)
kind-CrossEntropyLoss-in-predictions = Raw logits from the network, [batch, classes]
kind-CrossEntropyLoss-in-predictions-fed-by = { -from-predictions }
kind-CrossEntropyLoss-in-targets = { -class-indices }
kind-CrossEntropyLoss-in-targets-fed-by = { -from-batch-targets }
kind-CrossEntropyLoss-out-loss = { -reduced-loss }
kind-CrossEntropyLoss-out-accuracy = Share of the batch classified correctly (top 1)

kind-MSELoss = Regression loss: the squared difference between prediction and target (torch.nn.MSELoss).
kind-MSELoss-reduction = { -reduction-help }
kind-MSELoss-in-predictions = { -regression-predictions }
kind-MSELoss-in-predictions-fed-by = { -from-predictions }
kind-MSELoss-in-targets = { -regression-targets }
kind-MSELoss-in-targets-fed-by = { -from-batch-targets }
kind-MSELoss-out-loss = { -reduced-loss }

kind-L1Loss = Regression loss: the absolute difference (MAE), less swayed by outliers than MSE (torch.nn.L1Loss).
kind-L1Loss-reduction = { -reduction-help }
kind-L1Loss-in-predictions = { -regression-predictions }
kind-L1Loss-in-predictions-fed-by = { -from-predictions }
kind-L1Loss-in-targets = { -regression-targets }
kind-L1Loss-in-targets-fed-by = { -from-batch-targets }
kind-L1Loss-out-loss = { -reduced-loss }

kind-CombineLoss = A weighted sum of losses, minimised together: weight_1·loss_1 + weight_2·loss_2 (+ weight_3·loss_3).
kind-CombineLoss-weight_1 = Weight of loss_1
kind-CombineLoss-weight_2 = Weight of loss_2
kind-CombineLoss-weight_3 = Weight of loss_3
kind-CombineLoss-in-loss_1 = A loss
kind-CombineLoss-in-loss_1-fed-by = { -from-loss }
kind-CombineLoss-in-loss_2 = Another loss
kind-CombineLoss-in-loss_2-fed-by = { -from-loss }
kind-CombineLoss-in-loss_3 = An optional third loss
kind-CombineLoss-out-loss = The weighted sum

## Optimizers: SGDOptimizer, AdamOptimizer, AdamWOptimizer.
-learning-rate-help = Step size of each update
-l2-penalty-help = L2 penalty added to the gradient
-optimizer-model = The model whose parameters it updates
-optimizer-loss = The loss to minimise
-optimizer-output = The configured optimizer
-adam-beta1-help = Decay of the running mean of the gradient
-adam-beta2-help = Decay of the running mean of the squared gradient
-adam-epsilon-help = Added to the denominator for stability

kind-SGDOptimizer = Stochastic gradient descent with optional momentum (PyTorch's torch.optim.SGD).
kind-SGDOptimizer-learning_rate = { -learning-rate-help }
kind-SGDOptimizer-momentum = Momentum factor (0 = plain SGD)
kind-SGDOptimizer-weight_decay = { -l2-penalty-help }
kind-SGDOptimizer-nesterov = Use Nesterov momentum (needs a momentum above 0)
kind-SGDOptimizer-in-model = { -optimizer-model }
kind-SGDOptimizer-in-model-fed-by = { -from-model }
kind-SGDOptimizer-in-loss = { -optimizer-loss }
kind-SGDOptimizer-in-loss-fed-by = { -from-loss }
kind-SGDOptimizer-out-optimizer = { -optimizer-output }

kind-AdamOptimizer = Adam: per-parameter steps from running means of the gradient (torch.optim.Adam).
kind-AdamOptimizer-learning_rate = { -learning-rate-help }
kind-AdamOptimizer-beta1 = { -adam-beta1-help }
kind-AdamOptimizer-beta2 = { -adam-beta2-help }
kind-AdamOptimizer-epsilon = { -adam-epsilon-help }
kind-AdamOptimizer-weight_decay = { -l2-penalty-help }
kind-AdamOptimizer-in-model = { -optimizer-model }
kind-AdamOptimizer-in-model-fed-by = { -from-model }
kind-AdamOptimizer-in-loss = { -optimizer-loss }
kind-AdamOptimizer-in-loss-fed-by = { -from-loss }
kind-AdamOptimizer-out-optimizer = { -optimizer-output }

kind-AdamWOptimizer = AdamW: Adam with weight decay applied to the weights directly (torch.optim.AdamW).
kind-AdamWOptimizer-learning_rate = { -learning-rate-help }
kind-AdamWOptimizer-beta1 = { -adam-beta1-help }
kind-AdamWOptimizer-beta2 = { -adam-beta2-help }
kind-AdamWOptimizer-epsilon = { -adam-epsilon-help }
kind-AdamWOptimizer-weight_decay = Decoupled decay: p ← p·(1 − lr·wd) each step
kind-AdamWOptimizer-in-model = { -optimizer-model }
kind-AdamWOptimizer-in-model-fed-by = { -from-model }
kind-AdamWOptimizer-in-loss = { -optimizer-loss }
kind-AdamWOptimizer-in-loss-fed-by = { -from-loss }
kind-AdamWOptimizer-out-optimizer = { -optimizer-output }

## Learning-rate schedulers, stepped by EpochTracker once per epoch: StepLR, CosineAnnealingLR,
## ReduceLROnPlateau, LinearLR, SequentialLR.
-from-matching-output = an output of the matching type
-reduction-factor-help = Factor applied at each reduction
-scheduler-optimizer = The optimizer whose learning rate it sets
-scheduler-output = Connect to EpochTracker, which steps it once per epoch

kind-StepLR = Multiplies the learning rate by gamma every step_size epochs (torch.optim.lr_scheduler.StepLR).
kind-StepLR-step_size = Epochs between reductions
kind-StepLR-gamma = { -reduction-factor-help }
kind-StepLR-in-optimizer = { -scheduler-optimizer }
kind-StepLR-in-optimizer-fed-by = { -from-optimizer }
kind-StepLR-out-scheduler = { -scheduler-output }

kind-CosineAnnealingLR = Lowers the learning rate along a cosine to eta_min over t_max epochs (torch.optim.lr_scheduler.CosineAnnealingLR).
kind-CosineAnnealingLR-t_max = Epochs from the initial rate down to eta_min
kind-CosineAnnealingLR-eta_min = The lowest learning rate
kind-CosineAnnealingLR-in-optimizer = { -scheduler-optimizer }
kind-CosineAnnealingLR-in-optimizer-fed-by = { -from-optimizer }
kind-CosineAnnealingLR-out-scheduler = { -scheduler-output }

kind-ReduceLROnPlateau = Multiplies the learning rate by factor when a metric stops improving (torch.optim.lr_scheduler.ReduceLROnPlateau). Watches the training loss unless `metric` is connected.
kind-ReduceLROnPlateau-mode = min: the metric should fall (a loss); max: rise (an accuracy)
kind-ReduceLROnPlateau-factor = { -reduction-factor-help }
kind-ReduceLROnPlateau-patience = Epochs without improvement tolerated before reducing
kind-ReduceLROnPlateau-threshold = Smallest change that counts as an improvement
kind-ReduceLROnPlateau-threshold_mode = rel: threshold relative to the best value; abs: absolute
kind-ReduceLROnPlateau-cooldown = Epochs to wait after a reduction before counting again
kind-ReduceLROnPlateau-min_lr = The learning rate never goes below this
kind-ReduceLROnPlateau-in-optimizer = { -scheduler-optimizer }
kind-ReduceLROnPlateau-in-optimizer-fed-by = { -from-optimizer }
kind-ReduceLROnPlateau-in-metric = The metric to watch: RunEpoch's epoch_loss (validation loss) or an accuracy
kind-ReduceLROnPlateau-out-scheduler = { -scheduler-output }

kind-LinearLR = Scales the learning rate by a factor going linearly from start_factor to end_factor over total_iters epochs, then keeps it: a warm-up (torch.optim.lr_scheduler.LinearLR). Chain it before another scheduler with SequentialLR.
kind-LinearLR-start_factor = Factor of the learning rate in the first epoch
kind-LinearLR-end_factor = Factor reached after total_iters epochs, and kept
kind-LinearLR-total_iters = Epochs from start_factor to end_factor
kind-LinearLR-in-optimizer = { -scheduler-optimizer }
kind-LinearLR-in-optimizer-fed-by = { -from-optimizer }
kind-LinearLR-out-scheduler = { -scheduler-output }

kind-SequentialLR = Runs one scheduler, then another from the milestone epoch on, restarted from the initial rate — e.g. a LinearLR warm-up, then CosineAnnealingLR (torch.optim.lr_scheduler.SequentialLR).
kind-SequentialLR-milestone = The epoch at which the second scheduler takes over
kind-SequentialLR-in-first = The scheduler of the first epochs, e.g. a LinearLR warm-up
kind-SequentialLR-in-first-fed-by = { -from-matching-output }
kind-SequentialLR-in-then = The scheduler from the milestone on (StepLR, CosineAnnealingLR, LinearLR)
kind-SequentialLR-in-then-fed-by = { -from-matching-output }
kind-SequentialLR-out-scheduler = { -scheduler-output }

## The training loop: TrainingStep, EpochTracker, RunEpoch.
kind-TrainingStep = One step: backward pass from the loss, optional accumulation and clipping, then the optimizer's update.
kind-TrainingStep-gradient_clip = Max global L2 norm of the gradients (0 = off)
kind-TrainingStep-accumulation_steps = Batches whose gradients are summed before one update
kind-TrainingStep-mixed_precision = Compute the forward and backward passes in f16 on a GPU with shader-f16 (weights stay f32); f32 elsewhere
kind-TrainingStep-in-optimizer = The optimizer that applies the update
kind-TrainingStep-in-optimizer-fed-by = { -from-optimizer }
kind-TrainingStep-in-loss = The loss to differentiate
kind-TrainingStep-in-loss-fed-by = { -from-loss }
kind-TrainingStep-out-step_complete = Fires when the step has finished
kind-TrainingStep-out-loss_value = The step's loss, for logging

kind-EpochTracker = Counts epochs, averages the loss and accuracy over each, steps the scheduler, and stops training at the end or early when the monitored metric stops improving.
kind-EpochTracker-total_epochs = Number of epochs to train
kind-EpochTracker-log_interval = Steps between logs: the loss averaged over those steps and each update's gradient norm, charted by step (on a GPU, also how often the loss is checked for divergence)
kind-EpochTracker-save_interval = Epochs between checkpoints of the weights
kind-EpochTracker-patience = Early stopping: epochs without improvement before stopping (0 = off)
kind-EpochTracker-min_delta = Early stopping: smallest change that counts as an improvement
kind-EpochTracker-monitor = Early stopping: the metric to watch
kind-EpochTracker-in-step_complete = From TrainingStep
kind-EpochTracker-in-step_complete-fed-by = TrainingStep's `step_complete` output
kind-EpochTracker-in-loss = TrainingStep's loss_value: its running average and the gradient norms are logged every log_interval steps (unconnected: epoch averages only)
kind-EpochTracker-in-accuracy = The training accuracy to track: CrossEntropyLoss's (top 1) or AccuracyMetric's (top k); unconnected, none is
kind-EpochTracker-in-scheduler = A learning-rate scheduler to step after each epoch
kind-EpochTracker-out-epoch_trigger = Starts the next epoch (and validation, in RunEpoch)

kind-RunEpoch = Runs the model over every batch of a sampler. Training on: trains it with the optimizer, driving EpochTracker in place of a TrainingStep. Training off: evaluates it — no gradients, dropout off, the training loop's loss — the validation pass.
kind-RunEpoch-training = Train on the batches (true) or evaluate without gradients (false)
kind-RunEpoch-in-sampler = The batches to run, e.g. the validation set's
kind-RunEpoch-in-sampler-fed-by = { -from-sampler }
kind-RunEpoch-in-model = The network to run
kind-RunEpoch-in-model-fed-by = { -from-model }
kind-RunEpoch-in-optimizer = The optimizer, when training
kind-RunEpoch-in-epoch_num = EpochTracker's epoch_trigger: run once per epoch
kind-RunEpoch-out-epoch_complete = Fires when the pass has finished
kind-RunEpoch-out-epoch_loss = Mean loss over the pass

## Metrics: AccuracyMetric, ClassificationMetrics.
-scores-or-logits = Scores or logits, [batch, classes]

kind-AccuracyMetric = Classification accuracy in percent (0–100): a sample counts when its target is among its top_k scores; also per class. Applies to training and validation.
kind-AccuracyMetric-top_k = How many of the highest scores may hold the target
kind-AccuracyMetric-in-predictions = { -scores-or-logits }
kind-AccuracyMetric-in-predictions-fed-by = { -from-predictions }
kind-AccuracyMetric-in-targets = { -class-indices }
kind-AccuracyMetric-in-targets-fed-by = { -from-batch-targets }
kind-AccuracyMetric-out-accuracy = Percent of samples with the target in the top k

kind-ClassificationMetrics = Precision, recall and F1, averaged as `average` says, and ROC-AUC (binary, or one-vs-rest macro), of the validation pass after every epoch (else of the training batches), charted per epoch — scikit-learn's definitions.
kind-ClassificationMetrics-average = macro: each class counts the same; micro: each sample; weighted: by class size; binary: the positive class alone (two classes)
kind-ClassificationMetrics-positive_class = The class that counts as positive for binary
kind-ClassificationMetrics-roc_auc = Also compute ROC-AUC (sorts every sample's scores each epoch)
kind-ClassificationMetrics-in-predictions = { -scores-or-logits }
kind-ClassificationMetrics-in-predictions-fed-by = { -from-predictions }
kind-ClassificationMetrics-in-targets = { -class-indices }
kind-ClassificationMetrics-in-targets-fed-by = { -from-batch-targets }
