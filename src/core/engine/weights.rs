//! A network's trained weights, off the device: copies on the CPU backend, and burn's record
//! format (burnpack bytes) for checkpoints and downloads.
//!
//! A copy is made with one asynchronous read of every parameter ([`snapshot`]), so it works
//! on WebGPU in the browser, where a synchronous read panics. A CPU copy then serialises
//! with burn's own [`Module::into_record`] (sync reads are fine on the CPU), and moves back
//! onto any device with [`onto_device`].

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Device, Tensor, TensorData, Transaction};

use crate::core::compile::plan::NetworkPlan;
use crate::core::engine::mlp::Mlp;

/// Why weights could not be read, written or loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error("{}", text!("weights-file-readback", error = .0))]
    Readback(String),
    #[error("{}", text!("weights-file-format", error = .0))]
    Format(String),
    #[error("{}", text!("weights-file-mismatch", error = .0))]
    Mismatch(String),
}

/// Copies `model`'s weights onto `cpu` (a CPU backend device), reading them back from
/// wherever they live with one asynchronous read. The copy carries no autodiff state.
///
/// # Errors
/// [`WeightsError::Readback`] when the device fails to return the values.
pub async fn snapshot(model: &Mlp, cpu: &Device) -> Result<Mlp, WeightsError> {
    let model = model.valid();
    let mut collector = Collector::default();
    model.visit(&mut collector);
    let transaction = collector
        .tensors
        .into_iter()
        .fold(Transaction::default(), |transaction, tensor| transaction.register(tensor));
    let data =
        transaction.execute_async().await.map_err(|error| WeightsError::Readback(format!("{error:?}")))?;
    let mut placer = Placer { data: data.into_iter(), device: cpu.clone(), missing: false };
    let copy = model.map(&mut placer);
    if placer.missing {
        return Err(WeightsError::Readback(text!("weights-file-fewer-values")));
    }
    Ok(copy)
}

/// Moves a CPU copy (from [`snapshot`] or [`from_bytes`]) of a network of `plan` onto
/// `device` (an autodiff device makes it trainable). Reads the CPU tensors synchronously,
/// which the CPU backend allows.
///
/// # Errors
/// [`WeightsError::Mismatch`] when the copy is not a network of `plan`.
pub fn onto_device(cpu_model: &Mlp, plan: &NetworkPlan, device: &Device) -> Result<Mlp, WeightsError> {
    Mlp::init(plan, 0, device)
        .try_load_record(cpu_model.clone().into_record())
        .map_err(|error| WeightsError::Mismatch(error.to_string()))
}

/// A CPU copy in burn's record format (burnpack bytes): what checkpoints store and the
/// weights download holds.
///
/// # Errors
/// [`WeightsError::Format`] when burn cannot write the record.
pub fn to_bytes(cpu_model: &Mlp) -> Result<Vec<u8>, WeightsError> {
    let bytes = cpu_model
        .clone()
        .into_record()
        .into_bytes()
        .map_err(|error| WeightsError::Format(error.to_string()))?;
    Ok(bytes.to_vec())
}

/// Loads weights in burn's record format into a fresh network of `plan` on `cpu`.
///
/// Checks before burn sees them: the size (at most [`max_file_bytes`](crate::core::compile::budget::max_file_bytes)), then each tensor —
/// one of the network's parameters by name, of its shape, float32, every value finite —
/// and that none is missing. burn would take an integer or half-precision tensor of the
/// right shape as it is, and fail later.
///
/// # Errors
/// [`WeightsError::Format`] for bytes that are not a record, or a tensor of another dtype or
/// with a value that is not finite; [`WeightsError::Mismatch`] for a record of another
/// network.
pub fn from_bytes(bytes: &[u8], plan: &NetworkPlan, cpu: &Device) -> Result<Mlp, WeightsError> {
    let max = crate::core::compile::budget::max_file_bytes(plan);
    if bytes.len() > max {
        return Err(WeightsError::Format(text!("weights-file-too-large", bytes = bytes.len(), max = max)));
    }
    let fresh = Mlp::init(plan, 0, cpu);
    let expected = tensors_of(&to_bytes(&fresh)?)?;
    let found = tensors_of(bytes)?;
    for tensor in &found {
        let Some(wanted) = expected.iter().find(|wanted| wanted.name == tensor.name) else {
            return Err(WeightsError::Mismatch(text!(
                "weights-file-unknown-tensor",
                name = short(&tensor.name)
            )));
        };
        if tensor.dtype != burn_pack::DType::F32 {
            return Err(WeightsError::Format(text!(
                "weights-file-not-float32",
                name = short(&tensor.name),
                dtype = format!("{:?}", tensor.dtype)
            )));
        }
        if tensor.shape != wanted.shape {
            return Err(WeightsError::Mismatch(text!(
                "weights-file-shape",
                name = short(&tensor.name),
                shape = format!("{:?}", tensor.shape.as_slice()),
                expected = format!("{:?}", wanted.shape.as_slice())
            )));
        }
        let data = tensor.to_bytes().map_err(|error| WeightsError::Format(error.to_string()))?;
        if let Some(index) = data
            .chunks_exact(4)
            .position(|value| !f32::from_le_bytes([value[0], value[1], value[2], value[3]]).is_finite())
        {
            return Err(WeightsError::Format(text!(
                "weights-file-not-finite",
                name = short(&tensor.name),
                index = index
            )));
        }
    }
    if let Some(missing) =
        expected.iter().find(|wanted| found.iter().all(|tensor| tensor.name != wanted.name))
    {
        return Err(WeightsError::Mismatch(text!("weights-file-missing-tensor", name = &missing.name)));
    }
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|error| WeightsError::Format(error.to_string()))?;
    fresh.try_load_record(record).map_err(|error| WeightsError::Mismatch(error.to_string()))
}

/// The tensors of a record's bytes (names, dtypes, shapes; data read on demand).
fn tensors_of(bytes: &[u8]) -> Result<Vec<burn_pack::Tensor>, WeightsError> {
    let format = |error: burn_pack::Error| WeightsError::Format(error.to_string());
    burn_pack::Reader::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(format)?
        .into_tensors()
        .map_err(format)
}

/// A name from a file, shortened for a message.
fn short(name: &str) -> String {
    if name.chars().count() > 64 {
        format!("{}…", name.chars().take(64).collect::<String>())
    } else {
        name.to_owned()
    }
}

/// Collects every float parameter, flattened, in visiting order.
#[derive(Default)]
struct Collector {
    tensors: Vec<Tensor<1>>,
}

impl ModuleVisitor for Collector {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val();
        let len = tensor.shape().num_elements();
        self.tensors.push(tensor.reshape([len]));
    }
}

/// Replaces every float parameter, in visiting order, by the next read-back value on the
/// CPU device.
struct Placer {
    data: std::vec::IntoIter<TensorData>,
    device: Device,
    missing: bool,
}

impl ModuleMapper for Placer {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let shape = tensor.shape();
        let placed = match self.data.next() {
            Some(data) => Tensor::<1>::from_data(data, &self.device).reshape(shape),
            None => {
                self.missing = true;
                Tensor::zeros(shape, &self.device)
            }
        };
        Param::from_mapped_value(id, placed, mapper)
    }
}
