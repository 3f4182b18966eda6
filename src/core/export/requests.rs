//! The page's export requests, answered: what the exported programs do differently from
//! Kindling, a program zipped, weights as safetensors. They need the engine (initial weights,
//! burn's records), so the engine's host answers them here, beside the conductor.

use crate::core::compile::compiler::compile;
use crate::core::engine::device::cpu_device;
use crate::core::engine::pytorch_weights::to_safetensors;
use crate::core::engine::weights;
use crate::core::export::{self, burn_project, pytorch};
use crate::core::protocol::message::{Command, Event, Program};

/// The answer to `command` when it is an export request; `None` for any other command.
pub async fn answer(command: &Command) -> Option<Event> {
    Some(match command {
        Command::ExportNotes { id, graph } => Event::ExportNotes {
            id: *id,
            result: export::notes(graph)
                .map(|notes| notes.iter().map(ToString::to_string).collect())
                .map_err(|error| error.to_string()),
        },
        Command::Export { id, graph, program, title, folder } => {
            let exported = match program {
                Program::PyTorch => pytorch::export(graph, title).await,
                Program::Burn => burn_project::export(graph, title).await,
            };
            Event::Exported {
                id: *id,
                result: exported
                    .map_err(|error| error.to_string())
                    .and_then(|exported| exported.to_zip(folder)),
            }
        }
        Command::Safetensors { id, graph, weights } => {
            Event::Safetensors { id: *id, result: safetensors(graph, weights).await }
        }
        _ => return None,
    })
}

/// `bytes` (burn's record of `graph`'s network) as safetensors.
async fn safetensors(graph: &crate::core::model::graph::Graph, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let plan =
        compile(graph).map_err(|_| "the graph cannot train, so its weights cannot be read".to_owned())?;
    let model =
        weights::from_bytes(bytes, &plan.network, &cpu_device()).map_err(|error| error.to_string())?;
    to_safetensors(&model).await.map_err(|error| error.to_string())
}
