# The page's words: the graph model. Fluent syntax (https://projectfluent.org); see src/core/text.
# Why an edit of a graph or a graph from outside (a link, a file, a paste) is refused, the
# rules a wire keeps, what a sweep's values and settings may be, layer lists, changes between
# two graphs, the templates' names and file sizes.

## An edit the graph refuses. $kind: a node's kind (SGDOptimizer); $node: its id (#3).
graph-no-such-node = there is no node { $node }
graph-no-such-param = { $kind } { $node } has no parameter `{ $param }`
# $reason: what is wrong with the value.
graph-invalid-param = { $kind } { $node }: `{ $param }` { $reason }
# $side: input or output; $index: the port's position, from 0.
graph-no-such-port = { $kind } { $node } has no { $side ->
        [output] output
       *[input] input
    } number { $index }
# $reason: serde's description of the problem.
graph-unreadable = the graph file could not be read: { $reason }

## A graph from outside (a link, a file) whose parts make no graph.
graph-shared-id = two nodes share the id { $node }
graph-wire-to-missing-node = a wire ends at node { $node }, which is missing
# $node: the node's number (3); $port: the input's name.
graph-input-wired-twice = input { $node }:{ $port } takes two wires; an input takes one
# $port: the port's name, quoted.
graph-no-such-named-port = { $kind } { $node } has no { $side ->
        [output] output
       *[input] input
    } { $port }

## A parameter's value as messages and tables show it.
# An empty list of numbers (class weights).
graph-value-none = none
graph-value-layers = { $count } layers

## A layer list that does not read, or a layer that cannot take its input. $layer: a layer's
## name (Linear); $what: which of its settings, one of output-size, slope, probability,
## momentum, alpha, beta.
# $shape: the input's shape, [1, 8, 8].
graph-layer-needs-flat-input = { $layer } takes a flat list of features, but its input is { $shape }; put a Flatten layer before it
graph-layer-unclosed = `{ $layer }(` has no closing parenthesis
graph-layer-needs-setting = { $layer } needs its { $what ->
        [slope] slope
        [probability] probability
        [momentum] momentum
        [alpha] alpha
        [beta] beta
       *[output-size] output size
    }, e.g. { $layer }(…)
# $value: what was written for the setting.
graph-layer-setting-not-a-number = { $layer }'s { $what ->
        [slope] slope
        [probability] probability
        [momentum] momentum
        [alpha] alpha
        [beta] beta
       *[output-size] output size
    } `{ $value }` is not a number
graph-layer-linear-width = Linear's output size must be a whole number ≥ 1, not { $width }
graph-layer-unknown = unknown layer `{ $layer }`; use Linear(n), ReLU, LeakyReLU(slope), Tanh, Sigmoid, GELU, ELU(alpha), SiLU, Mish, Softplus(beta), Dropout(p), LayerNorm, BatchNorm1d(momentum), Flatten, Conv2d(channels, kernel), MaxPool2d(kernel), AvgPool2d(kernel), BatchNorm2d(momentum) or Dropout2d(p)
# An image layer's settings, written as PyTorch's arguments: $setting is one of their names
# (kernel_size), $settings all of them joined by commas, $example a layer written whole.
graph-layer-setting-unknown = { $layer } has no setting `{ $setting }` (or it is given twice); it takes { $settings }
graph-layer-needs-named-setting = { $layer } needs its { $setting }, e.g. { $example }
# $value: what was written; $least: the smallest the setting may be (0 or 1).
graph-layer-setting-whole = { $layer }'s { $setting } must be a whole number ≥ { $least }, not `{ $value }`
graph-layer-setting-boolean = { $layer }'s { $setting } is true or false, not `{ $value }`
# $shape: the input's shape, [2].
graph-layer-needs-image = { $layer } takes an image, [channels, height, width], but its input is { $shape }; use it on image data (the digits) and before any Flatten
graph-layer-conv-groups = Conv2d's groups ({ $groups }) must divide both its { $in_channels } input channels and its { $out_channels } output channels; set groups to a number that divides both
# $reach: how many rows or columns one window spans (dilation · (kernel_size − 1) + 1).
graph-layer-window-too-large = { $layer }'s window spans { $reach } pixels, more than its { $height }×{ $width } input with { $padding } of padding on each side; use a smaller kernel_size or dilation, or more padding
graph-layer-pool-padding = { $layer }'s padding ({ $padding }) may be at most half its kernel_size ({ $kernel }), as in PyTorch; use less padding or a larger kernel_size

## What a graph changed from another, in the list of kept runs.
graph-diff-nodes-added = { $count ->
        [one] { $count } node added
       *[other] { $count } nodes added
    }
graph-diff-nodes-removed = { $count ->
        [one] { $count } node removed
       *[other] { $count } nodes removed
    }
graph-diff-rewired = wired differently

## A file's size: bytes, kB, MB or GB ($size: the number, to one decimal).
file-size-bytes = { $count } bytes
file-size-kilobytes = { $size } kB
file-size-megabytes = { $size } MB
file-size-gigabytes = { $size } GB

## Why a wire cannot be made, shown at the pointer (and for a graph from outside). $kind,
## $from_kind, $to_kind: node kinds (Network); $found, $expected: port types (dataset,
## sampler, tensor, model, optimizer, scheduler, trigger, scalar).
wiring-missing-end = that node no longer exists
wiring-self-loop = { $kind } cannot feed itself
wiring-type-mismatch = { $from_kind }'s `{ $from_port }` gives { $found ->
        [optimizer] an optimizer
       *[other] a { $found }
    }, but { $to_kind }'s `{ $to_port }` takes { $expected ->
        [optimizer] an optimizer
       *[other] a { $expected }
    }
wiring-loop = that would make a loop: { $to_kind }'s output already flows into { $from_kind }; only trigger wires may loop back

## A graph past the limits, or an edit that would grow it past them. $max: the limit.
limit-no-room-for-nodes = the graph has { $has } nodes and a graph holds at most { $max }, so { $adding } more do not fit; delete some first
limit-no-room-for-wires = the graph has { $has } wires and a graph holds at most { $max }, so { $adding } more do not fit; delete some first
limit-ids-exhausted = node ids would pass { $max }; export the graph and import it again to renumber
limit-too-many-nodes = it has { $count } nodes; at most { $max } are allowed
limit-too-many-wires = it has { $count } wires; at most { $max } are allowed
limit-next-id-past = its next node id { $next } is past { $max }
limit-node-id-past = node id { $node } is past { $max }
limit-position-not-finite = { $kind } { $node } sits at a position that is not a finite number
limit-position-too-far = { $kind } { $node } sits further than { $max } from the origin
# $param: the parameter's name, quoted.
limit-unknown-param = { $kind } { $node } has no parameter { $param }
# $reason: what is wrong with the stored value.
limit-bad-param = { $kind } { $node }: `{ $param }` { $reason }

## What is wrong with a graph's sweep.
sweep-plan-too-many-params = the sweep varies { $count } parameters; at most { $max } are allowed
sweep-plan-missing-node = the sweep varies a parameter of node { $node }, which is missing
# $param: the parameter's name, quoted.
sweep-plan-unknown-param = the sweep varies { $param }, which { $kind } { $node } does not have
sweep-plan-not-sweepable = { $kind } { $node }: `{ $param }` is a list and cannot be swept
sweep-plan-twice = the sweep varies { $kind } { $node } `{ $param }` twice
# $reason: what is wrong with its values.
sweep-plan-values = the sweep of { $kind } { $node } `{ $param }`: { $reason }
sweep-plan-random-trials = a random search runs 1 to { $max } trials, not { $trials }
sweep-plan-median-rule = the median rule waits 0 to { $epochs } epochs for 1 to { $trials } other trials
sweep-plan-halving = successive halving's first rung is at 1 to { $epochs } epochs and it keeps 1/2 to 1/{ $eta }
sweep-plan-nothing-swept = nothing is swept: turn on “sweep” next to a parameter in the inspector
sweep-plan-no-lane = a sweep needs a lane to train its trials on

## The trials of a sweep.
sweep-plan-no-value = a swept parameter has no value
sweep-plan-grid-too-large = the grid has { $trials } trials; a sweep runs at most { $max } (sample at random instead)
# A grid of more trials than can be counted.
sweep-plan-grid-uncountable = the grid has too many trials; a sweep runs at most { $max } (sample at random instead)

## A swept parameter's values as typed: a list (0.001, 0.03, 1) or a range (1e-4..1 log 5).
sweep-plan-no-layer-lists = give the networks' layer lists, separated by semicolons (Flatten, Linear(9), ReLU, Linear(4); Conv2d(8, 3), ReLU, Flatten, Linear(4))
sweep-plan-no-values = give the values, separated by commas (0.001, 0.03, 1), or a range (1e-4..1 log 5)
sweep-plan-too-many-values = { $count } values; a sweep takes at most { $max } per parameter
# $text: what was written.
sweep-plan-range-start-not-a-number = the range's start “{ $text }” is not a number
sweep-plan-range-end-not-a-number = the range's end “{ $text }” is not a number
sweep-plan-range-form = write a range as start..end, then linear or log, then how many values (1e-4..1 log 5)
sweep-plan-range-count-not-whole = the range's count “{ $text }” is not a whole number
sweep-plan-range-count = a range takes 2 to { $max } values, not { $count }
sweep-plan-log-range-above-zero = a log range needs both ends above zero

## A swept value its parameter does not take. $param: the parameter's name; $takes: what it
## takes (one of the sweep-plan-takes- messages).
# $length: the values' length in bytes.
sweep-plan-values-too-long = the values are { $length } bytes long; at most { $max } are allowed
sweep-plan-not-whole = { $value } is not a whole number
sweep-plan-number-for-other = { $value } is a number; { $param } takes { $takes }
# $value: the name written, quoted.
sweep-plan-not-a-value = { $value } is not a value of { $param }, which takes { $takes }
# $reason: why the parameter refuses the value.
sweep-plan-value-refused = { $value }: { $reason }
sweep-plan-takes-numbers = numbers
sweep-plan-takes-whole-numbers = whole numbers
# $choices: the choices, joined by commas.
sweep-plan-takes-choice = one of { $choices }
sweep-plan-takes-bool = true or false
sweep-plan-takes-list = a list, which cannot be swept
sweep-plan-takes-file = a file or its columns, which cannot be swept

## The templates, as the toolbar's menu names them.
template-basic-loop = Basic loop
template-with-validation = With validation
template-multi-loss = Multi-loss
template-regression = Regression (MSE)
template-digits = Digits classifier
template-digits-cnn = Digits with a CNN
template-shapes-cnn = CNN on shapes
template-mlp-vs-cnn = MLP vs CNN (shapes)
template-blank = Blank

## A parameter's value refused ($value as written; $min and $max, the range it must be in).
param-too-many-entries = has { $count } entries; at most { $max } are allowed
param-too-many-layers = has { $count } layers; at most { $max } are allowed
param-not-finite = { $number } is not a finite number
param-outside = { $number } is outside { $min }..={ $max }
param-not-a-number = expected a number, found `{ $value }`
param-not-a-whole-number = expected a whole number, found `{ $value }`
param-not-a-bool = expected true or false, found `{ $value }`
param-not-a-choice = expected one of { $choices }, found `{ $value }`
param-not-numbers = expected a list of numbers, found `{ $value }`
param-not-a-file = expected a file (sha256:size:name), found `{ $value }`
param-column-comma = is one column; a column's name has no comma
param-column-control = a column's name has no control character
param-not-columns = expected column names, found `{ $value }`
param-no-layer = a network needs at least one layer
param-not-layers = expected a list of layers, found `{ $value }`
param-linear-width = Linear out_features { $value } is outside 1..={ $max }
param-leaky-slope = LeakyReLU negative_slope { $value } is outside 0..=1
param-dropout-p = Dropout p { $value } is outside 0..1 (1 would drop everything)
param-batch-norm-momentum = BatchNorm1d momentum { $value } is outside 0..=1
param-batch-norm2d-momentum = BatchNorm2d momentum { $value } is outside 0..=1
param-dropout2d-p = Dropout2d p { $value } is outside 0..1 (1 would drop everything)
param-window-outside = { $layer } { $field } { $value } is outside { $min }..={ $max }
param-elu-alpha = ELU alpha { $value } is outside 0..={ $max } (above 0)
param-softplus-beta = Softplus beta { $value } is outside 0..={ $max } (above 0: it divides by beta)

## A node's parameter read as the wrong type (a hostile or broken file).
param-unknown = { $kind } { $node } has no parameter `{ $param }`
param-mistyped = { $kind } { $node }: `{ $param }` should be { $expected ->
        [number] a number
        [whole-number] a whole number
        [count] a whole number ≥ 0
        [bool] true or false
        [file] a file
        [columns] column names
        [numbers] a list of numbers
        [layers] a list of layers
        [choice] one of its choices
       *[text] text
    }, but is `{ $found }`
