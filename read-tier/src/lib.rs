//! The read tier: evaluation over read replicas (`/evaluate/v1/*`, the legacy `/api/v1`
//! evaluation routes, the client-side snapshot, OFREP; gRPC `flipt.evaluation.*`,
//! `flipt.ofrep.*` and the legacy `flipt.Flipt/Evaluate`). It never writes SQL.
//!
//! Everything is also a library so the standalone write tier can mount the same routes and
//! services over its own database.

pub mod cache;
pub mod document;
pub mod grpc;
pub mod http;
pub mod l2;
pub mod metrics;
pub mod notify;
pub mod service;
pub mod startup;
pub mod state;
