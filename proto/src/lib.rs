//! Flipt v1 wire types: the `.proto` files under `proto/proto`, compiled at build time.
//!
//! What lives here:
//! - prost messages and enums, one module per protobuf package: [`flipt`] (management API and
//!   legacy evaluation), [`flipt::evaluation`] (evaluation + client-side snapshot),
//!   [`flipt::auth`], [`flipt::meta`], [`flipt::ofrep`], [`flipt::analytics`],
//!   [`flipt::extensions`] (our additions),
//!   [`google::rpc`] (`Status`, the REST error body) and [`google::api`] (`HttpBody`);
//! - tonic servers and clients for every service (`flipt::flipt_server::Flipt`,
//!   `flipt::flipt_client::FliptClient`, `flipt::evaluation::evaluation_service_server::…`);
//! - proto3-JSON serde impls (pbjson) for every message: lowerCamelCase names on output, zero
//!   values emitted, unset message/`optional` fields omitted, enums by name; both camelCase and
//!   snake_case names and unknown fields accepted on input;
//! - [`json`]: the REST JSON writer and reader (Go-compatible float formatting, null handling);
//! - [`FILE_DESCRIPTOR_SET`] for gRPC reflection.
//!
//! Well-known types come from [`pbjson_types`] (`Empty`, `Struct`, `Value`, `ListValue`, `Any`),
//! except `google.protobuf.Timestamp`, which is [`google::protobuf::Timestamp`]: same wire
//! format, but its JSON form is RFC 3339 with a `Z` suffix and 0/3/6/9 fractional digits as
//! Flipt's gateway prints it.

pub mod json;

/// Re-exported so callers name well-known types without their own dependency.
pub use pbjson_types;

/// Encoded `google.protobuf.FileDescriptorSet` of all Flipt protos and their imports
/// (for `tonic-reflection`).
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/flipt_descriptor.bin"));

/// Package `flipt`: management API and legacy evaluation (service `Flipt`).
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    rustdoc::all
)]
pub mod flipt {
    include!(concat!(env!("OUT_DIR"), "/flipt.rs"));
    include!(concat!(env!("OUT_DIR"), "/flipt.serde.rs"));

    /// Package `flipt.evaluation`: `EvaluationService` and `DataService` (snapshots).
    pub mod evaluation {
        include!(concat!(env!("OUT_DIR"), "/flipt.evaluation.rs"));
        include!(concat!(env!("OUT_DIR"), "/flipt.evaluation.serde.rs"));
    }

    /// Package `flipt.auth`: authentication services.
    pub mod auth {
        include!(concat!(env!("OUT_DIR"), "/flipt.auth.rs"));
        include!(concat!(env!("OUT_DIR"), "/flipt.auth.serde.rs"));
    }

    /// Package `flipt.meta`: `MetadataService` (returns `google.api.HttpBody`).
    pub mod meta {
        include!(concat!(env!("OUT_DIR"), "/flipt.meta.rs"));
    }

    /// Package `flipt.ofrep`: OpenFeature Remote Evaluation Protocol.
    pub mod ofrep {
        include!(concat!(env!("OUT_DIR"), "/flipt.ofrep.rs"));
        include!(concat!(env!("OUT_DIR"), "/flipt.ofrep.serde.rs"));
    }

    /// Package `flipt.analytics`: internal analytics API.
    pub mod analytics {
        include!(concat!(env!("OUT_DIR"), "/flipt.analytics.rs"));
        include!(concat!(env!("OUT_DIR"), "/flipt.analytics.serde.rs"));
    }

    /// Package `flipt.extensions`: this implementation's additions (`Extensions`: server-side
    /// flag, segment and namespace copy and segment usage); not part of Flipt v1.
    pub mod extensions {
        include!(concat!(env!("OUT_DIR"), "/flipt.extensions.rs"));
        include!(concat!(env!("OUT_DIR"), "/flipt.extensions.serde.rs"));
    }
}

/// Google packages used by Flipt's API.
pub mod google {
    /// Package `google.rpc`: `Status`, the body of every REST error.
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        clippy::unwrap_used,
        clippy::expect_used,
        missing_docs,
        rustdoc::all
    )]
    pub mod rpc {
        include!(concat!(env!("OUT_DIR"), "/google.rpc.rs"));
        include!(concat!(env!("OUT_DIR"), "/google.rpc.serde.rs"));
    }

    /// Package `google.api`: `HttpBody`.
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        clippy::unwrap_used,
        clippy::expect_used,
        missing_docs,
        rustdoc::all
    )]
    pub mod api {
        include!(concat!(env!("OUT_DIR"), "/google.api.rs"));
        include!(concat!(env!("OUT_DIR"), "/google.api.serde.rs"));
    }

    /// Package `google.protobuf`: only the types whose JSON form we implement ourselves.
    pub mod protobuf {
        mod timestamp;

        pub use timestamp::Timestamp;
    }
}

#[cfg(test)]
mod tests;
