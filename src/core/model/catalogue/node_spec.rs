//! A catalogue entry: what one kind of node is, takes, gives and lets the user set.

use super::param_spec::ParamSpec;
use super::port_spec::PortSpec;

/// A catalogue entry.
#[derive(Debug)]
pub struct NodeSpec {
    pub name: &'static str,
    pub category: Category,
    pub help: &'static str,
    pub inputs: &'static [PortSpec],
    pub outputs: &'static [PortSpec],
    pub params: &'static [ParamSpec],
}

impl NodeSpec {
    pub fn input(&self, name: &str) -> Option<&'static PortSpec> {
        self.inputs.iter().find(|port| port.name == name)
    }

    pub fn output(&self, name: &str) -> Option<&'static PortSpec> {
        self.outputs.iter().find(|port| port.name == name)
    }

    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|param| param.name == name)
    }
}

/// Palette groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Data,
    Network,
    Loss,
    Optimizer,
    Training,
    Metrics,
}

impl Category {
    /// Every category, in palette order.
    pub const ALL: [Category; 6] = [
        Category::Data,
        Category::Network,
        Category::Loss,
        Category::Optimizer,
        Category::Training,
        Category::Metrics,
    ];
}
