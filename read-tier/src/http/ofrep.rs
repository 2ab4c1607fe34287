//! OFREP routes, with OFREP's own error body.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use flipt_shared::gateway::{method_not_allowed, path, respond};

use crate::service::ofrep::{self, ErrorCode, OfrepError};
use crate::state::ReadState;

type Data = web::Data<ReadState>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ofrep/v1/configuration")
            .route(web::get().to(configuration))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/ofrep/v1/evaluate/flags")
            .route(web::post().to(bulk))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/ofrep/v1/evaluate/flags/{key}")
            .route(web::post().to(single))
            .default_service(web::to(method_not_allowed)),
    );
}

fn error_response(err: &OfrepError) -> HttpResponse {
    HttpResponse::build(
        StatusCode::from_u16(err.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    )
    .content_type("application/json")
    .body(err.body())
}

fn namespace(req: &HttpRequest) -> String {
    req.headers()
        .get("x-flipt-namespace")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Reads `{"context": {...}}`; an empty body is an empty context.
fn context(body: &[u8]) -> Result<BTreeMap<String, String>, OfrepError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(BTreeMap::new());
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| OfrepError {
        key: None,
        code: ErrorCode::InvalidContext,
        details: e.to_string(),
    })?;
    match &value {
        serde_json::Value::Object(map) => ofrep::context_from_json(map.get("context")),
        _ => Err(OfrepError {
            key: None,
            code: ErrorCode::InvalidContext,
            details: "invalid values for key(s) in json body".to_owned(),
        }),
    }
}

async fn configuration(state: Data) -> HttpResponse {
    respond(&ofrep::configuration(state.ofrep_polling_ms))
        .unwrap_or_else(|e| actix_web::ResponseError::error_response(&e))
}

async fn single(state: Data, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let result = context(&body).and_then(|ctx| {
        ofrep::evaluate_flag(&state.cache, &namespace(&req), &path(&req, "key"), &ctx)
    });
    match result {
        Ok(flag) => respond(&flag).unwrap_or_else(|e| actix_web::ResponseError::error_response(&e)),
        Err(err) => error_response(&err),
    }
}

async fn bulk(state: Data, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let result =
        context(&body).and_then(|ctx| ofrep::evaluate_bulk(&state.cache, &namespace(&req), &ctx));
    match result {
        Ok(flags) => {
            respond(&flags).unwrap_or_else(|e| actix_web::ResponseError::error_response(&e))
        }
        Err(err) => error_response(&err),
    }
}
