# The page's words: run. The run controls and progress, the backend, the weights bar, the
# runs compared, the charts, the diagnoses and the run's notices. Fluent syntax
# (https://projectfluent.org); see src/core/text.

## The run controls: each button, then its tooltip.
run-train = Train
run-train-title = Train the graph from fresh weights
run-resume = Resume
run-resume-title = Go on training
run-pause = Pause
run-pause-title = Pause after the current batch
run-step = Step
run-step-title = Run one batch, then pause
run-step-epoch = Epoch
run-step-epoch-title = Run to the end of the epoch, then pause
run-stop = Stop
run-stop-title = Stop; the charts stay
run-reset = Reset
run-reset-title = Stop and clear the charts: the next run starts from fresh weights

## Where the run stands: the label before it, and each status.
run-status = status:
run-status-idle = idle
run-status-training = training
run-status-paused = paused
run-status-done = done
run-status-error = error

## The progress bar: "epoch 3/10 · batch 2/5 · 1200 samples/s · 4.2 s left".
run-progress = Epoch progress
# Before the epochs done and planned.
run-progress-epoch = epoch
# Before the batches done and in an epoch.
run-progress-batch = batch
# $rate: samples per second, or "—" before the first measure.
run-samples-per-second = { $rate } samples/s
run-time-left = { $seconds } s left

## Notices of the run.
run-not-compiling = The graph cannot train yet: { $errors }
# $from: weights-from-checkpoint or weights-from-file.
run-load-not-compiling = Cannot load { $from }: the graph cannot train yet: { $errors }
run-refused = Training cannot start: { $reason }.
run-load-refused = Cannot load { $from }: { $reason }.
run-stopped-early = Stopped early after epoch { $epoch }: the monitored metric stopped improving.

## Notices of the training engine.
run-engine-on-page = Training runs on this page's thread: a worker could not start ({ $reason }). The page may answer slowly while it trains.
run-engine-failed = The training engine could not start: { $reason }.
run-engine-restarting = The training engine stopped: { $reason }. A fresh engine is starting; press Train to go on (your graph and its checkpoint are kept).
run-engine-stopped = The training engine stopped: { $reason }. Reload the page to train again (your graph is saved).

## The diagnoses: a change to try ($change, e.g. "Set SGDOptimizer's learning_rate to 0.3").
run-diagnosis-try = Try it: { $change }
run-diagnosis-tried = { $change }. Train again to see the difference (Undo takes it back).
run-diagnosis-not-applied = { $change } was not applied: { $reason }.
run-diagnosis-node-gone = its node is no longer in the graph

## The runs compared: the table's heading and columns, and each run's row.
run-compared = Runs compared ({ $count } kept)
run-column-run = run
run-column-diff = its settings → the graph now
run-column-final = at its end
run-column-time = time / epoch
run-this = this run
# What an earlier run had that the graph now has not: nothing.
run-diff-none = the graph as it is now
# An earlier run, in the table and on the charts' legends: the latest, then the others.
run-legend-previous = previous run
run-legend-number = run { $number }
# The last epoch's metrics: validation's where the graph validates.
run-final = epoch { $epoch }: loss { $loss }
run-final-accuracy = epoch { $epoch }: loss { $loss }, accuracy { $accuracy }%
run-time-per-epoch = { $milliseconds } ms

## The backend: the picker, its options, and what TrainingStep says of its precision (a
## short line, then the full sentence).
backend-label = backend
backend-select = Backend
backend-webgpu = WebGPU
backend-webgpu-title = Train on the GPU through WebGPU
backend-cpu = CPU
backend-cpu-title = Train on the CPU (WebAssembly)
backend-precision-f16 = f16 compute
backend-precision-f16-full = mixed precision: computes in f16 (shader-f16)
backend-precision-no-f16 = f32: GPU lacks shader-f16
backend-precision-no-f16-full = mixed precision: f32: this GPU has no shader-f16
backend-precision-cpu = f32: no f16 on the CPU
backend-precision-cpu-full = mixed precision: f32 on the CPU: f16 needs WebGPU with shader-f16

## The backend's notices ($backend: cpu or webgpu).
backend-gpu-unavailable = Training runs on the CPU: { $reason }.
backend-gpu-lost = The GPU was lost ({ $reason }): training runs on the CPU.
backend-gpu-refused = WebGPU cannot be used: { $reason }. Training runs on the CPU.
backend-moved = Training moved to { $backend } after epoch { $epoch }, with the optimizer's state and the batch order.
# $afresh: what started afresh, e.g. "the optimizer's state started afresh (…)".
backend-moved-afresh = Training moved to { $backend } after epoch { $epoch }, but { $afresh }.
backend-move-refused = Training stays on { $backend }: { $reason }
backend-failed = The GPU was lost ({ $reason }). Training goes on on the CPU from the weights of epoch { $epoch }.
backend-failed-afresh = The GPU was lost ({ $reason }). Training goes on on the CPU from fresh weights (no copy of the trained ones had been taken yet).

## The weights bar: the checkpoint, Restore, Download and Load.
weights-checkpoint = checkpoint:
weights-checkpoint-none = none
weights-checkpoint-epoch = epoch { $epoch }
weights-restore = Restore checkpoint
weights-restore-title = Go back to this graph's last checkpoint, paused there: the weights, the optimizer's state and the batch order
weights-download = Download weights
weights-download-title = Download the trained weights (burn's record format)
weights-load = Load weights…
weights-load-title = Load weights saved from a graph with the same Network

## Where restored or loaded weights came from, as the notices name them.
weights-from-checkpoint = the checkpoint of epoch { $epoch } ({ $network })
weights-from-file = the weights in { $file }

## The weights bar's notices.
weights-no-checkpoint = This graph has no checkpoint yet: train first.
weights-checkpoint-unreadable = No checkpoint could be read: { $reason }.
weights-checkpoint-not-restored = The checkpoint cannot be restored: { $reason }.
weights-load-not-compiling = Cannot load the weights in { $file }: the graph does not compile yet; fix what it says first.
weights-load-too-large = Cannot load the weights in { $file }: the file is { $size } bytes; this graph's Network's weights take at most { $max }.
weights-not-loaded = The weights could not be loaded: { $reason }.

## The metric charts: captions, the x axis, the lines' legends and the log-scale toggle.
chart-loss-title = Loss
chart-accuracy-title = Accuracy
chart-learning-rate-title = Learning rate
chart-class-metrics-title = Precision, recall, F1, ROC-AUC
chart-axis-epoch = epoch
chart-axis-step = step
chart-train = train
chart-validation = validation
chart-precision = precision
chart-recall = recall
chart-f1 = F1
chart-roc-auc = ROC-AUC
# A legend, and the learning rate's name in its readout.
chart-learning-rate = learning rate
chart-log-scale = log-scale loss

## The readout under a chart, for the epoch under the pointer.
# $metric: chart-loss, chart-accuracy or chart-learning-rate.
chart-loss = loss
chart-accuracy = accuracy
chart-readout = epoch { $epoch }: { $metric } { $value }
chart-readout-validation = epoch { $epoch }: { $metric } { $value }, validation { $validation }
chart-class-metrics-readout = epoch { $epoch }: precision { $precision }, recall { $recall }, F1 { $f1 }
chart-class-metrics-readout-auc = epoch { $epoch }: precision { $precision }, recall { $recall }, F1 { $f1 }, ROC-AUC { $auc }

## The step charts: the running loss and the gradient norm, with the clipping threshold.
chart-step-loss-title = Loss, averaged over every { $interval } steps
chart-gradient-norm-title = Gradient norm before clipping
# Also the metric's name in the step readout.
chart-running-loss = running loss
chart-gradient-norm = gradient norm
chart-gradient-clip = gradient_clip { $clip }
chart-step-readout = step { $step }: { $metric } { $value }
