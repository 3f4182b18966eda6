//! A catalogue entry: what one kind of node is, takes, gives and lets the user set.
//!
//! Its words — what the kind is, what each parameter sets, what each port carries and what
//! usually feeds a required input — are in `text/en/catalogue.ftl`, under ids made of the
//! kind's, parameters' and ports' names: the entry declares the kind, the file says it.

use super::param_spec::ParamSpec;
use super::port_spec::PortSpec;

/// A catalogue entry.
#[derive(Debug)]
pub struct NodeSpec {
    pub name: &'static str,
    pub category: Category,
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

    /// What this kind is, in a line (`kind-<Kind>`): the palette's and the node's tooltip, the
    /// inspector's line under its name, Explain mode's fallback.
    pub fn help(&self) -> String {
        self.text("")
    }

    /// What parameter `param` sets (`kind-<Kind>-<param>`).
    pub fn param_help(&self, param: &str) -> String {
        self.text(&format!("-{param}"))
    }

    /// What input `port` takes (`kind-<Kind>-in-<port>`).
    pub fn input_help(&self, port: &str) -> String {
        self.text(&format!("-in-{port}"))
    }

    /// What output `port` gives (`kind-<Kind>-out-<port>`).
    pub fn output_help(&self, port: &str) -> String {
        self.text(&format!("-out-{port}"))
    }

    /// What usually feeds the required input `port` (`kind-<Kind>-in-<port>-fed-by`), as a
    /// message about it left unconnected names it: “a Dataset's `dataset` output”.
    pub fn fed_by(&self, port: &str) -> String {
        self.text(&format!("-in-{port}-fed-by"))
    }

    /// The ids of every message of this entry in `text/en/catalogue.ftl`: its help, each
    /// parameter's, each port's, and what feeds each required input (`tests/page_text.rs`
    /// checks that each is there and that the file holds no other `kind-…` message).
    pub fn text_ids(&self) -> Vec<String> {
        let params = self.params.iter().map(|param| format!("-{}", param.name));
        let inputs = self.inputs.iter().flat_map(|port| {
            let fed_by = port.required.then(|| format!("-in-{}-fed-by", port.name));
            std::iter::once(format!("-in-{}", port.name)).chain(fed_by)
        });
        let outputs = self.outputs.iter().map(|port| format!("-out-{}", port.name));
        std::iter::once(String::new())
            .chain(params)
            .chain(inputs)
            .chain(outputs)
            .map(|suffix| self.text_id(&suffix))
            .collect()
    }

    /// The id `kind-<Kind>` followed by `suffix`.
    fn text_id(&self, suffix: &str) -> String {
        format!("kind-{}{suffix}", self.name)
    }

    /// The message `kind-<Kind>` followed by `suffix` (the one place catalogue ids are built;
    /// the file is `text/en/catalogue.ftl`).
    fn text(&self, suffix: &str) -> String {
        crate::core::text::text(&self.text_id(suffix), None)
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
