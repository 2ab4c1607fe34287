//! The official Flipt Python SDK (`flipt` on PyPI) against the write tier's management API.
//!
//! `TEST_PYTHON` names a Python with the SDK installed (`.ci/run` creates `.venv` and exports
//! it). Locally: `python3 -m venv .venv && .venv/bin/pip install flipt==2.0.0` and
//! `TEST_PYTHON=$PWD/.venv/bin/python`. Without it the test fails: a silent pass would hide
//! that the SDK was never exercised.

use serde_json::{json, Value};

use crate::harness::{Backend, TestApp};

fn python() -> String {
    match std::env::var("TEST_PYTHON") {
        Ok(path) if !path.is_empty() => path,
        _ => panic!(
            "TEST_PYTHON is not set: point it at a Python with the Flipt SDK installed \
             (python3 -m venv .venv && .venv/bin/pip install flipt==2.0.0; \
             TEST_PYTHON=$PWD/.venv/bin/python), as .ci/run does"
        ),
    }
}

/// Runs `tests/python/<script>` with the arguments; returns its stdout parsed as JSON.
async fn run_script(script: &str, args: &[&str]) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    let output = tokio::process::Command::new(python())
        .arg(&path)
        .args(args)
        .env_remove("PYTHONPATH")
        .output()
        .await
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}):\nstdout: {stdout}\nstderr: {stderr}",
        output.status
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{script} printed no JSON ({e}):\n{stdout}\nstderr: {stderr}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdk_lists_and_gets_flags() {
    // Fail before any work when the SDK's Python is not configured.
    python();
    let app = TestApp::spawn(Backend::Sqlite).await;

    app.post_ok("/api/v1/namespaces", json!({"key": "sdk", "name": "SDK"}))
        .await;
    let base = "/api/v1/namespaces/sdk/flags";
    app.post_ok(
        base,
        json!({"key": "checkout", "name": "New checkout", "description": "v2 flow", "enabled": true}),
    )
    .await;
    let v1 = app
        .post_ok(
            &format!("{base}/checkout/variants"),
            json!({"key": "blue", "name": "Blue", "attachment": "{\"color\": \"#00f\"}"}),
        )
        .await;
    app.post_ok(
        &format!("{base}/checkout/variants"),
        json!({"key": "green", "name": "Green"}),
    )
    .await;
    app.post_ok(
        base,
        json!({"key": "dark-mode", "name": "Dark mode", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    let (status, expected) = app.get(&format!("{base}/checkout")).await;
    assert_eq!(status, 200);

    let out = run_script("sdk_flags.py", &[app.http_base.as_str(), "sdk", "checkout"]).await;

    // list_flags
    let list = &out["list"];
    assert_eq!(list["totalCount"], 2, "{out}");
    assert_eq!(list["nextPageToken"], "");
    let flags = list["flags"].as_array().expect("flags");
    let keys: Vec<&str> = flags.iter().filter_map(|f| f["key"].as_str()).collect();
    assert_eq!(keys, ["checkout", "dark-mode"]);
    assert_eq!(flags[0]["name"], "New checkout");
    assert_eq!(flags[0]["description"], "v2 flow");
    assert_eq!(flags[0]["enabled"], true);
    assert_eq!(flags[0]["type"], "VARIANT_FLAG_TYPE");
    assert_eq!(flags[0]["namespaceKey"], "sdk");
    assert_eq!(flags[1]["name"], "Dark mode");
    assert_eq!(flags[1]["enabled"], false);
    assert_eq!(flags[1]["type"], "BOOLEAN_FLAG_TYPE");
    assert_eq!(flags[1]["variants"], json!([]));
    let variant_keys: Vec<&str> = flags[0]["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .filter_map(|v| v["key"].as_str())
        .collect();
    assert_eq!(variant_keys, ["blue", "green"]);

    // The SDK sends list parameters as a JSON document in the query string; the server must
    // tolerate it (it reads as an unknown parameter, so the whole list comes back).
    assert_eq!(out["firstPage"]["totalCount"], 2, "{out}");

    // get_flag: the SDK's parsed model matches what the API returned.
    let got = &out["get"];
    assert_eq!(got["key"], "checkout");
    assert_eq!(got["name"], "New checkout");
    assert_eq!(got["description"], "v2 flow");
    assert_eq!(got["enabled"], true);
    assert_eq!(got["namespaceKey"], "sdk");
    assert_eq!(got["type"], "VARIANT_FLAG_TYPE");
    assert_eq!(got["createdAt"], expected["createdAt"]);
    assert_eq!(got["updatedAt"], expected["updatedAt"]);
    let variants = got["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["id"], v1["id"]);
    assert_eq!(variants[0]["key"], "blue");
    assert_eq!(variants[0]["name"], "Blue");
    assert_eq!(variants[0]["flagKey"], "checkout");
    assert_eq!(variants[0]["namespaceKey"], "sdk");
    assert_eq!(variants[0]["attachment"], r##"{"color":"#00f"}"##);
    assert_eq!(
        variants[0]["createdAt"],
        expected["variants"][0]["createdAt"]
    );
    assert_eq!(variants[1]["key"], "green");
    assert_eq!(variants[1]["attachment"], "");

    // Errors reach the SDK as FliptApiError with Flipt's message.
    assert_eq!(
        out["missing"],
        json!({"status": 404, "message": "flag \"sdk/does-not-exist\" not found"})
    );

    app.shutdown().await;
}
