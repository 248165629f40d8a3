//! isctl: inspect OpenShift image streams, images and mirror rules.
//!
//! Layers, from the bottom: [`model`] (serde types, and the one table of kinds); the pure core
//! ([`reference`](mod@reference), [`catalog`], [`listing`], [`image_index`], [`stream_tags`],
//! [`selector`], [`mirror`], [`resolve`], [`check`], [`what_if`], [`consumers`],
//! [`pull_access`]); [`source`] (where objects come from: files or a live cluster) and
//! [`verify`] (asking registries); [`render`] (text from data) and [`serve`] (the read-only
//! API); [`settings`] (the command line, checked) and [`completion`]; [`commands`] (one module
//! per command); [`error`] (how a run ends) and [`printer`] (the only writer). `main` reads the
//! environment, parses arguments and calls [`commands::main`]. docs/design.md walks through it;
//! `tests/it/layers.rs` checks that no layer reaches back up.

pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod completion;
pub mod consumers;
pub mod duration;
pub mod error;
pub mod image_index;
pub mod listing;
pub mod mirror;
pub mod model;
pub mod names;
pub mod printer;
pub mod pull_access;
pub mod quantity;
pub mod reference;
pub mod render;
pub mod resolve;
pub mod selector;
pub mod serve;
pub mod settings;
pub mod source;
pub mod stream_tags;
pub mod tag_order;
pub mod verify;
pub mod what_if;
