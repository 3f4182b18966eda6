//! The CSV files this process holds, by their SHA-256, and the samples made of them.
//!
//! A graph names its file by reference only (`file_ref::FileRef`: what a link carries), so the
//! compiler looks the file up here: the page puts in what the user picked or dropped (and what
//! IndexedDB kept from before), `kindling-run` the file it was given. Selections are kept
//! too, so compiling a graph on every edit does not standardise its data again. Bounded: the
//! least recently used files and selections go first.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::core::data::csv_data::{CsvData, CsvSelection, CsvTable, SelectionError};
use crate::core::model::catalogue::DatasetParams;
use crate::core::model::file_ref::FileRef;

/// Files held at once.
const FILES: usize = 4;
/// Selections held at once.
const SELECTIONS: usize = 8;

#[derive(Default)]
struct Store {
    /// Most recently used last.
    files: Vec<Arc<CsvTable>>,
    selections: Vec<(String, CsvSelection, Result<Arc<CsvData>, SelectionError>)>,
    /// Bumped on every change, so that views know to look again.
    version: u64,
}

static STORE: Mutex<Store> = Mutex::new(Store { files: Vec::new(), selections: Vec::new(), version: 0 });

fn store() -> MutexGuard<'static, Store> {
    // A panic while holding the lock leaves plain data behind: go on with it.
    STORE.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Holds `table` (replacing the same file), and returns it shared.
pub fn insert(table: CsvTable) -> Arc<CsvTable> {
    let table = Arc::new(table);
    let mut store = store();
    store.files.retain(|held| held.file.sha256 != table.file.sha256);
    store.selections.retain(|(sha256, ..)| *sha256 != table.file.sha256);
    store.files.push(table.clone());
    let over = store.files.len().saturating_sub(FILES);
    store.files.drain(..over);
    store.version += 1;
    table
}

/// The file with this SHA-256, if held.
pub fn get(sha256: &str) -> Option<Arc<CsvTable>> {
    let mut store = store();
    let at = store.files.iter().position(|table| table.file.sha256 == sha256)?;
    let table = store.files.remove(at);
    store.files.push(table.clone());
    Some(table)
}

/// The samples `selection` makes of the file with this SHA-256: `None` when the file is not
/// held, else the data or why it cannot be made.
pub fn selection(sha256: &str, selection: &CsvSelection) -> Option<Result<Arc<CsvData>, SelectionError>> {
    {
        let mut store = store();
        if let Some(at) =
            store.selections.iter().position(|(held, chosen, _)| held == sha256 && chosen == selection)
        {
            let entry = store.selections.remove(at);
            let result = entry.2.clone();
            store.selections.push(entry);
            return Some(result);
        }
    }
    let table = get(sha256)?;
    let result = table.select(selection).map(Arc::new);
    let mut store = store();
    store.selections.push((sha256.to_owned(), selection.clone(), result.clone()));
    let over = store.selections.len().saturating_sub(SELECTIONS);
    store.selections.drain(..over);
    Some(result)
}

/// A number that changes whenever a file comes in.
pub fn version() -> u64 {
    store().version
}

/// Why a CSV Dataset node has no samples yet.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CsvDatasetError {
    #[error("{}", text!("csv-file-none-picked"))]
    NoFile,
    #[error("{}", text!("csv-file-no-target", file = &.0.name))]
    NoTarget(FileRef),
    #[error("{}", text!("csv-file-not-in-browser", file = .0.describe()))]
    NotHeld(FileRef),
    #[error(transparent)]
    Selection(#[from] SelectionError),
}

/// A CSV Dataset node's samples: its file, held here, and its columns.
///
/// # Errors
/// No file or target picked yet, a file this process does not hold, or columns that make no
/// dataset.
pub fn csv_dataset(params: &DatasetParams) -> Result<Arc<CsvData>, CsvDatasetError> {
    let file = params.file.as_ref().ok_or(CsvDatasetError::NoFile)?;
    if params.target.is_empty() {
        return Err(CsvDatasetError::NoTarget(file.clone()));
    }
    let wanted =
        CsvSelection { target: params.target.clone(), features: params.features.clone(), task: params.task };
    match selection(&file.sha256, &wanted) {
        None => Err(CsvDatasetError::NotHeld(file.clone())),
        Some(result) => Ok(result?),
    }
}
