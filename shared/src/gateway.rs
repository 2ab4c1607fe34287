//! Gateway mechanics shared by the REST handlers of both tiers: body decoding, query parameters,
//! binding, JSON responses, and the gateway's routing errors.

use crate::transport::ErrorBody;
use crate::{Error, Result};
use actix_web::dev::ServiceRequest;
use actix_web::http::Uri;
use actix_web::{HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Path prefixes served by the gateway (its error bodies and trailing-slash rule apply).
const GATEWAY_PREFIXES: &[&str] = &[
    "/api/v1",
    "/evaluate/v1",
    "/internal/v1",
    "/ofrep/v1",
    "/auth/v1",
    "/meta",
];

/// Whether a path belongs to the gateway.
pub fn is_gateway_path(path: &str) -> bool {
    GATEWAY_PREFIXES.iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Largest REST request body read. Flipt's gateway forwards bodies to its gRPC server, which
/// takes messages up to 4 MiB; the JSON text of such a message is larger (attachments travel as
/// escaped JSON strings, and a 1,024,000-byte attachment must reach validation).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Replaces actix's plain-text 413 for oversize bodies with the gateway's error body
/// (RESOURCE_EXHAUSTED, as Flipt's gRPC server reports messages over its limit).
fn oversize_body_as_flipt_error(
    response: actix_web::dev::ServiceResponse,
) -> actix_web::dev::ServiceResponse {
    if response.status() != actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let (request, _) = response.into_parts();
    let body = ErrorBody::new(
        tonic::Code::ResourceExhausted,
        format!("request body is larger than the maximum of {MAX_BODY_BYTES} bytes"),
    );
    actix_web::dev::ServiceResponse::new(request, body.into_response())
}

/// The gateway's request middleware (for `App::wrap_fn`): strips a trailing slash before
/// routing, gives oversize bodies the gateway's error body, and compresses responses for
/// clients that accept it ([`accepted_encoding`]).
pub fn normalize<S>(
    mut req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse, actix_web::Error>>
where
    S: actix_web::dev::Service<
        ServiceRequest,
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
    >,
{
    strip_trailing_slash(&mut req);
    let encoding = accepted_encoding(req.headers());
    let response = srv.call(req);
    async move {
        let response = oversize_body_as_flipt_error(response.await?);
        let negotiated = response.response().extensions().contains::<Negotiated>();
        Ok(match encoding {
            // Leaves empty bodies, 204/206 answers and bodies already encoded as they are;
            // sets `Content-Encoding` and `Vary` otherwise.
            Some(encoding) if !negotiated => response.map_body(|head, body| {
                actix_web::body::BoxBody::new(actix_http::encoding::Encoder::response(
                    encoding, head, body,
                ))
            }),
            _ => response,
        })
    }
}

/// A response extension: the handler chose the response's encoding itself (the client-side
/// snapshot, kept gzip-compressed per revision), so [`normalize`] does not compress it.
#[derive(Debug, Clone, Copy)]
pub struct Negotiated;

/// The response encoding a request accepts, from its `Accept-Encoding`: gzip or deflate (the
/// two Flipt's gateway offers), the one with the higher quality (gzip on a tie), `None` when
/// the header is absent or accepts neither.
pub fn accepted_encoding(
    headers: &actix_web::http::header::HeaderMap,
) -> Option<actix_web::http::header::ContentEncoding> {
    use actix_web::http::header::ContentEncoding;
    let accepted = Accepted::of(headers);
    if accepted.gzip <= 0.0 && accepted.deflate <= 0.0 {
        None
    } else if accepted.gzip >= accepted.deflate {
        Some(ContentEncoding::Gzip)
    } else {
        Some(ContentEncoding::Deflate)
    }
}

/// The quality (`q`, 0 = refused) a request's `Accept-Encoding` gives gzip (or `x-gzip`) and
/// deflate; `*` stands for a coding it does not name (RFC 9110 §12.5.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accepted {
    pub gzip: f32,
    pub deflate: f32,
}

impl Accepted {
    pub fn of(headers: &actix_web::http::header::HeaderMap) -> Accepted {
        let (mut gzip, mut deflate, mut any) = (None, None, None);
        for value in headers.get_all(actix_web::http::header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut params = item.split(';');
                let coding = params.next().unwrap_or_default().trim();
                let quality = params
                    .filter_map(|p| p.trim().split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                    .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
                if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                    gzip = Some(quality);
                } else if coding.eq_ignore_ascii_case("deflate") {
                    deflate = Some(quality);
                } else if coding == "*" {
                    any = Some(quality);
                }
            }
        }
        Accepted {
            gzip: gzip.or(any).unwrap_or(0.0),
            deflate: deflate.or(any).unwrap_or(0.0),
        }
    }
}

/// Strips one trailing `/` from gateway paths before routing (`/api/v1/namespaces/`).
pub fn strip_trailing_slash(req: &mut ServiceRequest) {
    let path = req.path();
    if path.len() <= 1 || !path.ends_with('/') || !is_gateway_path(path) {
        return;
    }
    let trimmed = &path[..path.len() - 1];
    let new = match req.query_string() {
        "" => trimmed.to_owned(),
        q => format!("{trimmed}?{q}"),
    };
    if let Ok(uri) = new.parse::<Uri>() {
        req.match_info_mut().get_mut().update(&uri);
        req.head_mut().uri = uri;
    }
}

/// Decodes a request body in proto3 JSON; an empty body is the default message.
pub fn decode<T: DeserializeOwned + Default + prost::Name>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    flipt_proto::json::from_slice(body).map_err(|err| {
        if err.classify() == serde_json::error::Category::Data {
            Error::invalid("invalid values for key(s) in json body")
        } else {
            Error::invalid(err.to_string())
        }
    })
}

/// Encodes a response message as the gateway does.
pub fn respond<T: Serialize>(message: &T) -> Result<HttpResponse> {
    let body = flipt_proto::json::to_vec(message).map_err(Error::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// The `{}` answer of delete and order operations.
pub fn empty() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body("{}")
}

/// The gateway's answer for a known path with a method it does not serve.
pub async fn method_not_allowed() -> HttpResponse {
    method_not_allowed_response()
}

/// [`method_not_allowed`], for handlers that route by hand.
pub fn method_not_allowed_response() -> HttpResponse {
    ErrorBody::new(tonic::Code::Unimplemented, "Method Not Allowed").into_response()
}

/// The gateway's answer for an unknown path under one of its prefixes.
pub fn not_found_response() -> HttpResponse {
    ErrorBody::new(tonic::Code::NotFound, "Not Found").into_response()
}

/// A path parameter, fully percent-decoded, or `""` when the route has none of that name.
///
/// actix's router decodes a segment except `%25`, `%2F` and `%2B`, which it leaves encoded;
/// one more decoding pass yields exactly the client's value.
pub fn path(req: &HttpRequest, name: &str) -> String {
    let raw = req.match_info().get(name).unwrap_or_default();
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .unwrap_or_else(|_| raw.to_owned())
}

/// Binds the namespace: from the path on namespaced routes, else what the body or query gave.
pub fn bind_namespace(req: &HttpRequest, field: &mut String) {
    if req.match_info().get("ns").is_some() {
        *field = path(req, "ns");
    }
}

/// Query parameters of a GET or DELETE route; each field by camelCase or snake_case name.
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses the query string.
    pub fn parse(req: &HttpRequest) -> Result<Self> {
        actix_web::web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map(|q| Params(q.into_inner()))
            .map_err(|e| Error::invalid(format!("invalid query string: {e}")))
    }

    fn raw(&self, names: &[&str]) -> Option<(&str, &str)> {
        // The first name (camelCase) wins over the others; the last occurrence of a name wins.
        names.iter().find_map(|name| {
            self.0
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(k, v)| (k.as_str(), v.as_str()))
        })
    }

    /// A string field (`""` when absent).
    pub fn string(&self, names: &[&str]) -> String {
        self.raw(names)
            .map(|(_, v)| v.to_owned())
            .unwrap_or_default()
    }

    /// An int32 field; empty means 0.
    pub fn int(&self, names: &[&str]) -> Result<i32> {
        match self.raw(names) {
            None | Some((_, "")) => Ok(0),
            Some((k, v)) => v.parse::<i32>().map_err(|_| {
                Error::invalid(format!("invalid value {v:?} for query parameter {k}"))
            }),
        }
    }

    /// A bool field in Go's accepted spellings; empty means false.
    pub fn bool(&self, names: &[&str]) -> Result<bool> {
        match self.raw(names) {
            None | Some((_, "")) => Ok(false),
            Some((_, "1" | "t" | "T" | "TRUE" | "true" | "True")) => Ok(true),
            Some((_, "0" | "f" | "F" | "FALSE" | "false" | "False")) => Ok(false),
            Some((k, v)) => Err(Error::invalid(format!(
                "invalid value {v:?} for query parameter {k}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn params_accept_both_spellings_and_camel_case_wins() {
        let req =
            TestRequest::with_uri("/x?page_token=a&pageToken=b&limit=3&force=t").to_http_request();
        let p = Params::parse(&req).unwrap();
        assert_eq!(p.string(&["pageToken", "page_token"]), "b");
        assert_eq!(p.int(&["limit"]).unwrap(), 3);
        assert!(p.bool(&["force"]).unwrap());
    }

    #[test]
    fn params_reject_garbage_numbers() {
        let req = TestRequest::with_uri("/x?limit=abc").to_http_request();
        let p = Params::parse(&req).unwrap();
        assert!(p.int(&["limit"]).is_err());
        let req = TestRequest::with_uri("/x?limit=&offset=0").to_http_request();
        assert_eq!(Params::parse(&req).unwrap().int(&["limit"]).unwrap(), 0);
    }

    #[test]
    fn accepted_encodings() {
        use actix_web::http::header::ContentEncoding::{Deflate, Gzip};
        let pick = |values: &[&str]| {
            let mut req = TestRequest::default();
            for v in values {
                req = req.append_header((actix_web::http::header::ACCEPT_ENCODING, *v));
            }
            accepted_encoding(req.to_http_request().headers())
        };
        assert_eq!(pick(&[]), None);
        assert_eq!(pick(&["gzip"]), Some(Gzip));
        assert_eq!(pick(&["x-gzip"]), Some(Gzip));
        assert_eq!(pick(&["gzip, deflate, br"]), Some(Gzip));
        assert_eq!(pick(&["deflate"]), Some(Deflate));
        assert_eq!(pick(&["deflate, gzip;q=0.5"]), Some(Deflate));
        assert_eq!(pick(&["br;q=1.0, gzip;q=0.8, *;q=0.1"]), Some(Gzip));
        assert_eq!(pick(&["br", "deflate;q=0.2"]), Some(Deflate));
        assert_eq!(pick(&["*"]), Some(Gzip));
        assert_eq!(pick(&["gzip;q=0, *"]), Some(Deflate));
        assert_eq!(pick(&["gzip;q=0, deflate;q=0, *"]), None);
        assert_eq!(pick(&["*;q=0"]), None);
        assert_eq!(pick(&["br, zstd"]), None);
        assert_eq!(pick(&["identity"]), None);
        assert_eq!(pick(&["gzip;q=abc"]), None);
        assert_eq!(pick(&["GZIP"]), Some(Gzip));
    }

    #[test]
    fn gateway_paths() {
        assert!(is_gateway_path("/api/v1/flags"));
        assert!(!is_gateway_path("/api/v10"));
        assert!(!is_gateway_path("/health"));
    }
}
