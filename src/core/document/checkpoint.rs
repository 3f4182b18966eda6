//! A checkpoint as browser storage keeps it: the epoch, which network, the weights in
//! burn's record format and, since version 2, where the run stood ([`TrainerState`]: the
//! optimizer's state, the batch order, the schedule), so a restored run goes on to the same
//! numbers as one never interrupted.
//!
//! Version 2 is binary ([`Checkpoint::to_bytes`]: a magic string, the version, then
//! postcard), kept in IndexedDB. Version 1 was a JSON text in localStorage holding the
//! weights alone ([`Checkpoint::decode`]); it still opens.
//!
//! Decoding is total: any input gives a checkpoint or a sentence saying what is wrong with it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::core::document::train_state::TrainerState;

/// What the `format` field holds.
const FORMAT: &str = "kindling-checkpoint";

/// What a binary checkpoint starts with.
const MAGIC: &[u8] = b"kindling-checkpoint\0";

/// The version this build writes (and the newest it reads).
pub const VERSION: u32 = 2;

/// The largest version-1 text read back: far above any network the playground builds,
/// far below what would strain the page.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// The largest binary checkpoint read back: a network at the page's parameter budget with
/// Adam's two moments and an accumulation's gradients (four float32 copies), and room to
/// spare.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// Trained weights after an epoch, and where the run stood.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// Epochs trained.
    pub epoch: usize,
    /// The network, as the Network node shows it (e.g. `2 → Linear 16 → ReLU → Linear 2`):
    /// for messages when it does not fit the graph.
    pub network: String,
    /// burn's record format (`core::weights::to_bytes`).
    pub weights: Vec<u8>,
    /// Where the run stood; `None` in a version-1 checkpoint (weights alone).
    pub state: Option<TrainerState>,
}

/// A version-2 checkpoint's body.
#[derive(Serialize, Deserialize)]
struct Binary {
    epoch: usize,
    network: String,
    weights: Vec<u8>,
    state: Option<TrainerState>,
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
    /// The bytes stored (version 2).
    pub fn to_bytes(&self) -> Vec<u8> {
        let body = Binary {
            epoch: self.epoch,
            network: self.network.clone(),
            weights: self.weights.clone(),
            state: self.state.clone(),
        };
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        // Writing to a vector cannot fail; an empty body would be refused when read.
        bytes.extend(postcard::to_allocvec(&body).unwrap_or_default());
        bytes
    }

    /// Reads stored bytes back (version 2).
    ///
    /// # Errors
    /// Why the bytes are not a checkpoint this build can read.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CheckpointError> {
        if bytes.len() > MAX_BYTES {
            return Err(CheckpointError::TooLarge(bytes.len()));
        }
        let rest = bytes.strip_prefix(MAGIC).ok_or(CheckpointError::NotACheckpoint)?;
        let (version, body) = rest.split_at_checked(4).ok_or(CheckpointError::CutShort)?;
        let version = u32::from_le_bytes(version.try_into().map_err(|_| CheckpointError::CutShort)?);
        if version > VERSION {
            return Err(CheckpointError::Newer { version });
        }
        if version < 2 {
            return Err(CheckpointError::NeverBinary { version });
        }
        let body: Binary =
            postcard::from_bytes(body).map_err(|error| CheckpointError::Damaged(error.to_string()))?;
        Ok(Self { epoch: body.epoch, network: body.network, weights: body.weights, state: body.state })
    }

    /// The text of a version-1 checkpoint (weights alone): what the first release stored.
    pub fn encode_v1(&self) -> String {
        let stored = Stored {
            format: FORMAT.to_owned(),
            version: 1,
            epoch: self.epoch,
            network: self.network.clone(),
            weights: STANDARD.encode(&self.weights),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a version-1 text back (weights alone).
    ///
    /// # Errors
    /// Why the text is not a checkpoint this build can read.
    pub fn decode(text: &str) -> Result<Self, CheckpointError> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(CheckpointError::TooLarge(text.len()));
        }
        let stored: Stored =
            serde_json::from_str(text).map_err(|error| CheckpointError::Unreadable(error.to_string()))?;
        if stored.format != FORMAT {
            return Err(CheckpointError::NotACheckpoint);
        }
        if stored.version > 1 {
            return Err(CheckpointError::NewerText { version: stored.version });
        }
        let weights = STANDARD
            .decode(stored.weights.as_bytes())
            .map_err(|error| CheckpointError::WeightsDamaged(error.to_string()))?;
        Ok(Self { epoch: stored.epoch, network: stored.network, weights, state: None })
    }
}

/// Why stored bytes or text are not a checkpoint this build can read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("{}", text!("checkpoint-file-too-large", bytes = *.0))]
    TooLarge(usize),
    #[error("{}", text!("checkpoint-file-not-a-checkpoint"))]
    NotACheckpoint,
    #[error("{}", text!("checkpoint-file-cut-short"))]
    CutShort,
    #[error("{}", text!("checkpoint-file-newer", version = *.version, supported = VERSION))]
    Newer { version: u32 },
    #[error("{}", text!("checkpoint-file-never-binary", version = *.version))]
    NeverBinary { version: u32 },
    #[error("{}", text!("checkpoint-file-damaged", error = .0))]
    Damaged(String),
    #[error("{}", text!("checkpoint-file-unreadable", error = .0))]
    Unreadable(String),
    #[error("{}", text!("checkpoint-file-newer-text", version = *.version))]
    NewerText { version: u32 },
    #[error("{}", text!("checkpoint-file-weights-damaged", error = .0))]
    WeightsDamaged(String),
}
