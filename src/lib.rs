//! isctl: inspect OpenShift image streams, images and mirror rules.
//!
//! Layers, from the bottom: `model` (serde types, and the one table of kinds); the pure core
//! ([`reference`](mod@reference), [`catalog`], `listing`, `image_index`, `stream_tags`,
//! `selector`, [`mirror`], [`resolve`], `check`, `what_if`, `consumers`,
//! `pull_access`); [`source`] (where objects come from: files or a live cluster) and
//! [`verify`] (asking registries); [`render`] (text from data) and `serve` (the read-only
//! API); [`settings`] (the command line, checked) and [`completion`]; [`commands`] (one module
//! per command); `error` (how a run ends) and [`printer`] (the only writer). `main` reads the
//! environment, parses arguments and calls [`commands::main`]. docs/design.md walks through it;
//! `tests/it/layers.rs` checks that no layer reaches back up.

#![warn(unreachable_pub)]

pub mod catalog;
pub(crate) mod check;
pub mod cli;
pub mod commands;
pub mod completion;
pub(crate) mod consumers;
pub(crate) mod duration;
pub(crate) mod error;
pub(crate) mod image_index;
pub(crate) mod listing;
pub mod mirror;
pub(crate) mod model;
pub(crate) mod names;
pub mod printer;
pub(crate) mod prune;
pub(crate) mod pull_access;
pub(crate) mod quantity;
pub mod reference;
pub mod render;
pub mod resolve;
pub(crate) mod selector;
pub(crate) mod serve;
pub mod settings;
pub mod source;
pub(crate) mod stream_tags;
pub(crate) mod tag_order;
pub mod verify;
pub(crate) mod what_if;
