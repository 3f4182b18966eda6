# The page's words: editor. Fluent syntax (https://projectfluent.org); see src/core/text.

## The canvas: its name, the nodes' and ports' names for screen readers, the minimap.
editor-canvas = Training graph editor
editor-minimap = Minimap
editor-node = { $kind } node { $id }
editor-node-with-errors = { $kind } node { $id }, has errors
editor-port-input = input { $port } ({ $carries })
editor-port-output = output { $port } ({ $carries })

## A node's parameter lines on the canvas, after `file = ` or `features = `.
editor-param-no-file = none yet
editor-param-all-columns = all others

## A node's summary, when the canvas is zoomed out too far to read every parameter.
editor-summary-on = on
editor-summary-off = off
editor-summary-no-file = csv: no file
editor-summary-classes = { $count ->
    [one] { $count } class
   *[other] { $count } classes
}
editor-summary-values = values
editor-summary-samples = { $count ->
    [one] { $count } sample
   *[other] { $count } samples
}

## Edits refused, shown at the pointer: a read-only graph, a lesson's lock, a wire between
## two outputs or two inputs.
editor-read-only = This graph is read-only here: press Edit to change it (your changes stay in this page).
editor-param-locked = { $param } is locked in this step of the lesson
editor-wire-output-to-output = an output connects to an input, not to another output
editor-wire-input-to-input = an input connects to an output, not to another input

## Pasting nodes, refused: what the clipboard holds, and why it does not paste.
editor-paste-no-nodes = the clipboard holds no Kindling nodes
editor-paste-too-many = the clipboard holds { $count } nodes; at most { $most } paste at once
editor-paste-too-long = the clipboard holds { $size } MiB of text, more than any copied nodes (at most { $most } MiB paste)
editor-paste-refused = the copied nodes cannot be pasted: { $reason }
editor-paste-too-big = the copied nodes would not fit in the page: { $reason }

## The palette and the add-menu (double-click, Shift+A, or a wire dropped on the canvas).
palette-label = Add a node
palette-menu-add = Add a node
palette-menu-connect = Connect to a new node
palette-search = Search nodes
palette-search-placeholder = Search nodes…
palette-category-data = Data
palette-category-network = Network
palette-category-loss = Loss
palette-category-optimizer = Optimizer
palette-category-training = Training
palette-category-metrics = Metrics

## The inspector: the selected node's parameters, their controls and refusals.
inspector-label = Inspector
inspector-hint = Select a node to see its settings. Double-click the canvas or press Shift+A to add one.
inspector-selected = { $count ->
    [one] { $count } node selected.
   *[other] { $count } nodes selected.
}
inspector-range = { $min } to { $max }
inspector-locked = Locked in this step of the lesson.
inspector-refused = Refused: { $reason }
inspector-not-a-number = `{ $text }` is not a number
inspector-not-a-whole-number = `{ $text }` is not a whole number
inspector-weight-per-class = a weight per class
inspector-class = class { $class }

## A parameter's sweep: its switch, the values it takes and how many there are.
inspector-sweep = sweep
inspector-sweep-title = Try several values of this parameter in a sweep (see Sweep, under the charts)
inspector-sweep-values = values of { $param } to sweep
inspector-sweep-values-placeholder = 0.001, 0.03, 1  or  1e-4..1 log 5
inspector-sweep-count = { $count ->
    [one] { $count } value
   *[other] { $count } values
}
