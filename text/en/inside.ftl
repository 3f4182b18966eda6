# The page's words: inside. Fluent syntax (https://projectfluent.org); see src/core/text.
# Inside the network: the neuron view, every layer's norms and activations, the first
# layer's weights, the decision boundary, the confusion matrix, the mistakes, and the
# model's answer to a question (the drawing pad's, the plane's).

## The neuron view: each unit's output over the plane, layer by layer.
inside-neurons-caption = Inside the network: each unit's output over the plane
# After the caption, when the network has more linear layers than are drawn.
inside-neurons-first = (its first { $shown } of { $layers } linear layers)
# The columns' titles: the inputs, a hidden layer (its last kind of layer, e.g. ReLU, and
# its units), the outputs.
inside-column-inputs = inputs
inside-column-layer = { $layer } { $units }
inside-column-outputs = outputs
# A wide layer's pager, its buttons ‹ and › named for screen readers.
inside-page = layer { $layer }: units { $first }–{ $last } of { $shown }
inside-page-drawn = ({ $shown } of { $units } units drawn)
inside-page-earlier = Earlier units
inside-page-later = Later units
# The formula line under the units, for what the pointer is on.
inside-formula-hint = Point at a unit or a line to read its formula; click a unit to see it large.
inside-formula-input = { $name }: input { $input } of the point, from −{ $extent } to { $extent }
inside-formula-unit = { $name } = { $formula }
inside-formula-unit-probed = { $name } = { $formula } = { $value } at the probe
inside-formula-output = output { $output } (a raw score; softmax makes the scores probabilities) = { $formula }
inside-formula-weight = weight { $weight } from { $from } into { $to }
# Each unit's button, named for screen readers.
inside-unit-input = Input { $name }
inside-unit = Unit { $name } of layer { $layer }
inside-unit-output = Output { $output } of layer { $layer }
# A unit clicked, shown large over the training data.
inside-large-plot = { $name } over the plane, with the training data
inside-large-help = { $name }, large: where it is orange the unit is positive, blue negative, white near zero; the dots are the training data.
inside-large-close = Close

## Inside every layer: the norms' charts and the activations' histograms.
inside-layers-title = Inside every layer
inside-layers-help = Norms on a log scale. An update near a thousandth of its weights (the dashed guide) is the usual sign of a healthy learning rate; gradients shrinking layer after layer toward the input mean they vanish.
inside-chart-weight = Weight norm ‖W‖ per layer
inside-chart-gradient = Gradient norm ‖∇W‖ per layer
inside-chart-ratio = Update / weight ‖ΔW‖/‖W‖
# The charts' legend: a line per linear layer, and the dashed guide ($guide: 1e-3).
inside-layer-line = Linear { $layer }
inside-layer-guide = guide { $guide }
# The readout under the pointer: the norm's symbol ($name), then each layer's value
# (`inside-readout-layer`, joined by commas).
inside-readout = epoch { $epoch }: { $name } { $values }
inside-readout-layer = layer { $layer } { $value }
inside-histogram-title = Layer { $layer } activations
inside-histogram-label = Histogram of layer { $layer }'s activations on a fixed batch
inside-histogram-range = values from { $low } to { $high }
inside-histogram-dead = values from { $low } to { $high }; { $dead } of { $units } ReLU units never fire on this batch ({ $share }%)

## The first layer's weights as images (image data).
inside-input-weights = The first layer's weights, one image per unit
inside-input-weights-some = The first layer's weights, one image per unit (the first { $shown } of { $units })
inside-input-weights-unit = The weights into unit { $unit } of the first layer

## The decision boundary (2-D data).
boundary-title = Decision boundary
# The same plot for a regression.
boundary-surface = Fitted surface
boundary-click = Click to ask the model about a point
boundary-points = The training data over the model's predictions

## The confusion matrix. $samples is which samples it counts: training or validation.
confusion-corner = true \ predicted
confusion-accuracy = accuracy
confusion-accuracy-value = { $percent }%
confusion-caption = Confusion matrix, { $samples ->
        [training] training
        [validation] validation
       *[other] { $samples }
    } samples

## The mistakes: the samples the model gets wrong. $samples as in the confusion matrix.
mistakes-title = Mistakes: { $wrong } { $samples ->
        [training] training
        [validation] validation
       *[other] { $samples }
    } { $wrong ->
        [one] sample
       *[other] samples
    } wrong
mistakes-title-kept = Mistakes: { $wrong } { $samples ->
        [training] training
        [validation] validation
       *[other] { $samples }
    } { $wrong ->
        [one] sample
       *[other] samples
    } wrong (the first { $kept } kept)
mistakes-show-all = Show all { $count }
# One mistake: its number among the samples, its inputs (a point, or a row's values),
# its true class and the class predicted.
mistakes-item = #{ $sample }: { $inputs } — { $label } taken for { $predicted }
# A digit's mistake, beside its image.
mistakes-taken-for = { $label } taken for { $predicted }
mistakes-ask = Ask the model about this sample

## Asking the model: the drawing pad, and its answer where it was asked.
probe-draw-title = Draw a digit
probe-pad = Drawing pad: draw with the mouse, a pen or a finger
probe-pad-clear = Clear
# What was asked, then the answer: "At (0.5, -1): class 1".
probe-at-point = At ({ $x }, { $y })
probe-drawing = Your drawing
probe-row = This row
probe-answer = { $asked }: { $answer }
# A class without a name (data other than a CSV's).
probe-class = class { $class }
# A class's probability, beside its bar.
probe-share = { $percent }%
