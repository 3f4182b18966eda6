//! Messages as bytes, for `postMessage` between the page and a worker: postcard, the compact
//! serde format links already use. The bytes never leave this origin's page and workers, but
//! a message that does not read is an error to report, never a panic.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// `message` as bytes.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    // Plain data with no map keys or non-string floats to refuse: postcard serialises it.
    postcard::to_allocvec(message).unwrap_or_default()
}

/// The message `bytes` hold, and nothing after it.
///
/// # Errors
/// What postcard says of bytes that are not such a message.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (message, rest) = postcard::take_from_bytes(bytes).map_err(|error| error.to_string())?;
    if rest.is_empty() {
        Ok(message)
    } else {
        Err(text!("run-error-message-trailing-bytes", count = rest.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::templates::basic_loop;
    use crate::core::protocol::backend::Backend;
    use crate::core::protocol::message::{Command, TrainRequest};

    #[test]
    fn a_command_reads_back_as_it_was_and_truncated_bytes_do_not() {
        let command = Command::Train(Box::new(TrainRequest {
            id: 7,
            graph: basic_loop(),
            backend: Backend::Cpu,
            from: None,
            paused: false,
            step: None,
        }));
        let bytes = encode(&command);
        assert_eq!(decode::<Command>(&bytes), Ok(command));
        assert!(decode::<Command>(&bytes[..bytes.len() / 2]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode::<Command>(&longer).is_err());
        for command in [
            Command::Edited { id: 1, graph: Some(basic_loop()) },
            Command::Edited { id: 1, graph: None },
            Command::Sweep { id: 2, graph: basic_loop(), lanes: 2 },
        ] {
            assert_eq!(decode::<Command>(&encode(&command)), Ok(command));
        }
    }
}
