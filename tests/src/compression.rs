//! Response compression (api.md §2: gzip when the request has `Accept-Encoding: gzip`), on
//! the standalone write tier and on a read instance: management, evaluation and error bodies,
//! and no compression for clients that accept none we offer. Like Flipt's gateway (whose
//! compressor registers gzip and deflate), deflate is offered too; brotli and zstd are not.

use std::io::Read;

use serde_json::{json, Value};

use crate::evaluation::synced;
use crate::harness::{Backend, TestApp};
use crate::read_harness::ReadApp;

/// An answer's status, `Content-Encoding` and body (decompressed).
async fn send(req: reqwest::RequestBuilder, accept: Option<&str>) -> (u16, Option<String>, Value) {
    let req = match accept {
        Some(accept) => req.header("Accept-Encoding", accept),
        None => req,
    };
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let encoding = resp
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let raw = resp.bytes().await.expect("body");
    let mut text = String::new();
    match encoding.as_deref() {
        Some("gzip") => flate2::read::GzDecoder::new(&raw[..])
            .read_to_string(&mut text)
            .map(drop)
            .expect("a gzip body"),
        Some("deflate") => flate2::read::ZlibDecoder::new(&raw[..])
            .read_to_string(&mut text)
            .map(drop)
            .expect("a deflate body"),
        _ => text = String::from_utf8(raw.to_vec()).expect("utf-8"),
    }
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, encoding, body)
}

#[tokio::test]
async fn responses_are_gzipped_for_clients_that_accept_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, body) = app
        .post(
            "/api/v1/namespaces/default/flags",
            json!({"key": "zip", "name": "Zip", "type": "BOOLEAN_FLAG_TYPE", "enabled": true}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "default").await;

    let eval = json!({"namespaceKey": "default", "flagKey": "zip", "entityId": "e1"});
    for (base, http) in [(&app.http_base, &app.http), (&read.http_base, &read.http)] {
        let flags = || http.get(format!("{base}/api/v1/namespaces/default/flags"));
        let boolean = || http.post(format!("{base}/evaluate/v1/boolean")).json(&eval);
        let missing = || {
            http.post(format!("{base}/evaluate/v1/boolean"))
                .json(&json!({"flagKey": "nope"}))
        };
        let (plain_status, plain_encoding, plain) = send(boolean(), None).await;
        assert_eq!((plain_status, plain_encoding), (200, None));
        for accept in ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5"] {
            let (status, encoding, body) = send(boolean(), Some(accept)).await;
            assert_eq!(status, 200, "{base} {accept}");
            assert_eq!(encoding.as_deref(), Some("gzip"), "{base} {accept}");
            assert_eq!(body["enabled"], plain["enabled"]);
            assert_eq!(body["flagKey"], "zip");
            let (status, encoding, body) = send(missing(), Some(accept)).await;
            assert_eq!(status, 404, "{body}");
            assert_eq!(encoding.as_deref(), Some("gzip"), "error bodies too");
            assert_eq!(body["code"], 5);
        }
        for accept in ["br", "zstd", "identity", "gzip;q=0"] {
            let (status, encoding, _) = send(boolean(), Some(accept)).await;
            assert_eq!(
                (status, encoding.as_deref()),
                (200, None),
                "{base} {accept}"
            );
        }
        let (status, encoding, body) = send(boolean(), Some("deflate")).await;
        assert_eq!((status, encoding.as_deref()), (200, Some("deflate")));
        assert_eq!(body["flagKey"], "zip");
        let (status, encoding, list) = send(flags(), Some("gzip")).await;
        if base == &app.http_base {
            assert_eq!(status, 200);
            assert_eq!(encoding.as_deref(), Some("gzip"));
            assert_eq!(list["flags"][0]["key"], "zip");
            let (_, _, plain_list) = send(flags(), None).await;
            assert_eq!(list, plain_list);
        } else {
            // The read tier serves no management route: its error is compressed all the same.
            assert_eq!(status, 501);
            assert_eq!(encoding.as_deref(), Some("gzip"));
            assert_eq!(list["code"], 12);
        }
    }
    app.shutdown().await;
}
