//! The write tier: Flipt's management API (REST `/api/v1`, gRPC `flipt.Flipt`) over the
//! primary database, with migrations and health.
//!
//! `main.rs` only loads configuration and calls [`startup::Application`]; tests build the same
//! application on random ports.

pub mod grpc;
pub mod http;
pub mod service;
pub mod startup;
pub mod state;
