//! A checkpoint as browser storage keeps it: the epoch, which network, and the weights in
//! burn's record format (base64, inside a small versioned JSON text).
//!
//! Decoding is total: any text gives a checkpoint or a sentence saying what is wrong with it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// What the `format` field holds.
const FORMAT: &str = "kindling-checkpoint";

/// The version this build writes and reads.
pub const VERSION: u32 = 1;

/// The largest checkpoint text read back: far above any network the playground builds,
/// far below what would strain the page.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// Trained weights after an epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// Epochs trained.
    pub epoch: usize,
    /// The network, as the Network node shows it (e.g. `2 → Linear 16 → ReLU → Linear 2`):
    /// for messages when it does not fit the graph.
    pub network: String,
    /// burn's record format (`core::weights::to_bytes`).
    pub weights: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    version: u32,
    epoch: usize,
    network: String,
    weights: String,
}

impl Checkpoint {
    /// The text stored.
    pub fn encode(&self) -> String {
        let stored = Stored {
            format: FORMAT.to_owned(),
            version: VERSION,
            epoch: self.epoch,
            network: self.network.clone(),
            weights: STANDARD.encode(&self.weights),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a stored text back.
    ///
    /// # Errors
    /// A sentence when the text is not a checkpoint this build can read.
    pub fn decode(text: &str) -> Result<Self, String> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(format!("the stored checkpoint is too large ({} bytes)", text.len()));
        }
        let stored: Stored = serde_json::from_str(text)
            .map_err(|error| format!("the stored checkpoint is unreadable ({error})"))?;
        if stored.format != FORMAT {
            return Err("the stored checkpoint is not a Kindling checkpoint".to_owned());
        }
        if stored.version > VERSION {
            return Err(format!(
                "the stored checkpoint was written by a newer Kindling (format {}; this one reads {VERSION})",
                stored.version
            ));
        }
        let weights = STANDARD
            .decode(stored.weights.as_bytes())
            .map_err(|error| format!("the stored checkpoint's weights are damaged ({error})"))?;
        Ok(Self { epoch: stored.epoch, network: stored.network, weights })
    }
}
