# The page's frame: its title, top bar, sections, the run's readouts and the page-wide
# notices. Fluent syntax (https://projectfluent.org/fluent/guide/); `src/core/text` reads it.

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
