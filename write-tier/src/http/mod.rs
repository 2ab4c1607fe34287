//! REST adapter: Flipt's `/api/v1` gateway routes over the service layer, plus `/health`.
//!
//! Handlers decode the request message (body for POST/PUT, query string for GET/DELETE),
//! bind path parameters over it, call one service function and encode the response message
//! in proto3 JSON with defaults emitted.

mod management;
mod meta;
mod ui;

use actix_web::{web, HttpRequest, HttpResponse};
use flipt_shared::transport::ErrorBody;

use crate::state::AppState;

/// Registers every route of the write tier's HTTP listener.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health))
        .route("/health/ready", web::get().to(ready))
        .route("/metrics", web::get().to(metrics));
    management::routes(cfg);
    meta::routes(cfg);
    ui::routes(cfg);
}

/// The response for paths no route matches: Flipt's gateway body under its prefixes,
/// a plain-text 404 elsewhere.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    if flipt_shared::gateway::is_gateway_path(req.path()) {
        flipt_shared::gateway::not_found_response()
    } else {
        HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("404 page not found\n")
    }
}

/// `GET /health`: the gRPC health state of the process, bridged to HTTP.
async fn health(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let service = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| {
            q.iter()
                .find(|(k, _)| k == "service")
                .map(|(_, v)| v.clone())
        })
        .unwrap_or_default();
    if !crate::grpc::is_known_service(&service) {
        return ErrorBody::new(tonic::Code::NotFound, "unknown service").into_response();
    }
    if state.health.is_serving() {
        HttpResponse::Ok()
            .content_type("application/json")
            .body(r#"{"status":"SERVING"}"#)
    } else {
        ErrorBody::new(tonic::Code::Unavailable, "service is not serving").into_response()
    }
}

/// `GET /health/ready`: the primary answers and, in standalone mode, snapshots are loaded;
/// 503 while shutting down.
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let reader_ready = state.reader.as_ref().is_none_or(|r| r.cache.is_ready());
    if state.health.is_serving() && reader_ready && state.db.ping().await.is_ok() {
        HttpResponse::Ok()
            .content_type("application/json")
            .body(r#"{"status":"READY"}"#)
    } else {
        ErrorBody::new(tonic::Code::Unavailable, "not ready").into_response()
    }
}

/// `GET /metrics`: Prometheus text exposition.
async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let text = match &state.reader {
        Some(reader) => reader.render_metrics(),
        None => state.metrics.render(),
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text)
}
