//! The page's CSV files: reading a file the user picks or drops into a Dataset node, keeping
//! it in IndexedDB, and finding again, after a reload or in a graph opened from a link, the
//! files its Dataset nodes name. The compiler looks files up in `core::csv_store`; `version`
//! changes whenever one comes in, so what depends on it compiles again. The engine, in its
//! worker, holds its own copy of each file the page holds.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::editor::Editor;
use super::engine::Engine;
use super::notices::{NoticeKind, Notices};
use super::stored_items::{WriteFor, made_room_notice, write_making_room};
use crate::core::data::csv_data::{self, CsvError, CsvSelection, CsvTable};
use crate::core::data::csv_store;
use crate::core::model::catalogue::DatasetParams;
use crate::core::model::choices::DatasetKind;
use crate::core::model::file_ref::FileRef;
use crate::core::model::graph::Graph;
use crate::core::model::node_id::NodeId;
use crate::core::protocol::message::Command;
use crate::web::clock::epoch_millis;
use crate::web::csv_files;
use crate::web::download::read_file;

#[derive(Clone, Copy)]
pub struct CsvFiles {
    /// Bumped whenever a file comes in: read it where compiling should see new files.
    pub version: RwSignal<u64>,
    notices: Notices,
    /// Files already looked for in IndexedDB (found or not), so each is asked for once.
    asked: StoredValue<Vec<String>>,
    engine: Engine,
}

impl CsvFiles {
    pub fn new(engine: Engine, notices: Notices) -> Self {
        Self {
            version: RwSignal::new(csv_store::version()),
            notices,
            asked: StoredValue::new(Vec::new()),
            engine,
        }
    }

    /// Holds `table` (read from `bytes`, the file `name`), and gives the engine its copy.
    fn hold(self, table: CsvTable, name: &str, bytes: &[u8]) -> std::sync::Arc<CsvTable> {
        self.engine.send_to_every_engine(Command::AddCsv { name: name.to_owned(), bytes: bytes.to_vec() });
        csv_store::insert(table)
    }

    /// Looks in IndexedDB for every file `graph`'s Dataset nodes name that is not held yet;
    /// for one still missing, the notice asks for it (as the node's error does).
    pub fn find_files(self, graph: &Graph) {
        let wanted: Vec<FileRef> = DatasetParams::files_named_by(graph)
            .into_iter()
            .filter(|file| csv_store::get(&file.sha256).is_none())
            .filter(|file| !self.asked.with_value(|asked| asked.contains(&file.sha256)))
            .collect();
        for file in wanted {
            self.asked.update_value(|asked| asked.push(file.sha256.clone()));
            spawn_local(async move {
                match csv_files::get(&file.sha256).await {
                    Ok(Some((name, bytes))) => match CsvTable::parse(&name, &bytes) {
                        Ok(table) => {
                            self.hold(table, &name, &bytes);
                            self.version.set(csv_store::version());
                        }
                        Err(error) => self.notices.say(
                            NoticeKind::Warning,
                            text!(
                                "csv-stored-copy-unreadable",
                                file = file.describe(),
                                error = error.to_string()
                            ),
                        ),
                    },
                    // The node's error says so too; the notice is where a link's opener looks.
                    Ok(None) => self
                        .notices
                        .say(NoticeKind::Warning, text!("csv-file-missing", file = file.describe())),
                    Err(reason) => self.notices.say(
                        NoticeKind::Warning,
                        text!("csv-storage-unreadable", file = file.describe(), reason = reason.to_string()),
                    ),
                }
            });
        }
    }

    /// Holds a data file a lesson brings (`bytes`, named `name`), as if it had been picked:
    /// the Dataset that names it trains on it. Not kept in IndexedDB: the lesson brings it
    /// again whenever it is shown.
    pub fn hold_lesson_file(self, name: &str, bytes: &[u8]) {
        match CsvTable::parse(name, bytes) {
            Ok(table) => {
                if csv_store::get(&table.file.sha256).is_none() {
                    self.hold(table, name, bytes);
                    self.version.set(csv_store::version());
                }
            }
            Err(error) => self.notices.say(
                NoticeKind::Warning,
                text!("csv-lesson-file-unreadable", name = name, error = error.to_string()),
            ),
        }
    }

    /// Gives Dataset `node` the file `file` (picked or dropped): read, checked, kept, and the
    /// node switched to it as one undo step, keeping its columns where the file has them. A
    /// file that is not a table is refused, saying why; the graph is unchanged then.
    pub fn give(self, editor: Editor, node: NodeId, file: web_sys::File) {
        let notices = self.notices;
        spawn_local(async move {
            let name = file.name();
            if file.size() > csv_data::MAX_BYTES as f64 {
                let too_big = CsvError::TooBig { size: file.size() as usize };
                notices.say(
                    NoticeKind::Error,
                    text!("csv-not-a-dataset", name = name.as_str(), reason = too_big.to_string()),
                );
                return;
            }
            let bytes = match read_file(&file, csv_data::MAX_BYTES).await {
                Ok(bytes) => bytes,
                Err(reason) => {
                    notices.say(
                        NoticeKind::Error,
                        text!("csv-unreadable", name = name.as_str(), reason = reason),
                    );
                    return;
                }
            };
            let table = match CsvTable::parse(&name, &bytes) {
                Ok(table) => table,
                Err(error) => {
                    notices.say(
                        NoticeKind::Error,
                        text!("csv-not-a-dataset", name = name.as_str(), reason = error.to_string()),
                    );
                    return;
                }
            };
            let previous = editor
                .graph
                .with_untracked(|graph| graph.node(node).and_then(|node| DatasetParams::read(node).ok()));
            let Some(previous) = previous else { return };
            let was = previous.file.clone();
            let selection = table.selection_from(&CsvSelection {
                target: previous.target.clone(),
                features: previous.features.clone(),
                task: previous.task,
            });
            let file = table.file.clone();
            let summary = text!("csv-rows-columns", rows = table.row_count(), columns = table.columns.len());
            let table = self.hold(table, &name, &bytes);
            let changed = was.as_ref().is_some_and(|was| was.sha256 != file.sha256 && was.name == file.name);
            let result = editor.update_params(node, |dataset: &mut DatasetParams| {
                dataset.kind = DatasetKind::Csv;
                dataset.file = Some(file.clone());
                dataset.target.clone_from(&selection.target);
                dataset.task = selection.task;
                dataset.features.clone_from(&selection.features);
            });
            self.version.set(csv_store::version());
            if let Err(reason) = result {
                notices.say(NoticeKind::Error, text!("csv-not-set", name = name.as_str(), reason = reason));
                return;
            }
            let write = || csv_files::put(&file.sha256, &file.name, &bytes, epoch_millis());
            let (stored, dropped) =
                write_making_room(WriteFor::DataFile { sha256: &file.sha256 }, write).await;
            if let Some(notice) = made_room_notice(&text!("csv-copy-of", name = file.name.as_str()), &dropped)
            {
                notices.say(NoticeKind::Warning, notice);
            }
            let kept = match stored {
                Ok(()) => String::new(),
                Err(reason) => format!(" {}", text!("csv-kept-for-this-visit", reason = reason.to_string())),
            };
            let newer = if changed { format!(" {}", text!("csv-differs")) } else { String::new() };
            let left_out = table
                .select(&selection)
                .ok()
                .and_then(|data| data.left_out_text())
                .map(|text| format!(" {text}."))
                .unwrap_or_default();
            let kind =
                if left_out.is_empty() && kept.is_empty() { NoticeKind::Info } else { NoticeKind::Warning };
            notices.say(
                kind,
                format!(
                    "{}{newer}{left_out}{kept}",
                    text!("csv-given", file = file.describe(), summary = summary.as_str())
                ),
            );
        });
    }
}
