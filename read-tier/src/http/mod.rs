//! REST adapter of the read tier: `/evaluate/v1/*`, the legacy `/api/v1/*evaluate` routes, the
//! client-side snapshot and OFREP. `routes` is also mounted by the standalone write tier.

mod ofrep;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use flipt_proto::flipt as pb;
use flipt_proto::flipt::evaluation as ev;
use flipt_shared::gateway::{bind_namespace, decode, method_not_allowed, path, respond};
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
        flipt_shared::transport::ErrorBody::new(
            tonic::Code::Unavailable,
            "no snapshot has been loaded yet",
        )
        .into_response()
    }
}

/// Registers the evaluation surfaces (needs `web::Data<ReadState>` in the app).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/evaluate/v1/variant").route(web::post().to(variant)))
        .service(resource("/evaluate/v1/boolean").route(web::post().to(boolean)))
        .service(resource("/evaluate/v1/batch").route(web::post().to(batch)))
        .service(resource("/api/v1/evaluate").route(web::post().to(legacy_evaluate)))
        .service(
            resource("/api/v1/namespaces/{ns}/evaluate").route(web::post().to(legacy_evaluate)),
        )
        .service(resource("/api/v1/batch-evaluate").route(web::post().to(legacy_batch)))
        .service(
            resource("/api/v1/namespaces/{ns}/batch-evaluate").route(web::post().to(legacy_batch)),
        )
        .service(
            resource("/internal/v1/evaluation/snapshot/namespace/{key}")
                .route(web::get().to(snapshot)),
        );
    ofrep::routes(cfg);
}

async fn variant(state: Data, body: web::Bytes) -> Result<HttpResponse> {
    let req: ev::EvaluationRequest = decode(&body)?;
    respond(&service::evaluation::variant(&state.cache, req)?)
}

async fn boolean(state: Data, body: web::Bytes) -> Result<HttpResponse> {
    let req: ev::EvaluationRequest = decode(&body)?;
    respond(&service::evaluation::boolean(&state.cache, req)?)
}

async fn batch(state: Data, body: web::Bytes) -> Result<HttpResponse> {
    let req: ev::BatchEvaluationRequest = decode(&body)?;
    respond(&service::evaluation::batch(&state.cache, req)?)
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

fn first_header<'r>(req: &'r HttpRequest, name: &str) -> Option<&'r str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn snapshot(state: Data, req: HttpRequest) -> HttpResponse {
    let key = path(&req, "key");
    let reply = service::snapshot::fetch(
        &state.cache,
        &key,
        first_header(&req, "if-none-match"),
        first_header(&req, "x-flipt-accept-server-version"),
    );
    match reply {
        SnapshotReply::NotModified { etag } => HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish(),
        SnapshotReply::Document { etag, body } => {
            let mut resp = HttpResponse::Ok();
            resp.content_type("application/json");
            if let Some(etag) = etag {
                resp.insert_header((header::ETAG, etag));
            }
            resp.body(body)
        }
    }
}
