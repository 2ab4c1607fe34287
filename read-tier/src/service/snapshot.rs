//! The client-side snapshot (`GET /internal/v1/evaluation/snapshot/namespace/{key}`, gRPC
//! `flipt.evaluation.DataService`; api.md §6).

use std::sync::Arc;

use actix_web::http::header::HeaderValue;
use bytes::Bytes;
use flipt_proto::flipt::evaluation as ev;
use flipt_shared::snapshot::ClientVersion;

use crate::cache::SnapshotCache;
use crate::document::Document;

/// The answer to a snapshot request.
pub enum SnapshotReply {
    /// The client's ETag is current: 304 with no body.
    NotModified { etag: HeaderValue },
    /// The namespace's document and its ETag.
    Document {
        etag: HeaderValue,
        document: Arc<Document>,
    },
    /// The namespace does not exist: an empty document (JSON text), without ETag.
    Missing { body: Bytes },
}

/// Answers a snapshot request over HTTP: exact `If-None-Match` comparison, version gating by
/// `X-Flipt-Accept-Server-Version`, pre-rendered documents (the caller picks their encoding).
pub fn fetch(
    cache: &SnapshotCache,
    key: &str,
    if_none_match: Option<&[u8]>,
    accept_version: Option<&str>,
) -> SnapshotReply {
    let Some(entry) = cache.get(key) else {
        let empty = ev::EvaluationNamespaceSnapshot {
            namespace: Some(ev::EvaluationNamespace {
                key: key.to_owned(),
            }),
            flags: Vec::new(),
        };
        return SnapshotReply::Missing {
            body: Bytes::from(flipt_proto::json::to_vec(&empty).unwrap_or_default()),
        };
    };
    if if_none_match == Some(entry.etag.as_bytes()) {
        return SnapshotReply::NotModified {
            etag: entry.etag_header.clone(),
        };
    }
    let accept = ClientVersion::parse_header(accept_version);
    SnapshotReply::Document {
        etag: entry.etag_header.clone(),
        document: entry.document(&accept),
    }
}

/// The snapshot as a message, for gRPC.
pub fn document(
    cache: &SnapshotCache,
    key: &str,
    accept_version: Option<&str>,
) -> ev::EvaluationNamespaceSnapshot {
    match cache.get(key) {
        Some(entry) => entry
            .snapshot
            .client_document(key, ClientVersion::parse_header(accept_version)),
        None => ev::EvaluationNamespaceSnapshot {
            namespace: Some(ev::EvaluationNamespace {
                key: key.to_owned(),
            }),
            flags: Vec::new(),
        },
    }
}
