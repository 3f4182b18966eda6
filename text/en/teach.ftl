# The page's words: teaching. Fluent syntax (https://projectfluent.org); see src/core/text.
# What lessons, goals and diagnoses say (src/core/teach): a goal's names and why a goal does not
# read, why a lesson or a draft of one is refused, each diagnosis of a run, and the words of
# Explain mode's titles and formulas.

## The names a goal may read, each with what it is (the lesson editor lists them).
goal-name-loss = the last epoch's validation loss, or its training loss without a validation pass
goal-name-accuracy = the last epoch's validation accuracy, or its training accuracy (0–1)
goal-name-train-loss = the last epoch's training loss
goal-name-train-accuracy = the last epoch's training accuracy (0–1)
goal-name-val-loss = the last epoch's validation loss
goal-name-val-accuracy = the last epoch's validation accuracy (0–1)
goal-name-best-val-loss = the lowest validation loss of the run
goal-name-loss-gap = the last epoch's validation loss minus its training loss
goal-name-precision = the last epoch's precision (ClassificationMetrics, 0–1)
goal-name-recall = the last epoch's recall (ClassificationMetrics, 0–1)
goal-name-f1 = the last epoch's F1 score (ClassificationMetrics, 0–1)
goal-name-roc-auc = the last epoch's ROC-AUC (ClassificationMetrics, 0–1)
goal-name-lr = the learning rate of the last epoch
goal-name-epochs-run = the epochs the run has finished
goal-name-hidden-units = the units of the Network's hidden layers, together
goal-name-hidden-layers = the Network's hidden linear layers
goal-name-run-started = a run has started since the step began
goal-name-run-running = a run is training now
goal-name-run-finished = the run is over: all its epochs, stopped early, or stopped
goal-name-run-diverged = the run's loss blew up (it paused on the last good weights)
goal-name-range-test-done = a learning-rate range test has finished
goal-name-range-test-suggested = the learning rate the range test suggests
goal-name-sweep-finished = a sweep has finished
goal-name-sweep-trials = the trials the sweep has run
# What a test of a goal reads now, when it is true or false.
goal-value-yes = yes
goal-value-no = no

## Why a goal's text is not a goal: a clause after “goal …: ”, with where.
# $at: the character, counted from 1.
goal-error = { $message } (at character { $at })
goal-too-long = it is { $chars } characters long; at most { $max }
# A goal in a file or a link that does not read. $error: one of the messages below.
goal-in-file = goal `{ $goal }`: { $error }
goal-not-a-number = `{ $text }` is not a number
goal-text-not-closed = a text is not closed with `"`
goal-meaningless = `{ $character }` has no meaning in a goal
# $found: a token (a word or a symbol in backticks, goal-token-number, goal-token-text) or goal-found-end.
goal-expected-end = expected `and`, `or` or the end, found { $found }
goal-expected-symbol = expected `{ $symbol }`, found { $found }
goal-found-end = the end
goal-token-number = the number { $number }
goal-token-text = the text "{ $text }"
goal-too-deep = it nests deeper than { $depth } levels
goal-size-of-non-number = only numbers compare by size
goal-empty-range = the range [{ $low }, { $high }] is empty
goal-needs-comparison = a number or a text needs a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=` or `in [a, b]`)
goal-expected-number = expected a number
goal-ends-early = the goal ends where a value was expected
goal-expected-value = expected a value, found `{ $symbol }`
goal-expected-name = expected a name
# $diagnoses: the diagnoses' names, joined by “, ”.
goal-unknown-diagnosis = `{ $name }` is no diagnosis; there are { $diagnoses }
goal-unknown-function = `{ $word }` is no function; there are param_changed, uses and notice
goal-unknown-parameter = no node has a parameter `{ $param }`
# $names: the names of the first group, joined by “, ”.
goal-unknown-name = `{ $name }` is not a name goals know: use one of { $names }, a parameter (`SGDOptimizer.learning_rate`) or `sweep.best.<parameter>`

## A parameter as goals and lessons name it (`SGDOptimizer.learning_rate`), when it names none.
goal-param-not-kind-parameter = `{ $text }` is not `Kind.parameter`
goal-param-not-a-kind = `{ $kind }` is not a kind of node
goal-param-missing = { $kind } has no parameter `{ $param }`
# $known: the kind's parameters, joined by “, ”.
goal-param-missing-known = { $kind } has no parameter `{ $param }`; it has { $known }
goal-param-layers = { $kind }.{ $param } is a list of layers, not a value; use hidden_units, hidden_layers or uses(ReLU)

## Why a lesson (from a link, a file or the lesson editor) is refused: a clause about “it”.
lesson-text-title-long = its title is { $chars } characters long; at most { $max }
lesson-text-no-title = it has no title
lesson-text-summary-long = its summary is { $chars } characters long; at most { $max }
lesson-text-steps = it has { $count } steps; a lesson has 1 to { $max }
lesson-text-files = it brings { $count } data files of { $bytes } bytes; at most { $max } of { $max_bytes } together
lesson-text-file-name-long = a data file's name is { $chars } characters long; at most { $max }
lesson-text-file-unnamed = it brings a data file without a name
lesson-text-step-text-long = the text of its step { $step } is { $chars } characters long; at most { $max }
lesson-text-step-marks = its step { $step } marks more than { $max } highlights or locks
lesson-text-step-highlight = its step { $step } highlights `{ $id }`, which is not a data-testid
lesson-text-question-long = the question of its step { $step } is { $chars } characters long; at most { $max }
lesson-text-step-answers = its step { $step } offers more than { $max } answers
lesson-text-answer-long = an answer of its step { $step } is { $chars } characters long; at most { $max }

## "Make a lesson": what is wrong with a field of the draft, said beside it.
draft-step-says-nothing = the step says nothing: write what the learner should do
draft-answers-without-question = answers without a question: write the question
draft-highlight-unknown = `{ $text }` is neither a kind of node, `Kind.parameter`, nor a control's name (like `loss-chart`)
# $reason: one of the lesson-text messages above.
draft-lesson = The lesson: { $reason }

## The diagnoses of a run: each one's title, its evidence, and the change its button makes.
# $kind: a kind of node; $param: one of its parameters.
diagnosis-set-param = Set { $kind }'s { $param } to { $value }
diagnosis-plateau-title = The loss has stopped falling
# $change: the loss's change in percent, with its sign (“-0.42”). $advice: diagnosis-plateau-scheduled after a space, or nothing.
diagnosis-plateau-evidence = The training loss went from { $before } to { $now } over the last { $epochs } epochs ({ $change }%), and from { $first } since the first.{ $advice } Steps this small make little progress: a larger learning rate takes larger ones.
diagnosis-plateau-scheduled = The schedule has brought the learning rate down to { $now } (from { $set }).
diagnosis-overfitting-title = Overfitting: validation loss is rising
diagnosis-overfitting-evidence = Since epoch { $epoch } the validation loss rose from { $lowest } to { $now } while the training loss fell from { $train_then } to { $train_now }: the gap is now { $gap }. The network is learning its training samples rather than the pattern; weight decay pulls the weights toward zero and keeps the model simpler.
diagnosis-underfitting-title = Underfitting: barely better than guessing
# $accuracy and $chance: percentages.
diagnosis-underfitting-evidence = After { $epochs } epochs the accuracy is { $accuracy }%; guessing among { $classes } classes gets { $chance }%. The network may be too small for this data, or too straight: without a hidden layer and an activation between layers, every boundary it draws is a straight line.
diagnosis-underfitting-add-layer = Add a hidden layer of { $units } ReLU units
diagnosis-underfitting-add-relu = Put a ReLU after each hidden layer
diagnosis-underfitting-widen = Make the hidden layers twice as wide
diagnosis-dead-units-title = Dead units: ReLUs that never fire
diagnosis-dead-units-evidence = { $dead } of the { $units } ReLU units after linear layer { $layer } are zero for every sample: a unit that never fires passes no gradient, so it never learns again. A large learning rate often kills them; LeakyReLU lets a little through below zero.
diagnosis-dead-units-leaky-relu = Use LeakyReLU(0.01) instead of ReLU
diagnosis-gradients-relu = Use ReLU instead of Sigmoid and Tanh
diagnosis-vanishing-title = Vanishing gradients
diagnosis-vanishing-evidence = The gradient's norm is { $first } at the first linear layer and { $output } at the output layer ({ $ratio }× smaller). Each layer multiplies the gradient by its weights and its activation's slope on the way back; Sigmoid's slope is at most 0.25, so through many layers the first ones barely learn.
diagnosis-exploding-title = Exploding gradients
diagnosis-exploding-evidence = The gradient's norm is { $first } at the first linear layer and { $output } at the output layer ({ $ratio }× larger). Each layer multiplies the gradient on the way back; products larger than 1 compound, and steps that large overshoot.

## Explain mode: a parameter, a port and a wire of the graph.
# $what: what the parameter is; $value: its value now.
explained-param-now = { $what } Now: `{ $value }`.
# A port's title. $kind: its node's kind; $port: its name.
explained-input = { $kind }'s { $port } input
explained-output = { $kind }'s { $port } output
# $carried: the type of value the wire carries; $from and $to: kinds of node.
explained-wire-carries = Carries a { $carried } from { $from } to { $to }.

## Explain mode's formulas: each rule, and the same rule with the run's numbers.
## The formulas' symbols are as mathematics writes them.
formula-cross-entropy = L = −mean over samples of log softmax(z)[y]
formula-cross-entropy-probability = e^(−L): the probability the right class gets, on (geometric) average
formula-cross-entropy-guess = a network that guesses: L = ln C
formula-label-smoothing = target = (1 − ε)·one-hot(y) + ε/C
formula-mse = L = mean of (ŷ − y)²
formula-mse-typical-error = √L: a typical error, in the target's units
formula-l1 = L = mean of |ŷ − y|
# The losses the last epoch trained at. $sum: formula-loss-sum after a space, or nothing.
formula-loss-now = L = { $train } (training), { $validation } (validation){ $sum }
formula-loss-sum = (a sum: it grows with the batch)
formula-step-lr = η(e) = η₀·γ^⌊e / step_size⌋  (e: epochs done)
formula-linear-lr = η(e) = η₀·(start + (end − start)·min(e, T)/T)
formula-plateau = after `patience` epochs without improvement: η ← max(η·factor, min_lr)
formula-sequential = e < milestone: the first scheduler; from the milestone: the second, from η₀ again
# After “milestone = 5: ”.
formula-sequential-first = the first is in charge now
formula-sequential-second = the second is in charge now
# Whose learning rate an optimizer's formula shows, in brackets after it.
formula-rate-last-epoch = the last epoch's rate
formula-rate-optimizer = the optimizer's rate
formula-sgd-gradient = g = ∇L  (the gradient of the loss)
formula-adam-decoupled-decay = w ← w·(1 − η·λ)  (decay, apart from the gradient)
formula-adam-bias-correction = m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)  (t: updates so far)
# The last update of each linear layer, with its norms: $step is η·‖∇W‖, $update the step measured.
formula-linear-update = Linear layer { $layer }: the last update
formula-sgd-update = ‖∇W‖ = { $gradient }, so ‖ΔW‖ = η·‖∇W‖ = { $rate }·{ $gradient } = { $step }; measured { $update }
formula-sgd-update-momentum = ‖∇W‖ = { $gradient }, η·‖∇W‖ = { $step }; with momentum's past steps added, the step measured ‖ΔW‖ = { $update }
formula-sgd-update-decay = ‖∇W‖ = { $gradient }, η·‖∇W‖ = { $step }; with the decay added, the step measured ‖ΔW‖ = { $update }
formula-adam-update = ‖∇W‖ = { $gradient }, ‖ΔW‖ = { $update }: each weight moves about η, whatever the gradient's size
# A network's layers.
formula-linear-sizes = W: { $outputs }×{ $inputs }, b: { $outputs } — { $count } parameters
formula-linear-outputs = { $count } outputs
formula-leaky-relu = LeakyReLU: y = x if x > 0, else slope·x
formula-gelu = GELU: y = x·Φ(x)  (Φ: the normal distribution's CDF)
formula-elu = ELU: y = x if x > 0, else α·(eˣ − 1)
formula-dropout = Dropout (training): y = 0 with probability p, else x/(1 − p)
formula-dropout-kept = p = { $p }: kept values ×{ $scale }
formula-layer-norm = LayerNorm: y = γ·(x − mean)/√(var + ε) + β, over a sample's features
formula-batch-norm = BatchNorm1d: y = γ·(x − μ_batch)/√(σ²_batch + ε) + β; running stats for evaluation
formula-batch-norm-running = running ← (1 − { $momentum })·running + { $momentum }·batch
formula-flatten = Flatten: an image's rows side by side
formula-conv2d = Conv2d: each output pixel = b + Σ w·x over a k×k window of the input channels it sees
# $kernels: output channels, $channels: input channels each kernel sees, $kernel: kernel_size.
formula-conv2d-sizes = { $kernels } kernels of { $channels }×{ $kernel }×{ $kernel }{ $bias ->
        [yes] , b: { $kernels }
       *[no] {""}
    } — { $count } parameters
formula-window = kernel_size = { $kernel }, stride = { $stride }, padding = { $padding }
formula-max-pool = MaxPool2d: y = the largest x in each window, channel by channel
formula-avg-pool = AvgPool2d: y = the mean of each window (padding counts as 0), channel by channel
formula-batch-norm-2d = BatchNorm2d: y = γ·(x − μ_batch)/√(σ²_batch + ε) + β per channel, over the batch and every position; running stats for evaluation
formula-dropout-2d = Dropout2d (training): a whole channel = 0 with probability p, else x/(1 − p)
# Before the number of parameters the network learns.
formula-parameters = parameters to learn, in all
