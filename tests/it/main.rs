//! The one integration-test binary: runs the built `isctl` on fixtures and compares what it
//! prints with reviewed insta snapshots.
//!
//! - `check`: the CI rules, exit codes and reports.
//! - `consumers`: who uses a tag or an image, and who may pull, offline and live.
//! - `describe`: `isctl describe` for a failed import, a Local tag, an alias, a manifest list.
//! - `exit_codes`: every command's exit code for every way it can end.
//! - `fault_server`: a scripted API server on loopback that plays broken and hostile servers.
//! - `get`: `isctl get` tables, wide, YAML/JSON, names and errors on the demo cluster.
//! - `h3_verify`: #26's regression tests for `--verify`: deadlines, flag files, odd answers.
//! - `hardening`: one regression test per item of the hardening issue (#16); `hardening3`
//!   and its `h3_*` neighbours the same for the third round (#26).
//! - `h3_complete`: #26's shell completion (no stdin, pipes or silent clusters; the named
//!   cluster) and `record --workloads` (long names, pruned workloads).
//! - `layers`: no import circle in `src/`, and a pure core (docs/design.md).
//! - `h3_cost`: #26's cost bounds (diff mirrors, archives, consumers) and serve's workload Tables.
//! - `h3_parity`: kubectl parity of `--sort-by`, templates, numbers and tables (#26).
//! - `input`: offline input of every accepted shape and the corpus of bad inputs.
//! - `live`: the kube-rs path end to end against `isctl serve`.
//! - `help`: the clap tree and the help texts.
//! - `mirrors`: pull plans and the rendered registries.conf.
//! - `resolve`: the main job.
//! - `screens`: what a person sees in a pseudo-terminal at 80 and 200 columns.
//! - `serve`: the read-only API, checked with the real kubectl.

mod check;
mod common;
mod completion;
mod consumers;
mod credentials;
mod describe;
mod exit_codes;
mod fault_server;
mod get;
mod h3_complete;
mod h3_cost;
mod h3_parity;
mod h3_verify;
mod hardening;
mod hardening3;
mod help;
mod input;
mod layers;
mod live;
mod mirrors;
mod prune;
mod registry;
mod resolve;
mod screens;
mod serve;
mod signatures;
mod verify;
mod what_if;
