# The page's words: files, links and runs. Fluent syntax (https://projectfluent.org); see src/core/text.
# What is wrong with a CSV file, a link, a graph file, a stored checkpoint or a weights file
# read in, and why a run, a move between devices or a restored state did not go as asked.

## A CSV file that cannot be read as a table. Each follows “it” (the file) or a line number.
# $size, $max: sizes as “1.5 MB”.
csv-file-too-big = it is { $size }; Kindling reads CSV files up to { $max }
csv-file-empty = it is empty
# $at: the first byte that is not UTF-8, counted from 0.
csv-file-not-text = it is not text (UTF-8): byte { $at } is not; save it as UTF-8 CSV
csv-file-no-header = its first line, the header, names no column
csv-file-no-rows = it has a header but no row of data
csv-file-too-many-columns = it has { $count } columns; Kindling reads up to { $max }
csv-file-too-many-rows = it has more than { $max } rows; keep { $max } or fewer
# $index: the column's place in the header, from 1.
csv-file-unnamed-column = column { $index } of the header has no name; name every column
csv-file-long-column-name = column { $index }'s name is longer than { $max } characters
csv-file-comma-in-name = column { $index }'s name `{ $name }` has a comma in it; rename it
csv-file-duplicate-column = two columns are called `{ $name }`; rename one
# A problem on one line of the file; $problem is one of the sentences below, or the CSV reader's own.
csv-file-line-problem = line { $line }: { $problem }
csv-file-field-not-utf8 = a field is not UTF-8 text

## Columns picked from a CSV file that make no dataset.
csv-file-no-column = { $file } has no column `{ $column }`; pick one of its columns
csv-file-target-is-feature = `{ $column }` is the target; it cannot be a feature too
csv-file-no-feature = no column is left as a feature; the file needs one besides the target
csv-file-no-row-fits = no row fits the columns picked
csv-file-no-row-fits-first = no row fits the columns picked (line { $line }: { $problem })
csv-file-one-class = `{ $target }` holds one class, `{ $class }`; a classifier needs two or more (or choose regression)
csv-file-too-many-classes = `{ $target }` holds { $classes } classes; Kindling trains up to { $max } (is it a value? choose regression)
csv-file-cannot-standardise = `{ $column }` cannot be standardised: its values differ too little for their size (line { $line }); leave it out of the features

## Why a row of a CSV file was left out of the samples.
csv-file-row-fields = { $count } fields, and the header has { $columns }
csv-file-row-no-target = no `{ $target }` (the target)
# $value: the field, cut to 24 characters.
csv-file-row-target-not-a-number = `{ $value }` in `{ $target }` (the target) is not a number
csv-file-row-target-too-large = `{ $value }` in `{ $target }` (the target) is past what training's 32-bit floats hold
csv-file-row-no-value = no value in `{ $column }`
csv-file-row-not-a-number = `{ $value }` in `{ $column }` is not a number
csv-file-column-not-a-number = `{ $column }` is not a number: `{ $field }`
# $number: the field's place in the row, from 1.
csv-file-no-field = no field { $number }
# $listed: the first rows left out, each as csv-file-line-problem, joined by “; ”; $more: how many more.
csv-file-left-out = { $count } of { $rows } rows of { $file } left out — { $listed }{ $more ->
        [0] {""}
       *[other] ; and { $more } more
    }

## Why a CSV Dataset node has no samples yet.
csv-file-none-picked = pick a CSV file (the file input in the inspector), or drop one on the canvas
csv-file-no-target = pick the target column of { $file }
# $file: the file's name and size, “iris.csv (4.5 kB)”.
csv-file-not-in-browser = this graph trains on { $file }, which this browser does not hold (the data never leaves the machine it was picked on); pick or drop that file to train

## A file of rows to ask a trained model about that does not fit its inputs.
csv-file-lacks-feature = { $file } has no column `{ $column }`: it needs the dataset's feature columns
csv-file-too-few-columns = { $file } has { $count } columns; the network takes { $features } numbers per input
csv-file-line-error = { $file } line { $line }: { $problem }

## A link, a graph file or an autosaved graph that does not open. Each follows “it” (the
## link or file), as in “This link cannot be opened: it is damaged (…)”.
file-empty = it holds no Kindling experiment
file-too-long = it is too long ({ $length } characters; at most { $max })
# $problem: one of the sentences below that start with “it” or “its”.
file-damaged = it is damaged ({ $problem }); it may have been cut off or edited
# $found: the version it names; $supported: the newest this page reads.
file-newer = it was made by a newer Kindling (format version { $found }; this page reads up to version { $supported }). Nothing was changed: open it with the newer Kindling
file-too-large = it expands past { $bytes } bytes, more than any graph needs; it was not expanded
# $reason: which node would take too much memory, and why.
file-over-budget = it would not fit in the page: { $reason }
file-not-encoded = it could not be encoded ({ $error })
file-lesson-invalid = its lesson: { $problem }
file-view-not-finite = its view holds a number that is not finite
file-view-panned-too-far = its view is panned further than { $max } pixels
file-zoom-outside = its zoom { $zoom } is outside { $min }..={ $max }

## A graph file (JSON) that does not open.
# $error: what the JSON reader says.
file-not-json = it is not JSON: { $error }
file-not-a-graph = it is not a Kindling graph: { $error }
# $format: the name a graph file's "format" holds, kindling-experiment.
file-wrong-format = its "format" is not "{ $format }"
file-unknown-version = its "version" { $version } is not one Kindling wrote

## A share link that does not open or cannot be made.
link-too-many-ports = a node has more than 255 ports
link-not-base64 = it is not base64url text
link-version-zero = its format version is 0, which was never written
link-lesson-unreadable = its lesson does not read: { $error }
link-not-a-graph = its data does not read as a graph
link-bytes-past-end = it has bytes past the end of its graph
link-too-big = it has { $nodes } nodes and { $wires } wires; at most { $max_nodes } and { $max_wires } are allowed
link-compressed-broken = its compressed data is broken

## A graph autosave keeps in this browser: one that does not read, and the titles the
## recent-graphs list gives a graph with no dataset and no network.
file-not-a-saved-graph = it is not a saved graph: { $error }
# $dataset: the dataset's name; $layers: the Network's layers, as “Linear(16) → ReLU → Linear(2)”.
file-title = { $dataset } · { $layers }
file-title-empty-graph = empty graph
file-title-nodes = { $count } nodes

## A checkpoint kept in this browser that does not read.
checkpoint-file-too-large = the stored checkpoint is too large ({ $bytes } bytes)
checkpoint-file-not-a-checkpoint = the stored checkpoint is not a Kindling checkpoint
checkpoint-file-cut-short = the stored checkpoint is cut short
# $version: the format it names; $supported: the newest this page reads.
checkpoint-file-newer = the stored checkpoint was written by a newer Kindling (format { $version }; this one reads { $supported })
checkpoint-file-never-binary = the stored checkpoint claims format { $version }, which was never binary
checkpoint-file-damaged = the stored checkpoint is damaged ({ $error })
checkpoint-file-unreadable = the stored checkpoint is unreadable ({ $error })
checkpoint-file-newer-text = the stored checkpoint text was written by a newer Kindling (format { $version }; texts stopped at format 1)
checkpoint-file-weights-damaged = the stored checkpoint's weights are damaged ({ $error })

## A weights file (burn's record format) that does not load into this graph's Network, or
## weights that could not be read from the device.
# $error: what went wrong, one of the sentences below or the library's own.
weights-file-readback = reading the weights from the device failed: { $error }
weights-file-format = these weights are not a Kindling weights file (burn's record format): { $error }
weights-file-mismatch = these weights do not fit this graph's Network: { $error }
weights-file-fewer-values = fewer values came back than the network has parameters
# $bytes: the file's size; $max: the most this Network's weights can take, both in bytes.
weights-file-too-large = the file is { $bytes } bytes; this graph's Network's weights take at most { $max }
# $name: a tensor's name in the file.
weights-file-unknown-tensor = it holds `{ $name }`, which this network does not have
# $dtype: the file's type of values, as “F16”.
weights-file-not-float32 = `{ $name }` holds { $dtype } values; only float32 weights load
# $shape, $expected: shapes as “[2, 16]”.
weights-file-shape = `{ $name }` has shape { $shape }, where this network has { $expected }
weights-file-not-finite = `{ $name }` holds a value that is not a finite number (at index { $index })
weights-file-missing-tensor = `{ $name }` is missing

## A PyTorch weights file (safetensors) that does not load into this graph's Network.
# $name: the parameter, as PyTorch names it (“layers.0.weight”); $problem: one of the
# sentences below.
weights-file-parameter = { $name }: { $problem }
weights-file-parameter-missing = missing
weights-file-parameter-dtype = { $dtype } values; Kindling takes float32 (F32)
weights-file-parameter-shape = shape { $shape }, expected { $expected }
weights-file-negative-count = a negative count of batches
weights-file-negative-variance = a negative variance
weights-file-parameter-not-finite = holds { $value }; weights must be finite
# $names: the parameters, joined by “, ”.
weights-file-unknown-parameters = this network has no parameter named { $names }

## Why training stopped.
# $which: training or validation; $loss: the loss as it came (NaN, inf); $learning_rate: the rate then.
run-error-diverged = the { $which ->
        [training] training
        [validation] validation
       *[other] { $which }
    } loss became { $loss } in epoch { $epoch }: training diverged. Lower the learning rate (now { $learning_rate }), or the momentum if the optimizer uses it, or set TrainingStep's gradient_clip
# $loss: the loss that blew up, as 1.2346e38; $first: the first batch's loss; $lower_rate: a tenth
# of the rate; $momentum and $gradient_clip: their values, or “none” when they are off.
run-error-non-finite-loss = The loss became { $loss } at batch { $batch } of epoch { $epoch } (it started at { $first }): training diverged and paused, keeping the weights from before the step that blew up. Likely cause: steps too large for this network — the learning rate is { $learning_rate }{ $momentum ->
        [none] {""}
       *[other] {" "}with momentum { $momentum } adding to each step
    }; try { $lower_rate }{ $gradient_clip ->
        [none] , or set TrainingStep's gradient_clip (e.g. 1.0) to bound each step
       *[other] {" "}(gradient_clip is { $gradient_clip })
    }.
run-error-metrics-readback = reading the epoch's metrics from the device failed: { $error }
# What failed to read back (after run-error-metrics-readback).
run-error-no-model = no model
run-error-no-batch = no batch ran in this epoch
run-error-value-missing = value { $index } missing
run-error-fewer-values = fewer values came back than were asked for

## Why a run, a sweep or the learning-rate range test did not start, or stopped.
# $reasons: the compiler's messages, joined by “; ”.
run-error-cannot-train-yet = the graph cannot train yet: { $reasons }
# A sweep's trial whose settings make a graph that cannot train.
run-error-trial-cannot-train = it cannot train: { $reasons }
# A sweep's trial whose worker (its own engine, on a CPU core) stopped.
run-error-worker-failed = its worker failed: { $reason }
# $error: why the weights do not load; $network: the graph's Network, as its layers.
run-error-weights-refused = { $error } (this graph's Network is { $network })
run-error-run-under-way = a run is under way and would share the engine with the test: stop it first (its checkpoint is kept)
run-error-sweep-under-way = a sweep is under way: stop it first
# The range test, stopped before its end.
run-error-range-test-stopped = stopped
# A GPU that stopped answering, when the browser says no more.
run-error-device-read-failed = it stopped answering: a read from it failed
# A message between the page and the engine that does not read.
run-error-message-trailing-bytes = { $count } bytes after the message

## A run moved between the CPU and the GPU, or restored from a checkpoint: the parts of where
## it stood that no longer fit the graph, and start afresh.
run-error-no-webgpu = WebGPU is not ready on this page
run-error-within-epoch = the run is within an epoch
# $part: one of run-error-part-*; $reason: why, one of the sentences below.
run-error-started-afresh = { $part } started afresh ({ $reason })
run-error-part-optimizer = the optimizer's state
run-error-part-accumulation = the gradient accumulation
run-error-part-batch-order = the batch order
run-error-part-schedule = the learning-rate schedule
run-error-no-schedule = the run had none
# $stored, $rule: update rules, as sgd, adam or adamw.
run-error-optimizer-other-rule = it was made by { $stored }, and this graph's optimizer is { $rule }
run-error-optimizer-more-params = it holds { $stored } parameters' state, and this network has { $params } parameters
# $position: the parameter's place in the network, from 0.
run-error-optimizer-buffers = parameter { $position } has { $buffers } buffers, and { $rule } keeps { $kept }
run-error-optimizer-length = parameter { $position } has { $length } values, and its state { $stored }
run-error-optimizer-not-finite = parameter { $position }'s state holds a value that is not a finite number
run-error-optimizer-updates = parameter { $position } counts more updates than the run made
run-error-pending-batches = { $batches } batches are waiting, and an update takes { $steps }
run-error-pending-params = gradients of { $stored } parameters for a network of { $params }
run-error-pending-length = parameter { $position } has { $length } values, and its gradient { $stored }
run-error-pending-not-finite = parameter { $position }'s gradient holds a value that is not a finite number

## Where the GPU stands, beside the backend's choice.
gpu-state-detecting = detecting GPU…
gpu-state-preparing = preparing GPU…
gpu-state-ready = GPU ready
# $adapter: the GPU's name, as the browser gives it.
gpu-state-ready-on = GPU ready: { $adapter }
gpu-state-unavailable = no GPU
gpu-state-lost = GPU lost

## A neuron's formula, in the network's inside view: the terms left out of a long sum.
neuron-formula-more-terms = … { $count } more terms
