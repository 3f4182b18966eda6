//! The files a graph names, read safely: graph files and CSV files, each bounded in size,
//! regular files only, bare names only.

use kindling::core::data::csv_data::{self, CsvSelection, CsvTable};
use kindling::core::data::csv_store;
use kindling::core::document::graph_file;
use kindling::core::model::catalogue::{DatasetParams, NodeKind};
use kindling::core::model::choices::DatasetKind;
use kindling::core::model::file_ref::FileRef;
use kindling::core::model::graph::Graph;
use kindling::core::model::node_id::NodeId;

/// Reads the CSV file of every csv Dataset of `graph`: `data` when given (the graph then
/// trains on it, whatever file it was made with), else the file of the name the graph
/// gives, beside the graph file at `path` — which must be the very file (its SHA-256).
pub(crate) fn load_csv_files(
    graph: &mut Graph,
    path: &str,
    data: Option<&std::path::Path>,
) -> Result<(), String> {
    let datasets: Vec<(NodeId, Option<FileRef>)> = graph
        .nodes_of(NodeKind::Dataset)
        .filter_map(|node| DatasetParams::read(node).ok().map(|params| (node.id, params)))
        .filter(|(_, params)| params.kind == DatasetKind::Csv)
        .map(|(id, params)| (id, params.file))
        .collect();
    for (node, wanted) in datasets {
        let file = match (data, &wanted) {
            (Some(data), _) => data.to_path_buf(),
            (None, Some(wanted)) => {
                let name = bare_file_name(&wanted.name).ok_or_else(|| {
                    format!(
                        "{path}: its Dataset {node} names its file `{}`, which is not a bare file name; \
                         put the file beside the graph or pass it with --data FILE.csv",
                        wanted.name.escape_debug()
                    )
                })?;
                std::path::Path::new(path).parent().unwrap_or(std::path::Path::new(".")).join(name)
            }
            (None, None) => {
                return Err(format!("{path}: its Dataset {node} has no file; pass one with --data FILE.csv"));
            }
        };
        let bytes = read_csv_file(&file)?;
        let name = file.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        let table = CsvTable::parse(&name, &bytes)
            .map_err(|error| format!("{} cannot be used as a dataset: {error}", file.display()))?;
        match &wanted {
            Some(wanted) if wanted.sha256 == table.file.sha256 => {}
            Some(wanted) if data.is_none() => {
                return Err(format!(
                    "{} differs from the file {path} was made with ({}, sha256 {}…); pass it with --data to train on it anyway",
                    file.display(),
                    wanted.describe(),
                    &wanted.sha256[..12]
                ));
            }
            _ => {
                if let Some(wanted) = &wanted {
                    eprintln!(
                        "kindling-run: note: {} is not the file the graph was made with ({})",
                        file.display(),
                        wanted.describe()
                    );
                }
                graph
                    .update_params(node, |params: &mut DatasetParams| params.file = Some(table.file.clone()))
                    .map_err(|error| error.to_string())?;
            }
        }
        if let Some(params) = graph.node(node).and_then(|node| DatasetParams::read(node).ok())
            && let Ok(data) = table.select(&CsvSelection {
                target: params.target.clone(),
                features: params.features.clone(),
                task: params.task,
            })
            && let Some(text) = data.left_out_text()
        {
            eprintln!("kindling-run: note: {text}");
        }
        csv_store::insert(table);
    }
    Ok(())
}

/// The bytes of a CSV file, reading at most one byte past the largest one read.
pub(crate) fn read_csv_file(file: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let metadata =
        std::fs::metadata(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    if !metadata.is_file() {
        // A FIFO or a device would block, or never end.
        return Err(format!("cannot read {}: it is not a regular file", file.display()));
    }
    let opened =
        std::fs::File::open(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    let mut bytes = Vec::new();
    opened
        .take(csv_data::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    Ok(bytes)
}

/// `name` when it is a bare file name — no folder, no `..`, not absolute — which is all a
/// graph may name: a graph from elsewhere must not make the runner read any other file.
pub(crate) fn bare_file_name(name: &str) -> Option<&str> {
    let mut components = std::path::Path::new(name).components();
    let bare =
        matches!((components.next(), components.next()), (Some(std::path::Component::Normal(_)), None));
    (bare && !name.contains(['/', '\\'])).then_some(name)
}

/// The text of the file at `path`, reading at most one byte past what a graph file may
/// hold: a larger file is refused in bounded memory, whatever its size.
pub(crate) fn read_bounded(path: &str) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|error| error.to_string())?;
    let mut bytes = Vec::new();
    file.take(graph_file::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| error.to_string())?;
    if bytes.len() > graph_file::MAX_FILE_BYTES {
        return Err(format!(
            "it is larger than {} MiB, more than any graph file",
            graph_file::MAX_FILE_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())
}
