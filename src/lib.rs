//! isctl: inspect OpenShift image streams, images and mirror rules.
//!
//! Layers, from the bottom: [`model`] (serde types), the pure core ([`reference`],
//! [`catalog`], [`stream_tags`], [`selector`]), [`source`] (where objects come from),
//! [`render`] (text from data), [`commands`] (one module per command) and [`printer`] (the only
//! writer). `main` only parses arguments, builds a [`commands::Ctx`] and maps errors to exit codes.

pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod mirror;
pub mod model;
pub mod printer;
pub mod reference;
pub mod render;
pub mod resolve;
pub mod selector;
pub mod serve;
pub mod settings;
pub mod source;
pub mod stream_tags;
pub mod tag_order;
