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

use super::model::Mlp;
use super::plan::NetworkPlan;

/// Why weights could not be read, written or loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error("reading the weights from the device failed: {0}")]
    Readback(String),
    #[error("these weights are not a Kindling weights file (burn's record format): {0}")]
    Format(String),
    #[error("these weights do not fit this graph's Network: {0}")]
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
        return Err(WeightsError::Readback("fewer values came back than the network has parameters".into()));
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

/// Loads weights in burn's record format into a fresh network of `plan` on `cpu`, checking
/// that every parameter is there with the right shape.
///
/// # Errors
/// [`WeightsError::Format`] for bytes that are not a record, [`WeightsError::Mismatch`] for
/// a record of another network.
pub fn from_bytes(bytes: &[u8], plan: &NetworkPlan, cpu: &Device) -> Result<Mlp, WeightsError> {
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|error| WeightsError::Format(error.to_string()))?;
    Mlp::init(plan, 0, cpu).try_load_record(record).map_err(|error| WeightsError::Mismatch(error.to_string()))
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
