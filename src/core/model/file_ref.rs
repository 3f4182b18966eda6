//! Which CSV file a Dataset node trains on, as its `file` parameter names it: the file's name,
//! size and SHA-256 — what a link carries of it, never its contents — and the bounds on the
//! columns a Dataset may name.

use std::fmt::Write;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The most columns.
pub const MAX_COLUMNS: usize = 256;
/// The longest column name.
pub const MAX_COLUMN_NAME: usize = 64;

/// Which file a graph trains on: what a link carries of it (never its contents).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileRef {
    pub name: String,
    /// Bytes.
    pub size: usize,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
}

impl FileRef {
    /// The reference to `bytes` named `name` (the name cut to [`MAX_COLUMN_NAME`] × 2 bytes).
    pub fn of(name: &str, bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let mut sha256 = String::with_capacity(64);
        for byte in digest {
            let _ = write!(sha256, "{byte:02x}");
        }
        Self { name: short_name(name), size: bytes.len(), sha256 }
    }

    /// As a parameter stores it: `sha256:size:name`.
    pub fn to_param(&self) -> String {
        format!("{}:{}:{}", self.sha256, self.size, self.name)
    }

    /// Reads [`Self::to_param`]'s text; `None` for anything else (an empty parameter: no
    /// file picked yet).
    pub fn from_param(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, ':');
        let sha256 = parts.next()?;
        let size = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let hex = sha256.len() == 64 && sha256.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
        hex.then(|| Self { name: name.to_owned(), size, sha256: sha256.to_owned() })
    }

    /// The file as a message names it: `iris.csv (4.4 kB)`.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.name, size_text(self.size))
    }
}

/// A size for people: bytes, kB, MB or GB.
pub fn size_text(bytes: usize) -> String {
    bytes_text(bytes as u64)
}

/// [`size_text`] of a count that may pass what `usize` holds on wasm32 (4 GiB): a file's size
/// or a storage quota as the browser gives them.
pub fn bytes_text(bytes: u64) -> String {
    match bytes {
        0..1_000 => text!("file-size-bytes", count = bytes),
        1_000..1_000_000 => text!("file-size-kilobytes", size = format!("{:.1}", bytes as f64 / 1e3)),
        1_000_000..1_000_000_000 => text!("file-size-megabytes", size = format!("{:.1}", bytes as f64 / 1e6)),
        _ => text!("file-size-gigabytes", size = format!("{:.1}", bytes as f64 / 1e9)),
    }
}

fn short_name(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    let mut end = name.len().min(2 * MAX_COLUMN_NAME);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::{bytes_text, size_text};

    #[test]
    fn sizes_read_in_the_unit_that_suits_them() {
        assert_eq!(size_text(999), "999 bytes");
        assert_eq!(size_text(320_000), "320.0 kB");
        assert_eq!(size_text(17_400_000), "17.4 MB");
        assert_eq!(bytes_text(10_738_556_336), "10.7 GB");
    }
}
