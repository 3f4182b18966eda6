# The page's frame: its title, top bar, toolbar, sections, the run's readouts, the page-wide
# notices and what the browser's side says went wrong (storage, downloads, the GPU, the
# engine's worker). Fluent syntax (https://projectfluent.org/fluent/guide/); `src/core/text`
# reads it.

## The page's name, tagline and sections.
app-name = Kindling
app-tagline = Wire a training pipeline, press Train, watch it learn.
app-graph-editor = Graph editor
app-training = Training
app-inside = Inside the network

lesson-answer-first = Answer the lesson's question first: guess, then train.

## The run's readouts, each before its number.
metric-train-loss = train loss
metric-train-accuracy = train accuracy
metric-val-loss = val loss
metric-val-accuracy = val accuracy
metric-learning-rate = lr

## The editor's toolbar.
toolbar-label = Editor
toolbar-templates-label = Load a template
toolbar-templates = Templates…
toolbar-undo = Undo
toolbar-undo-title = Undo (Ctrl+Z)
toolbar-redo = Redo
toolbar-redo-title = Redo (Ctrl+Shift+Z)
toolbar-fit = Fit
toolbar-fit-title = Fit the graph in view (.)
toolbar-snap = Snap
toolbar-snap-title = Snap nodes to the grid when moving
toolbar-picture = Graph:
toolbar-picture-title = The whole graph as a picture
toolbar-hint = Drag ports to connect · double-click or Shift+A to add · Del deletes

## Explain mode: its switch in the top bar and its panel.
explain-toggle = ? Explain
explain-toggle-title = Explain mode (?): point at anything to see what it is and why it matters
explain-close = Close Explain mode
explain-hint = Point at anything — a node, a port, a wire, a parameter, a chart, a button — or move the focus with Tab, to see what it is and why it matters. Press ? or Escape to leave.
# $key: what is pointed at, as the page names it (e.g. kind:Linear).
explain-unknown = Nothing explains “{ $key }” yet.
# Before the paragraph on why it matters (the code adds a space after it).
explain-why = Why it matters.

## The notice bar, under the top bar.
notices-dismiss = Dismiss
notices-earlier = { $count ->
    [one] { $count } earlier notice
   *[other] { $count } earlier notices
}
notices-dismiss-all = Dismiss all

## Notices on a run: an edit made while it trains.
# $rate: the new learning rate.
retune-learning-rate = The new learning rate ({ $rate }) applies from the next step; the optimizer keeps its state.
retune-fresh-optimizer = New optimizer settings (learning rate { $rate }) apply from the next step; the optimizer's state (momentum buffers, Adam's moments) starts afresh.
retune-restart = Training stopped: the graph changed in a way a running session cannot take (only optimizer settings such as the learning rate can change mid-run). Press Train to start again with the new graph.

## Notices on a run: weights loaded into a paused run. $from names them (e.g. "the weights
## in kindling-weights-epoch-60.bpk").
loaded-weights = Loaded { $from }. Press Resume to train on from there, or Step.
loaded-weights-alone = Loaded { $from }. It holds the weights alone (an earlier Kindling's): the optimizer's state and the batch order start afresh. Press Resume to train on from there, or Step.
loaded-checkpoint = Loaded { $from }. The run goes on exactly where it stood: the optimizer's state, the batch order and the schedule came along. Press Resume to train on from there, or Step.
# $changes: what started afresh, and why.
loaded-checkpoint-changed = Loaded { $from }. The graph changed since: { $changes }. Press Resume to train on from there, or Step.

## The SVG and PNG buttons beside the graph, the charts and the views.
picture-svg = SVG
picture-png = PNG
# $file: the file's name, e.g. kindling-graph.svg.
picture-save-title = Save this as { $file } (for slides and worksheets)
picture-not-saved = Not saved: { $reason }.
# Why no picture was saved: each reads as $reason above.
picture-browser-failed = the browser could not make the picture
picture-nothing-yet = there is nothing to save yet
picture-unmade = the picture could not be made ({ $error })
picture-no-png = the browser could not make the PNG
picture-undrawn = the browser could not draw the picture ({ $error })

## The banner shown when Kindling itself fails (a bug).
crash-heading = Kindling hit a bug and stopped.
crash-saved = Your graph (“{ $title }”) is saved in this browser: reload the page to go on with it. Only the run in progress is lost.
crash-unchanged = Your graph had not changed since the page opened, so nothing of it is lost: reload the page to go on. Only the run in progress is lost.
crash-not-saved = Your graph could not be saved ({ $reason }); its last autosave is in this browser, under Recent graphs after a reload.
crash-report = Please report it to the Kindling project with the message below, and what you did just before.
crash-message-label = The error message
crash-reload = Reload the page

## The top bar of the page embedded in another (?embed).
embed-edit = Edit
embed-editing = Editing
embed-edit-title = Change the graph here; nothing is saved in this page
embed-open = Open in Kindling ↗

## Kept aside, in the top bar: saved entries that could not be opened.
kept-aside-button = Kept aside ({ $count }) ▾
kept-aside-title = Saved entries that could not be opened, kept in this browser
kept-aside-heading = Kept aside: these could not be opened, and nothing was deleted
# An entry without a title, by its id.
kept-aside-entry = entry { $id }
# $size: in kilobytes, one decimal.
kept-aside-size = { $size } kB
kept-aside-export = Export
kept-aside-export-title = Download the entry as it is stored
kept-aside-delete = Delete
kept-aside-delete-title = Remove it from browser storage

## Why browser storage failed: each reads as a clause after a notice's start ("Autosave
## failed: browser storage is full").
storage-unavailable = browser storage is not available (private mode, or blocked by a setting)
storage-unreadable = browser storage could not be read
storage-full = browser storage is full
storage-unwritable = browser storage could not be changed
# $reason: what the database said (the browser's words, or one of the clauses below).
storage-database-failed = the browser's database failed ({ $reason })
database-aborted = the write was aborted
database-no-index-entry = its index entry could not be made
database-no-entry = its entry could not be made
database-no-stores = its stores are missing

## Why a download or a picked file failed: each reads as a clause after a notice's start.
download-refused = the browser refused to save { $name }
download-no-document = no document
# $size: the file's size; $limit: the most this takes (both with their units).
download-too-large = it is { $size }, larger than the { $limit } this takes
download-unreadable = the browser could not read { $name }

## Why there is no GPU to train on: each reads as a clause after a notice's start.
gpu-no-webgpu = this browser has no WebGPU (navigator.gpu is missing)
gpu-no-adapter = the browser has WebGPU but offers no GPU adapter (switched off, blocklisted, or no GPU)
gpu-no-device = the GPU adapter refused to open a device
gpu-failed = WebGPU could not start ({ $error })

## Why the training engine could not start in a worker, or stopped: each reads as a clause
## in the engine's notices.
engine-link-no-workers = this browser has no Web Workers
engine-link-worker-failed = its worker failed
engine-link-unreadable = a message from the engine could not be read
engine-link-unread = a message from the engine did not read ({ $error })
