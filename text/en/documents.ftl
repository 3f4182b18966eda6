# The page's words: documents. Fluent syntax (https://projectfluent.org); see src/core/text.
# The top bar's graph files (Recent graphs, Import, Export, Share), the Export as… menu, the
# Stored panel, checkpoints, autosave and the entries kept aside.

## The document bar, top right: Recent graphs, Import, Export, Share.
document-bar = Graph files and sharing
document-recent = Recent graphs ({ $count })
document-recent-label = Open a recent graph
document-recent-hint = Graphs autosaved in this browser, newest first
# One graph of Recent graphs: its title and when it was saved ($saved: document-saved-…).
document-recent-entry = { $title } · { $saved }
document-recent-entry-this-tab = { $title } (this tab) · { $saved }
document-saved-just-now = just now
document-saved-minutes-ago = { $count } min ago
document-saved-hours-ago = { $count } h ago
document-import = Import…
document-import-hint = Open a graph file (.json); dropping one on the canvas works too
document-export = Export
document-export-hint = Download the graph as readable JSON
document-share = Share
document-share-hint = Copy a link that opens this experiment
document-share-link = Link to this experiment

## The document bar's notices: sharing, exporting, importing and dropping files.
document-share-failed = This graph cannot be shared: { $reason }.
document-share-no-address = The page has no address to share.
document-share-copied = Link copied to the clipboard ({ $count ->
        [one] { $count } character
       *[other] { $count } characters
    }).
document-share-copy-it = Here is the link ({ $count ->
        [one] { $count } character
       *[other] { $count } characters
    }): copy it from the box next to Share.
document-export-failed = The graph could not be exported: { $reason }.
document-import-too-large = { $name } cannot be imported: it is larger than { $size } MiB.
document-import-not-text = it is not text
document-import-failed = { $name } cannot be imported: { $reason }.
document-imported = Imported { $name }. Undo brings back the graph before.
document-drop-csv-no-dataset = Add a Dataset node to train on a CSV file, then drop the file again.

## Opening a shared link or a recent graph (notices).
document-link-cannot-open = This link cannot be opened: { $reason }.
document-link-opened = Opened the shared graph.
document-link-opened-kept = Opened the shared graph. Your own graphs are kept under Recent graphs.
document-recent-gone = it is no longer in browser storage
document-recent-opened = Opened “{ $title }” from Recent graphs.
document-recent-failed = That graph cannot be opened: { $reason }.

## Autosave's notices.
autosave-off = Autosave is off: { $reason }. Use Export JSON or Share to keep your graph.
autosave-failed = Autosave failed: { $reason }. Your graph is still here; use Export JSON to keep a copy.
autosave-other-tab = This graph was also open in another tab; this tab now saves its own copy (both are under Recent graphs).

## Entries kept aside: saved graphs that do not read, a load that did not finish, the oldest
## graphs past the recent limit (notices, and the title of a shared link kept aside).
autosave-newer = { $count } saved graph(s) were made by a newer Kindling; they are left as they are, for it to open.
autosave-unreadable-kept = A saved graph could not be read ({ $reason }); it is kept in browser storage under “{ $key }”, and the editor starts without it.
autosave-unreadable-stays = A saved graph could not be read ({ $reason }); it stays in browser storage under “{ $key }”, and the editor starts without it.
autosave-aside-link = a shared link ({ $count ->
        [one] { $count } character
       *[other] { $count } characters
    }), not opened
autosave-aside-export-failed = The entry could not be exported: { $reason }.
autosave-aside-deleted = Deleted the entry kept aside.
autosave-aside-delete-failed = The entry could not be deleted: { $reason }.
autosave-interrupted = The last load of this tab did not finish, so Kindling started with the default graph.
autosave-interrupted-kept-graph = The last load of this tab did not finish, so Kindling started with the default graph. Kept aside (in the top bar): the graph this tab had open, to export or delete.
autosave-interrupted-kept-link = The last load of this tab did not finish, so Kindling started with the default graph. Kept aside (in the top bar): the shared link it was opening, to export or delete.
autosave-interrupted-kept-both = The last load of this tab did not finish, so Kindling started with the default graph. Kept aside (in the top bar): the graph this tab had open and the shared link it was opening, to export or delete.
# $titles: the graphs moved, each as autosave-pruned-title, separated by commas.
autosave-pruned = Recent graphs keeps the { $count } newest, so the oldest moved to Kept aside (in the top bar), to export or delete: { $titles }.
autosave-pruned-title = “{ $title }”

## The Export as… menu, beside Export.
export-menu = Export as… ▾
export-menu-hint = Export as a PyTorch program, a burn project, metrics or trained weights
export-heading = Export this experiment as
export-pytorch = PyTorch program
export-pytorch-detail = train.py, torchrun-ready, with the data and initial weights (.zip)
export-burn = Rust (burn) project
export-burn-detail = cargo run --release, on the CPU or the GPU (.zip)
export-metrics = Metrics (CSV)
export-metrics-detail = every epoch shown, this run's and the runs kept
export-safetensors = Trained weights (safetensors)
export-safetensors-detail = PyTorch's names and layouts: load_state_dict, train.py --weights
# What the exported programs do differently from Kindling. $option is the command-line
# option, shown as code.
export-notes-same = The programs compute what Kindling computes: with { $option } (PyTorch) and in the burn project they start from Kindling's weights and batches.
export-notes-differ = Where the programs differ from Kindling:
export-notes-none = No program yet: { $reason }.

## The Export as… menu's notices (and Download weights').
export-program-failed = The program could not be exported: { $reason }.
export-weights-failed = The weights could not be downloaded: { $reason }.
export-metrics-failed = The metrics could not be exported: { $reason }.
export-no-weights = There are no trained weights yet: train first.

## The Stored panel, in the top bar: what this browser keeps for Kindling.
stored-button = Stored ▾
stored-button-hint = Graphs, checkpoints and data files kept in this browser
stored-reading = Reading what is stored…
stored-usage = Kindling keeps { $size } here.
stored-usage-estimate = Kindling keeps { $size } here; the site uses { $used } of the { $quota } the browser allows it.
stored-usage-kept-aside = Kept aside (in the top bar): { $count ->
        [one] { $count } graph
       *[other] { $count } graphs
    } that did not open, { $size }.
stored-usage-failure = Some could not be listed: { $reason }.
# A section's heading and the size of what it lists.
stored-section = { $heading } · { $size }
stored-graphs = Graphs
stored-checkpoints = Checkpoints
stored-data-files = Data files
stored-none = None
stored-open-here = { $title } (open here)
stored-export = Export
stored-export-hint = Download it
stored-delete = Delete
stored-delete-hint = Remove it from this browser
stored-delete-open-hint = Open in this tab
stored-notes = When storage is full, Kindling deletes copies of data files no graph uses, then other graphs' checkpoints, oldest first, and says which. Graphs are only deleted here.
# The titles of what is stored, where they have none of their own.
stored-checkpoint-title = { $title }, epoch { $epoch }
stored-checkpoint-untitled = an untitled graph, epoch { $epoch }
stored-entry = entry { $id }

## The Stored panel's notices, and what they call each item.
stored-delete-open-graph = That graph is open in this tab: open another graph first, or Delete its nodes.
stored-deleted = Deleted { $item }.
stored-delete-failed = Could not delete { $item }: { $reason }.
stored-export-failed = Could not export { $item }: { $reason }.
stored-gone = it is no longer stored
stored-item-graph = the graph “{ $title }” ({ $size })
stored-item-checkpoint = the checkpoint of “{ $title }” ({ $size })
stored-item-data-file = the copy of { $title } ({ $size })
# When a write found storage full: $what is what was kept, $deleted what was deleted for it.
stored-made-room = Browser storage was full: to keep { $what }, deleted { $deleted }.

## Checkpoints (notices).
checkpoint-made-room-for = this checkpoint
checkpoint-not-saved-title = Checkpoint not saved
checkpoint-not-saved = { checkpoint-not-saved-title }: { $reason }. Training goes on; Download weights keeps what it has learned.
