//! REST adapter: Flipt's `/api/v1` gateway routes over the service layer, plus `/health`.
//!
//! Handlers decode the request message (body for POST/PUT, query string for GET/DELETE),
//! bind path parameters over it, call one service function and encode the response message
//! in proto3 JSON with defaults emitted.

mod management;
mod wire;

use actix_web::{web, HttpRequest, HttpResponse};
use flipt_shared::transport::ErrorBody;

use crate::state::AppState;

/// Registers every route of the write tier's HTTP listener.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health));
    management::routes(cfg);
}

/// The response for paths no route matches: Flipt's gateway body under its prefixes,
/// a plain-text 404 elsewhere.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    if wire::is_gateway_path(req.path()) {
        ErrorBody::new(tonic::Code::NotFound, "Not Found").into_response()
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
