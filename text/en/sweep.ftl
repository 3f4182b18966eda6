# The page's words: sweep. Fluent syntax (https://projectfluent.org); see src/core/text.
# The Sweep panel (its plan, settings, controls, results table and charts) and the
# learning-rate range test on an optimizer's inspector.

## The Sweep panel's head: its name and what the sweep will run.
sweep-heading = Sweep
sweep-hint = Compare settings: turn on “sweep” beside any number or choice in the inspector, give its values (0.001, 0.03, 1 or 1e-4..1 log 5), then run every combination here.
# $params: the swept parameters, each as “SGDOptimizer #3 learning_rate”, joined by “ × ”.
sweep-plan = { $trials ->
        [one] 1 trial
       *[other] { $trials } trials
    } over { $params }

## The sweep's settings: how trials are searched and which stop early.
sweep-setting-refused = That sweep setting is refused: { $reason }
# Before the search's choice.
sweep-search = search
sweep-search-grid = every combination (grid)
sweep-search-random = at random
# Before the number of random trials.
sweep-random-trials = trials
# Before the random search's seed.
sweep-random-seed = seed
sweep-pruning-title = Stop trials that are doing badly, as Optuna and Ray Tune do
# Before the pruning rule's choice.
sweep-pruning = stop bad trials early
sweep-pruning-off = no
sweep-pruning-median = median rule
sweep-pruning-asha = successive halving (ASHA)
sweep-warmup-title = Judge no trial before this epoch
# Before the epoch the median rule starts judging at.
sweep-warmup = after epoch
sweep-min-trials-title = Judge against at least this many other trials
# Before and after the least number of other trials the median rule judges against.
sweep-min-trials-before = against ≥
sweep-min-trials-after = trials
sweep-median-help = A trial stops when its best so far is below the median of the other trials at the same epoch.
sweep-min-epochs-title = The first rung
# Before successive halving's first rung.
sweep-min-epochs = rungs from epoch
sweep-eta-title = Rungs at min × η^k; the top 1/η go on
# Before successive halving's η.
sweep-eta = η
# $rungs: the first rungs' epochs, “5, 15, 45, 135, …”.
sweep-asha-help = At epochs { $rungs }: only the top 1/{ $eta } of the trials that reached it go on.

## The sweep's controls and where it stands.
sweep-run-title = Train the graph once per trial, as many at once as there are workers
sweep-run = Run sweep
sweep-workers-title = Trials trained at once, each in a worker of its own on a CPU core
# Before the number of workers.
sweep-workers = workers
sweep-resume = Resume
sweep-pause = Pause
sweep-stop = Stop
# Before where the sweep stands.
sweep-status = sweep:
sweep-status-idle = idle
sweep-status-running = running
sweep-status-paused = paused
sweep-status-done = done
sweep-status-stopped = stopped
sweep-cannot-run = The sweep cannot run: { $reason }
sweep-trials-ended = { $finished } of { $trials } trials ended
sweep-epochs-saved = pruning saved { $saved ->
        [one] 1 epoch
       *[other] { $saved } epochs
    }
# $settings: the trial's settings, “lr = 0.01, momentum = 0.9”.
sweep-best = best: trial { $trial } ({ $settings })

## The results table: its column heads, a trial's state, and applying a trial.
sweep-column-trial = trial
sweep-column-state = state
# The monitored metric's final value; $metric as sweep-monitor-* reads it.
sweep-column-final = final { $metric }
sweep-column-best = best
# Another metric's final and best value.
sweep-column-metric = { $metric } final / best
sweep-column-epochs = epochs
sweep-column-time = time / epoch
# A trial's time per epoch, $ms already rounded.
sweep-time-per-epoch = { $ms } ms
sweep-trial-queued = queued
sweep-trial-running = running
sweep-trial-done = done
sweep-trial-pruned = pruned
sweep-trial-diverged = diverged
sweep-trial-failed = failed
sweep-trial-stopped = stopped
sweep-apply-title = Write this trial's settings into the graph
sweep-apply = Apply
# $settings: the trial's settings, “lr = 0.01, momentum = 0.9”.
sweep-applied = Trial { $trial }'s settings ({ $settings }) are in the graph; Undo takes them back.
sweep-apply-refused = Trial { $trial }'s settings no longer fit: { $reason }

## The metrics as the table and the charts name them.
sweep-metric-train-loss = train loss
sweep-metric-train-accuracy = train accuracy
sweep-metric-val-loss = val loss
sweep-metric-val-accuracy = val accuracy
# A metric where lower is better, negated so that higher reads as better.
sweep-metric-negated = −{ $metric }
# The table's column when no metric is monitored.
sweep-metric-none = value

## The sweep's charts.
sweep-curves-caption = { $metric } per epoch, every trial
sweep-curves-epoch = epoch

## The learning-rate range test, on an optimizer's inspector.
range-run-title = Train a throwaway copy for a few hundred batches while the rate grows from 1e-5 to 10; plot the loss
range-run = Find a learning rate
range-help = Leslie Smith's range test: the loss against a growing rate shows where training is fastest.
range-testing = testing… batch { $batches } of at most { $total }
range-must-train = the graph must train first: { $reasons }
range-cannot-run = the test cannot run now: { $reason }
range-engine-stopped = the engine stopped
range-chart-rate = learning rate
range-tested-exploded = { $batches } batches, until the loss exploded.
range-tested-to-end = { $batches } batches, to the end of the range.
# Before and after the suggested rate, which is drawn as a green line on the chart.
range-fastest-before = Fastest fall at
range-fastest-after = (green line).
range-use = Use { $rate }
range-never-fell = The loss never fell: no rate to suggest.
