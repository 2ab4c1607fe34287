//! REST adapter of the read tier: `/evaluate/v1/*`, the legacy `/api/v1/*evaluate` routes, the
//! client-side snapshot and OFREP. `routes` is also mounted by the standalone write tier.

mod eval_json;
mod eval_request;
mod ofrep;

use std::borrow::Cow;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};
use flipt_proto::flipt as pb;
use flipt_shared::gateway::{self, bind_namespace, decode, method_not_allowed, respond};
use flipt_shared::transport::ErrorBody;
use flipt_shared::Result;

use crate::service::{self, snapshot::SnapshotReply};
use crate::state::ReadState;

type Data = web::Data<ReadState>;

fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

/// Registers `/metrics` and `/health/ready` (needs `web::Data<ReadState>` in the app).
pub fn operational_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(metrics))
        .route("/health/ready", web::get().to(ready));
}

/// `GET /metrics`: Prometheus text exposition.
async fn metrics(state: Data) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.render_metrics())
}

/// `GET /health/ready`: ready once every namespace has been loaded once; stays ready while a
/// replica or Redis is down (the last snapshots keep serving, their age is in `/metrics`).
async fn ready(state: Data) -> HttpResponse {
    if state.cache.is_ready() {
        HttpResponse::Ok()
            .content_type("application/json")
            .body(r#"{"status":"READY"}"#)
    } else {
        ErrorBody::new(tonic::Code::Unavailable, "no snapshot has been loaded yet").into_response()
    }
}

/// Registers the evaluation surfaces (needs `web::Data<ReadState>` in the app).
///
/// actix tries resources in registration order and matches each pattern with a parameter
/// through a regex (about as costly as answering a 304), so static paths come first and the
/// snapshot route is matched by hand in a scope that other paths pass with one prefix
/// comparison.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/internal/v1").default_service(web::to(internal)))
        .service(resource("/evaluate/v1/variant").route(web::post().to(variant)))
        .service(resource("/evaluate/v1/boolean").route(web::post().to(boolean)))
        .service(resource("/evaluate/v1/batch").route(web::post().to(batch)))
        .service(resource("/api/v1/evaluate").route(web::post().to(legacy_evaluate)))
        .service(
            resource("/api/v1/namespaces/{ns}/evaluate").route(web::post().to(legacy_evaluate)),
        )
        .service(resource("/api/v1/batch-evaluate").route(web::post().to(legacy_batch)))
        .service(
            resource("/api/v1/namespaces/{ns}/batch-evaluate").route(web::post().to(legacy_batch)),
        );
    ofrep::routes(cfg);
}

/// The prefix of the client-side snapshot route, `…/namespace/{key}`.
const SNAPSHOT_PREFIX: &str = "/internal/v1/evaluation/snapshot/namespace/";

/// The raw (still percent-encoded) namespace key of a snapshot path, or `None` for any other
/// path: the key is one non-empty segment.
fn snapshot_key(path: &str) -> Option<&str> {
    let key = path.strip_prefix(SNAPSHOT_PREFIX)?;
    (!key.is_empty() && !key.contains('/')).then_some(key)
}

/// Everything under `/internal/v1`: the snapshot route, else the gateway's 404.
async fn internal(state: Data, req: HttpRequest) -> HttpResponse {
    let Some(raw) = snapshot_key(req.path()) else {
        return gateway::not_found_response();
    };
    if req.method() != Method::GET {
        return gateway::method_not_allowed_response();
    }
    // A key is fully percent-decoded, as path parameters are (`gateway::path`); without a `%`
    // it is borrowed as it is.
    let key = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .unwrap_or(Cow::Borrowed(raw));
    snapshot(&state, &req, &key)
}

async fn variant(state: Data, body: web::Bytes) -> Result<HttpResponse> {
    let req = eval_request::decode_one(&body)?;
    let json = service::evaluation::variant_with(&state.cache, &req, |answer| {
        flipt_proto::json::to_vec(&eval_json::VariantJson::of(answer))
    })?;
    json_body(json)
}

async fn boolean(state: Data, body: web::Bytes) -> Result<HttpResponse> {
    let req = eval_request::decode_one(&body)?;
    let json = service::evaluation::boolean_with(&state.cache, &req, |answer| {
        flipt_proto::json::to_vec(&eval_json::BooleanJson::of(answer))
    })?;
    json_body(json)
}

async fn batch(state: Data, body: web::Bytes) -> Result<HttpResponse> {
    let req = eval_request::decode_batch(&body)?;
    let json =
        service::evaluation::batch_with(&state.cache, &req.request_id, &req.requests, |answer| {
            flipt_proto::json::to_vec(&eval_json::BatchJson(answer))
        })?;
    json_body(json)
}

/// A `200` with a JSON body rendered by one of the views.
fn json_body(json: serde_json::Result<Vec<u8>>) -> Result<HttpResponse> {
    let body = json.map_err(flipt_shared::Error::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

async fn legacy_evaluate(state: Data, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse> {
    let mut m: pb::EvaluationRequest = decode(&body)?;
    bind_namespace(&req, &mut m.namespace_key);
    respond(&service::legacy::evaluate_one(&state.cache, m)?)
}

async fn legacy_batch(state: Data, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse> {
    let mut m: pb::BatchEvaluationRequest = decode(&body)?;
    bind_namespace(&req, &mut m.namespace_key);
    respond(&service::legacy::evaluate_batch(&state.cache, m)?)
}

/// `X-Flipt-Accept-Server-Version` (a constant: looking a header up by `&str` parses the name).
const ACCEPT_SERVER_VERSION: HeaderName = HeaderName::from_static("x-flipt-accept-server-version");

fn snapshot(state: &ReadState, req: &HttpRequest, key: &str) -> HttpResponse {
    let headers = req.headers();
    let reply = service::snapshot::fetch(
        &state.cache,
        key,
        headers
            .get(header::IF_NONE_MATCH)
            .map(HeaderValue::as_bytes),
        headers
            .get(&ACCEPT_SERVER_VERSION)
            .and_then(|v| v.to_str().ok()),
    );
    match reply {
        SnapshotReply::NotModified { etag } => HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish(),
        SnapshotReply::Document { etag, document } => {
            let mut resp = HttpResponse::Ok();
            // Its own encoding (gzip kept per revision, or identity): not compressed again.
            resp.extensions_mut().insert(gateway::Negotiated);
            resp.content_type("application/json")
                .insert_header((header::ETAG, etag))
                .insert_header((header::VARY, "Accept-Encoding"));
            match document.gzip() {
                Some(gzip) if accepts_gzip(req) => resp
                    .insert_header((header::CONTENT_ENCODING, "gzip"))
                    .body(gzip),
                _ => resp.body(document.identity_body()),
            }
        }
        SnapshotReply::Missing { body } => HttpResponse::Ok()
            .content_type("application/json")
            .body(body),
    }
}

/// Whether the request's `Accept-Encoding` admits gzip (with a non-zero quality, or through
/// `*` when gzip is not named).
fn accepts_gzip(req: &HttpRequest) -> bool {
    gateway::Accepted::of(req.headers()).gzip > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accepts(values: &[&str]) -> bool {
        let mut req = TestRequest::default();
        for v in values {
            req = req.append_header((header::ACCEPT_ENCODING, *v));
        }
        accepts_gzip(&req.to_http_request())
    }

    #[test]
    fn snapshot_keys_are_one_segment() {
        let path = |rest: &str| format!("{SNAPSHOT_PREFIX}{rest}");
        assert_eq!(snapshot_key(&path("default")), Some("default"));
        assert_eq!(snapshot_key(&path("a%2Fb")), Some("a%2Fb"));
        assert_eq!(snapshot_key(&path("")), None);
        assert_eq!(snapshot_key(&path("a/b")), None);
        assert_eq!(snapshot_key(&path("a/")), None);
        assert_eq!(
            snapshot_key("/internal/v1/evaluation/snapshot/namespace"),
            None
        );
        assert_eq!(
            snapshot_key("/internal/v1/evaluation/snapshot/default"),
            None
        );
    }

    #[test]
    fn accept_encoding_negotiation() {
        assert!(!accepts(&[]));
        assert!(accepts(&["gzip"]));
        assert!(accepts(&["GZIP"]));
        assert!(accepts(&["x-gzip"]));
        assert!(accepts(&["gzip, deflate, br"]));
        assert!(accepts(&["deflate", "gzip;q=0.5"]));
        assert!(accepts(&["br;q=1.0, gzip; q=0.8, *;q=0.1"]));
        assert!(accepts(&["*"]));
        assert!(!accepts(&["identity"]));
        assert!(!accepts(&["br, deflate"]));
        assert!(!accepts(&["gzip;q=0"]));
        assert!(
            !accepts(&["gzip;q=0.0, *"]),
            "an explicit refusal beats the wildcard"
        );
        assert!(!accepts(&["*;q=0"]));
        assert!(!accepts(&["gzip;q=abc"]));
    }
}
