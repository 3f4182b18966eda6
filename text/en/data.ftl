# The page's words: data. Fluent syntax (https://projectfluent.org); see src/core/text.

## A CSV Dataset's panel in the inspector: the file, its columns and what the data came to.
csv-pick = Pick a CSV file…
csv-pick-title = A CSV file: a header line, then a row per sample
csv-no-file = No file yet: pick one, or drop it on the canvas. It stays in this browser.
csv-file-held = { $file } · { $rows ->
    [one] { $rows } row
   *[other] { $rows } rows
} · { $columns ->
    [one] { $columns } column
   *[other] { $columns } columns
}
csv-file-not-held = { $file } is not in this browser: pick it to train
csv-file-hash = sha256 { $sha256 }
csv-target = target
csv-target-help = The column to predict
csv-features = features
csv-samples-features = { $samples ->
    [one] { $samples } sample
   *[other] { $samples } samples
}, { $features ->
    [one] { $features } feature
   *[other] { $features } features
}
csv-classes = { $count ->
    [one] { $count } class
   *[other] { $count } classes
}: { $labels }
csv-stats-caption = Features, standardised as (x − mean) / std
csv-stats-column = column
csv-stats-mean = mean
csv-stats-std = std
csv-stats-min = min
csv-stats-max = max
csv-limits = Files up to { $size } and { $rows } rows; the data stays in this browser.
csv-refused = Refused: { $reason }

## Notices about CSV files: picked, dropped, kept in this browser or looked for there.
csv-given = { $file } ({ $summary }) is the Dataset's data.
csv-rows-columns = { $rows ->
    [one] { $rows } row
   *[other] { $rows } rows
}, { $columns ->
    [one] { $columns } column
   *[other] { $columns } columns
}
csv-differs = It differs from the file the graph was made with.
csv-kept-for-this-visit = It is kept for this visit only: { $reason }.
csv-copy-of = a copy of { $name }
csv-not-a-dataset = { $name } cannot be used as a dataset: { $reason }.
csv-unreadable = { $name } could not be read: { $reason }
csv-not-set = { $name } could not be set on the Dataset: { $reason }
csv-lesson-file-unreadable = The lesson's data file { $name } cannot be read: { $error }.
csv-stored-copy-unreadable = The copy of { $file } kept in this browser cannot be read: { $error }
csv-storage-unreadable = { $file } could not be looked for in this browser's storage: { $reason }
csv-file-missing = This graph trains on { $file }, which this browser does not hold (the data stays on the machine it was picked on): pick it in the Dataset's inspector, or drop it on the canvas.

## Asking the model about a row of the CSV's data.
csv-probe-title = Ask the model about a row
csv-probe-next-sample = Next sample's values
csv-probe-not-a-number = { $feature }: “{ $text }” is not a number
