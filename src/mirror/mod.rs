//! Node-faithful mirror resolution: the registries configuration the machine-config operator
//! renders (`config`), the ordered places a node pulls a reference from ([`plan`]), and where
//! the integrated registry pulls `Local` tags through from (`pull_through`).

pub(crate) mod config;
pub mod plan;
pub mod policy_json;
pub(crate) mod pull_through;
pub mod registries_d;
pub(crate) mod scope;
pub mod signatures;
#[cfg(test)]
mod tests;
pub mod toml;
pub(crate) mod topo;

pub use config::RegistriesConfig;
pub use plan::{PullPlan, Resolver};
