//! Node-faithful mirror resolution: the registries configuration the machine-config operator
//! renders ([`config`]), and the ordered places a node pulls a reference from ([`plan`]).

pub mod config;
pub mod plan;
pub mod scope;
#[cfg(test)]
mod tests;
pub mod toml;
pub mod topo;

pub use config::RegistriesConfig;
pub use plan::{PullPlan, Resolver};
