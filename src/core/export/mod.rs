//! Exports: a graph leaves Kindling as a program that other engines run — a PyTorch program
//! (`train.py`, torchrun-ready) and a standalone burn project — with Kindling's data, initial
//! weights and batch order, so that either reproduces Kindling's numbers.
//!
//! An export is a set of files ([`Export::files`]): `kindling-run --export` writes them into a
//! folder, the page zips them. What a program cannot express exactly comes with it as
//! [`ExportNote`]s, shown before the download.

pub mod burn_project;
mod data_files;
pub mod pytorch;
pub mod requests;
mod template;

use crate::core::compile::compile_error::CompileError;
use crate::core::compile::compiler::{compile, plan_nodes};
use crate::core::compile::plan::TrainingPlan;
use crate::core::compile::plan_nodes::{NodeRef, PlanNodes};
use crate::core::engine::device::cpu_device;
use crate::core::engine::mlp::Mlp;
use crate::core::engine::pytorch_weights::to_safetensors;
use crate::core::engine::weights::WeightsError;
use crate::core::model::graph::Graph;
use crate::core::model::params::LayerSpec;

/// One file of an export, by its path inside the export's folder.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl ExportFile {
    fn text(path: &str, text: String) -> Self {
        Self { path: path.to_owned(), bytes: text.into_bytes() }
    }
}

/// An exported program: its files, and what it cannot express exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    pub files: Vec<ExportFile>,
    pub notes: Vec<ExportNote>,
}

impl Export {
    /// The file at `path`, if the export has one.
    pub fn file(&self, path: &str) -> Option<&ExportFile> {
        self.files.iter().find(|file| file.path == path)
    }

    /// The files as a zip archive, inside a folder named `folder` (what the page downloads).
    ///
    /// # Errors
    /// The archive writer's message (it writes to memory, so only on a broken file name).
    pub fn to_zip(&self, folder: &str) -> Result<Vec<u8>, String> {
        use std::io::Write;
        let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o644);
        for file in &self.files {
            archive
                .start_file(format!("{folder}/{}", file.path), options)
                .map_err(|error| error.to_string())?;
            archive.write_all(&file.bytes).map_err(|error| error.to_string())?;
        }
        Ok(archive.finish().map_err(|error| error.to_string())?.into_inner())
    }
}

/// What the exported programs of `graph` would do differently from Kindling (shown before a
/// download), or why the graph cannot be exported.
///
/// # Errors
/// [`ExportError::Compile`] for a graph that cannot train.
pub fn notes(graph: &Graph) -> Result<Vec<ExportNote>, ExportError> {
    let compiled = Compiled::new(graph)?;
    let (_, epochs) = data_files::batch_order_size(&compiled.plan);
    Ok(compiled.notes(epochs))
}

/// Something an exported program does differently from Kindling, where and why.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportNote {
    pub node: NodeRef,
    pub text: String,
}

impl std::fmt::Display for ExportNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.node, self.text)
    }
}

/// Why a graph cannot be exported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    #[error("the graph cannot train: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Compile(Vec<CompileError>),
    #[error(transparent)]
    Weights(#[from] WeightsError),
}

/// What every program carries beside its code: Kindling's data, initial weights and batch
/// order, and the graph; and how many epochs of the order there are.
struct SharedFiles {
    files: Vec<ExportFile>,
    order_epochs: usize,
}

/// A graph compiled for export: its plan and the nodes behind it.
struct Compiled {
    plan: TrainingPlan,
    nodes: PlanNodes,
}

impl Compiled {
    fn new(graph: &Graph) -> Result<Self, ExportError> {
        let plan = compile(graph).map_err(ExportError::Compile)?;
        let nodes = plan_nodes(graph).ok_or_else(|| ExportError::Compile(Vec::new()))?;
        Ok(Self { plan, nodes })
    }

    /// The files every program carries (see [`SharedFiles`]).
    async fn shared_files(&self, graph: &Graph) -> Result<SharedFiles, ExportError> {
        let plan = &self.plan;
        let initial = Mlp::init(&plan.network, plan.init_seed, &cpu_device());
        let initial_weights = to_safetensors(&initial).await?;
        let (batch_order, order_epochs) = data_files::batch_order_csv(plan);
        let files = vec![
            ExportFile::text("data.csv", data_files::data_csv(plan)),
            ExportFile { path: "initial_weights.safetensors".to_owned(), bytes: initial_weights },
            ExportFile::text("batch_order.csv", batch_order),
            ExportFile::text("graph.json", graph.to_json()),
        ];
        Ok(SharedFiles { files, order_epochs })
    }

    /// An export of a program's own files and the shared ones, with the notes.
    fn export(&self, mut program: Vec<ExportFile>, shared: SharedFiles) -> Export {
        program.extend(shared.files);
        Export { files: program, notes: self.notes(shared.order_epochs) }
    }

    /// What every exported program does differently from Kindling.
    fn notes(&self, batch_order_epochs: usize) -> Vec<ExportNote> {
        let mut notes = Vec::new();
        let dropout =
            self.plan.network.layers.iter().any(
                |layer| matches!(layer, LayerSpec::Dropout { p } | LayerSpec::Dropout2d { p } if *p > 0.0),
            );
        if dropout {
            notes.push(ExportNote {
                node: self.nodes.network,
                text: "Dropout draws its masks from the other library's random generator, not Kindling's: \
                       the runs differ by the masks, so reproduced numbers match Kindling's only with dropout \
                       off (p = 0) in both"
                    .to_owned(),
            });
        }
        if self.plan.step.mixed_precision {
            notes.push(ExportNote {
                node: self.nodes.step.unwrap_or(self.nodes.optimizer),
                text:
                    "mixed precision: Kindling computes in float16 only on a WebGPU adapter with shader-f16; \
                       the PyTorch program autocasts to float16 on CUDA and computes in float32 elsewhere, \
                       like Kindling's CPU backend"
                        .to_owned(),
            });
        }
        if let Some(node) = self.nodes.class_metrics {
            notes.push(ExportNote {
                node,
                text: "precision, recall, F1 and ROC-AUC are Kindling's charts: the exported programs print \
                       the loss and accuracy, not these (scikit-learn's precision_recall_fscore_support and \
                       roc_auc_score compute the same numbers)"
                    .to_owned(),
            });
        }
        if batch_order_epochs < self.plan.tracker.epochs {
            notes.push(ExportNote {
                node: self.nodes.sampler,
                text: format!(
                    "Kindling's batch order is exported for the first {batch_order_epochs} of {} epochs (the \
                     file stays small); reproducing stops there",
                    self.plan.tracker.epochs
                ),
            });
        }
        notes
    }
}
