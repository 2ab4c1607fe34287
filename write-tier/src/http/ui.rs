//! The embedded dashboard (`write-tier/ui`, built by `build.rs`): static assets, and
//! `index.html` for every other non-API `GET` path so the single-page app's URLs can be
//! bookmarked (dashboard.md §1.4, §7).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use flipt_shared::transport::ErrorBody;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));
}

/// Only self-hosted scripts, styles and connections; images from anywhere; no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
                   form-action 'self'; frame-ancestors 'none'";

/// Hashed build outputs never change under the same name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Registers the dashboard's catch-all `GET`/`HEAD` route; register it after every other route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/{tail:.*}")
            .route(web::get().to(serve))
            .route(web::head().to(serve))
            .default_service(web::to(super::not_found)),
    );
}

fn asset(path: &str) -> Option<&'static [u8]> {
    assets::ASSETS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, body)| *body)
}

/// Paths the dashboard never answers: API gateways, health and metrics keep their 404s.
fn is_reserved(path: &str) -> bool {
    flipt_shared::gateway::is_gateway_path(path)
        || path.starts_with("/health")
        || path.starts_with("/metrics")
}

async fn serve(req: HttpRequest) -> HttpResponse {
    let path = req.path();
    if is_reserved(path) {
        return super::not_found(req).await;
    }
    let Some(index) = asset("index.html") else {
        // Built with SKIP_UI_BUILD=1: no dashboard.
        if path == "/" {
            return ErrorBody::new(
                tonic::Code::NotFound,
                "dashboard not built into this binary (SKIP_UI_BUILD=1)",
            )
            .into_response();
        }
        return super::not_found(req).await;
    };
    let rel = path.trim_start_matches('/');
    if !rel.is_empty() && rel != "index.html" {
        if let Some(body) = asset(rel) {
            let cache = if rel.starts_with("assets/") {
                IMMUTABLE
            } else {
                "no-cache"
            };
            return with_security_headers(HttpResponse::Ok())
                .content_type(content_type(rel))
                .insert_header((header::CACHE_CONTROL, cache))
                .body(body);
        }
        // A missing build output must not be answered with the app shell.
        if rel.starts_with("assets/") || (rel.contains('.') && !rel.contains('/')) {
            return super::not_found(req).await;
        }
    }
    with_security_headers(HttpResponse::Ok())
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(index_for(index, path))
}

fn with_security_headers(
    mut res: actix_web::HttpResponseBuilder,
) -> actix_web::HttpResponseBuilder {
    res.insert_header((
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    ))
    .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
    .insert_header((header::X_FRAME_OPTIONS, "DENY"))
    .insert_header((header::REFERRER_POLICY, "same-origin"));
    res
}

/// `index.html` with a relative `<base href>` that points back at the app root from `path`, so
/// relative asset and API URLs work on deep links and under any reverse-proxy prefix.
fn index_for(index: &[u8], path: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(index);
    let base = relative_base(path);
    html.replacen(
        "<head>",
        &format!("<head>\n    <base href=\"{base}\" />"),
        1,
    )
    .into_bytes()
}

/// "./" for "/" and "/x", "../" for "/x/y" or "/x/", and so on.
fn relative_base(path: &str) -> String {
    let depth = path.matches('/').count().saturating_sub(1);
    if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_base_points_at_the_app_root() {
        assert_eq!(relative_base("/"), "./");
        assert_eq!(relative_base("/settings"), "./");
        assert_eq!(relative_base("/settings/"), "../");
        assert_eq!(relative_base("/namespaces/default/flags"), "../../");
        assert_eq!(
            relative_base("/namespaces/default/flags/a/rules"),
            "../../../../"
        );
    }

    #[test]
    fn reserved_paths_are_not_the_dashboard() {
        for p in [
            "/api/v1/x",
            "/evaluate/v1",
            "/meta",
            "/health",
            "/health/ready",
            "/metrics",
        ] {
            assert!(is_reserved(p), "{p}");
        }
        for p in [
            "/",
            "/namespaces/default/flags",
            "/settings",
            "/metadata-page",
        ] {
            assert!(!is_reserved(p), "{p}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type("assets/a.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("assets/a.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("x.bin"), "application/octet-stream");
    }
}
