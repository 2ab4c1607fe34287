//! The HTTP baseline of `scripts/bench/http.sh` (docs/benchmarks.md): a minimal actix-web
//! server that does what any JSON-over-HTTP evaluation endpoint must do at least — parse the
//! same request body with serde, answer a JSON body of the same size — and nothing else (no
//! snapshot lookup, no evaluation, no request id or clock).
//!
//! ```sh
//! cargo build --release -p flipt-read --examples
//! BASELINE_HTTP_PORT=18090 BASELINE_TEMPLATES=/tmp/templates target/release/examples/baseline
//! ```
//!
//! Routes (loopback only):
//! - `POST /evaluate/v1/variant|boolean|batch`: parses the body as the read tier's request
//!   shape, clones the response template, copies the request's flag keys into it, serializes;
//! - `GET /snapshot`: a pre-rendered document (the read tier's snapshot, 200 comparison);
//! - `GET /hello`: `Hello, World!`;
//! - `GET /internal/v1/evaluation/snapshot/namespace/default`: the same hello world at the
//!   snapshot's path (a static route), so that it reads the same request as the read tier's
//!   304 (the 304 comparison: request line and headers cost the same on both sides).
//!
//! `BASELINE_TEMPLATES` names a folder with `variant.json`, `boolean.json`, `batch.json` and
//! `snapshot.json`, captured from the read tier by the script so that sizes match; without it,
//! built-in templates are used. `BASELINE_WORKERS` sets the actix worker count (default: one
//! per available core, like the read tier).

use std::collections::HashMap;
use std::path::Path;

use actix_web::web::{self, Bytes};
use actix_web::{App, HttpResponse, HttpServer};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(dead_code)] // parsed like the real request; only `flag_key` is used
struct EvaluationRequest {
    request_id: String,
    namespace_key: String,
    flag_key: String,
    entity_id: String,
    context: HashMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(dead_code)]
struct BatchRequest {
    request_id: String,
    requests: Vec<EvaluationRequest>,
}

#[derive(Serialize, Deserialize, Clone, Default)]
#[serde(rename_all = "camelCase", default)]
struct VariantResponse {
    r#match: bool,
    segment_keys: Vec<String>,
    reason: String,
    variant_key: String,
    variant_attachment: String,
    request_id: String,
    request_duration_millis: f64,
    timestamp: String,
    flag_key: String,
}

#[derive(Serialize, Deserialize, Clone, Default)]
#[serde(rename_all = "camelCase", default)]
struct BooleanResponse {
    enabled: bool,
    reason: String,
    request_id: String,
    request_duration_millis: f64,
    timestamp: String,
    flag_key: String,
    segment_keys: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Default)]
#[serde(rename_all = "camelCase", default)]
struct BatchItem {
    r#type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant_response: Option<VariantResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    boolean_response: Option<BooleanResponse>,
}

#[derive(Serialize, Deserialize, Clone, Default)]
#[serde(rename_all = "camelCase", default)]
struct BatchResponse {
    request_id: String,
    responses: Vec<BatchItem>,
    request_duration_millis: f64,
}

struct Templates {
    variant: VariantResponse,
    boolean: BooleanResponse,
    batch: BatchResponse,
    snapshot: Bytes,
}

const VARIANT: &str = r#"{"match":true,"segmentKeys":["beta-pro"],"reason":"MATCH_EVALUATION_REASON","variantKey":"control","variantAttachment":"","requestId":"00000000-0000-4000-8000-000000000000","requestDurationMillis":0.012345,"timestamp":"2026-01-01T00:00:00.123456789Z","flagKey":"variant-0"}"#;
const BOOLEAN: &str = r#"{"enabled":true,"reason":"MATCH_EVALUATION_REASON","requestId":"00000000-0000-4000-8000-000000000000","requestDurationMillis":0.012345,"timestamp":"2026-01-01T00:00:00.123456789Z","flagKey":"boolean-0","segmentKeys":[]}"#;

impl Templates {
    fn load(dir: Option<&Path>) -> std::io::Result<Templates> {
        let read = |name: &str, fallback: &str| -> std::io::Result<Vec<u8>> {
            match dir {
                Some(dir) => std::fs::read(dir.join(name)),
                None => Ok(fallback.as_bytes().to_vec()),
            }
        };
        let variant: VariantResponse = parse(read("variant.json", VARIANT)?)?;
        let boolean: BooleanResponse = parse(read("boolean.json", BOOLEAN)?)?;
        let batch = match dir {
            Some(_) => parse(read("batch.json", "")?)?,
            None => BatchResponse {
                request_id: variant.request_id.clone(),
                request_duration_millis: variant.request_duration_millis,
                responses: (0..10)
                    .map(|i| BatchItem {
                        r#type: "VARIANT_EVALUATION_RESPONSE_TYPE".to_owned(),
                        variant_response: Some(VariantResponse {
                            flag_key: format!("variant-{i}"),
                            ..variant.clone()
                        }),
                        boolean_response: None,
                    })
                    .collect(),
            },
        };
        let snapshot = Bytes::from(read("snapshot.json", r#"{"namespace":{"key":"default"}}"#)?);
        Ok(Templates {
            variant,
            boolean,
            batch,
            snapshot,
        })
    }
}

fn parse<T: serde::de::DeserializeOwned>(bytes: Vec<u8>) -> std::io::Result<T> {
    serde_json::from_slice(&bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

fn json(body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

fn bad_request(err: serde_json::Error) -> HttpResponse {
    HttpResponse::BadRequest().body(err.to_string())
}

async fn variant(t: web::Data<Templates>, body: Bytes) -> HttpResponse {
    let req: EvaluationRequest = match serde_json::from_slice(&body) {
        Ok(req) => req,
        Err(err) => return bad_request(err),
    };
    let mut resp = t.variant.clone();
    resp.flag_key = req.flag_key;
    json(serde_json::to_vec(&resp).unwrap_or_default())
}

async fn boolean(t: web::Data<Templates>, body: Bytes) -> HttpResponse {
    let req: EvaluationRequest = match serde_json::from_slice(&body) {
        Ok(req) => req,
        Err(err) => return bad_request(err),
    };
    let mut resp = t.boolean.clone();
    resp.flag_key = req.flag_key;
    json(serde_json::to_vec(&resp).unwrap_or_default())
}

async fn batch(t: web::Data<Templates>, body: Bytes) -> HttpResponse {
    let req: BatchRequest = match serde_json::from_slice(&body) {
        Ok(req) => req,
        Err(err) => return bad_request(err),
    };
    let mut resp = t.batch.clone();
    for (item, inner) in resp.responses.iter_mut().zip(req.requests) {
        if let Some(r) = item.variant_response.as_mut() {
            r.flag_key = inner.flag_key;
        } else if let Some(r) = item.boolean_response.as_mut() {
            r.flag_key = inner.flag_key;
        }
    }
    json(serde_json::to_vec(&resp).unwrap_or_default())
}

async fn snapshot(t: web::Data<Templates>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(t.snapshot.clone())
}

async fn hello() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("Hello, World!")
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("BASELINE_HTTP_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(18090);
    let dir = std::env::var_os("BASELINE_TEMPLATES").map(std::path::PathBuf::from);
    let templates = web::Data::new(Templates::load(dir.as_deref())?);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(templates.clone())
            .route("/evaluate/v1/variant", web::post().to(variant))
            .route("/evaluate/v1/boolean", web::post().to(boolean))
            .route("/evaluate/v1/batch", web::post().to(batch))
            .route("/snapshot", web::get().to(snapshot))
            .route("/hello", web::get().to(hello))
            .route(
                "/internal/v1/evaluation/snapshot/namespace/default",
                web::get().to(hello),
            )
    })
    .bind(("127.0.0.1", port))?;
    if let Some(workers) = std::env::var("BASELINE_WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
    {
        server = server.workers(workers);
    }
    server.run().await
}
