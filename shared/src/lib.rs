//! Code both tiers share: the error type and its transport mapping, configuration, telemetry,
//! and the store (sea-orm entities and queries over Flipt's relational schema).
//!
//! `error` and `paging` are pure; `store`, `config`, `telemetry` and `transport` do I/O or know
//! about the transports.

pub mod cache;
pub mod config;
pub mod engine;
pub mod error;
pub mod gateway;
pub mod paging;
pub mod snapshot;
pub mod store;
pub mod telemetry;
pub mod transport;

pub use error::{Error, ErrorKind, Result};
