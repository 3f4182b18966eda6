//! A dataset's samples on a device, and the batches cut from them.

use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::core::data::dataset::{Dataset, Targets};

/// The targets of a set of samples, as tensors.
#[derive(Clone, Debug)]
pub enum TargetTensor {
    /// Class indices, `[n]`.
    Classes(Tensor<1, Int>),
    /// Values, `[n, 1]`.
    Values(Tensor<2>),
}

impl TargetTensor {
    fn select(&self, indices: Tensor<1, Int>) -> Self {
        match self {
            TargetTensor::Classes(classes) => TargetTensor::Classes(classes.clone().select(0, indices)),
            TargetTensor::Values(values) => TargetTensor::Values(values.clone().select(0, indices)),
        }
    }
}

/// Every sample of a dataset, uploaded once.
#[derive(Clone, Debug)]
pub struct Samples {
    /// `[n, features]`: each sample flattened.
    inputs: Tensor<2>,
    targets: TargetTensor,
    len: usize,
}

impl Samples {
    pub fn new(data: &Dataset, device: &Device) -> Self {
        let len = data.len();
        let inputs = Tensor::from_data(TensorData::new(data.inputs.clone(), [len, data.features()]), device);
        let targets = match &data.targets {
            Targets::Classes { labels, .. } => {
                TargetTensor::Classes(Tensor::from_data(TensorData::new(labels.clone(), [len]), device))
            }
            Targets::Values(values) => {
                TargetTensor::Values(Tensor::from_data(TensorData::new(values.clone(), [len, 1]), device))
            }
        };
        Self { inputs, targets, len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The samples at `indices`, in that order.
    ///
    /// # Shapes
    /// `[rows]` indices → inputs `[rows, features]`, targets `[rows]` or `[rows, 1]`.
    pub fn batch(&self, indices: &[i64]) -> (Tensor<2>, TargetTensor) {
        let device = self.inputs.device();
        let indices =
            Tensor::<1, Int>::from_data(TensorData::new(indices.to_vec(), [indices.len()]), &device);
        (self.inputs.clone().select(0, indices.clone()), self.targets.select(indices))
    }
}
