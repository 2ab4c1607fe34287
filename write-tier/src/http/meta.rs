//! The Meta API over REST (api.md §9): `GET /meta/info` and `GET /meta/config`, raw JSON with
//! `Content-Type: application/json`; `?pretty` or `Accept: application/json+pretty` indents it.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::service::meta;
use crate::state::AppState;
use flipt_shared::gateway::method_not_allowed;

/// Whether the client asked for indented JSON.
fn pretty(req: &HttpRequest) -> bool {
    let query = req.query_string();
    let in_query = query
        .split('&')
        .any(|pair| pair.split_once('=').map_or(pair, |(k, _)| k) == "pretty");
    let in_accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json+pretty"));
    in_query || in_accept
}

fn json(req: &HttpRequest, value: &serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(meta::render(value, pretty(req)))
}

async fn info(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    json(&req, &state.meta.info())
}

async fn config(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    json(&req, &state.meta.configuration)
}

/// Registers `/meta/info` and `/meta/config`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/meta/info")
            .route(web::get().to(info))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/meta/config")
            .route(web::get().to(config))
            .default_service(web::to(method_not_allowed)),
    );
}
