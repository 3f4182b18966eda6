//! `--export pytorch|burn DIR`: a graph's program for another engine, written into a folder.

use std::process::ExitCode;

use futures_lite::future::block_on;
use kindling::core::export::{Export, ExportFile, burn_project, pytorch};
use kindling::core::model::graph::Graph;

use crate::command_line::USAGE;

/// Writes `graph`'s program in `format` into `dir` (which must be empty unless `force`).
pub(crate) fn export(
    graph: &Graph,
    path: &str,
    format: &str,
    dir: &std::path::Path,
    force: bool,
) -> ExitCode {
    let name = std::path::Path::new(path)
        .file_stem()
        .map_or_else(String::new, |stem| stem.to_string_lossy().into_owned());
    let exported: Result<Export, _> = match format {
        "pytorch" => block_on(pytorch::export(graph, &name)),
        "burn" => block_on(burn_project::export(graph, &name)),
        _ => {
            eprintln!("kindling-run: no export format {format:?}; there are pytorch and burn\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let exported = match exported {
        Ok(exported) => exported,
        Err(error) => {
            eprintln!("kindling-run: {path} cannot be exported: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = write_export(dir, &exported.files, force) {
        eprintln!("kindling-run: {error}");
        return ExitCode::FAILURE;
    }
    for note in &exported.notes {
        eprintln!("kindling-run: note: {note}");
    }
    eprintln!("kindling-run: wrote {} files into {}", exported.files.len(), dir.display());
    ExitCode::SUCCESS
}

/// Writes `files` into `dir`, creating it: into a folder that holds anything only when
/// `force` (replacing files of the same names), and never through a symbolic link — each
/// file is created anew, which does not follow one.
pub(crate) fn write_export(dir: &std::path::Path, files: &[ExportFile], force: bool) -> Result<(), String> {
    let symlink = |path: &std::path::Path| {
        std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink())
    };
    if symlink(dir) {
        return Err(format!("{} is a symbolic link; export into a real folder", dir.display()));
    }
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        return Err(format!(
            "{} is not empty; export into an empty or new folder, or pass --force to replace the \
             files of the same names",
            dir.display()
        ));
    }
    for file in files {
        let target = dir.join(&file.path);
        let cannot = |error: &dyn std::fmt::Display| format!("cannot write {}: {error}", target.display());
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|error| cannot(&error))?;
            let mut folder = parent;
            while folder.starts_with(dir) && folder != dir {
                if symlink(folder) {
                    return Err(cannot(&"a folder on its way is a symbolic link"));
                }
                folder = folder.parent().unwrap_or(dir);
            }
        }
        if std::fs::symlink_metadata(&target).is_ok() {
            std::fs::remove_file(&target).map_err(|error| cannot(&error))?;
        }
        let mut created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(|error| cannot(&error))?;
        std::io::Write::write_all(&mut created, &file.bytes).map_err(|error| cannot(&error))?;
    }
    Ok(())
}
