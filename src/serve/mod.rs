//! `isctl serve`: recorded objects as a read-only Kubernetes API on loopback, faithful enough for
//! kubectl, oc and client libraries (docs/semantics.md §10), and the server isctl's own live mode is tested
//! against.

pub(crate) mod api;
pub(crate) mod discovery;
pub(crate) mod http;
pub(crate) mod status;
