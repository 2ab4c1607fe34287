//! The shipped binaries as a user runs them: `flipt-write` with no configuration (standalone on
//! SQLite), its `migrate` subcommand, a bad configuration, and shutdown on SIGTERM.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn binary(name: &str) -> PathBuf {
    crate::harness::workspace_binary(name)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A command with a private HOME and no FLIPT_* variables from the environment.
fn command(name: &str, home: &std::path::Path) -> Command {
    let mut cmd = Command::new(binary(name));
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(home)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn wait_healthy(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("server exited early with {status}");
        }
        if let Ok(resp) = reqwest::blocking::get(format!("http://127.0.0.1:{port}/health")) {
            if resp.status().is_success() {
                return;
            }
        }
        assert!(Instant::now() < deadline, "server did not become healthy");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn standalone_first_run_serves_management_and_evaluation_then_stops_on_sigterm() {
    let home = tempfile::tempdir().expect("temp dir");
    let (http, grpc) = (free_port(), free_port());
    let mut child = command("flipt-write", home.path())
        .env("FLIPT_SERVER_HTTP_PORT", http.to_string())
        .env("FLIPT_SERVER_GRPC_PORT", grpc.to_string())
        .spawn()
        .expect("flipt-write starts");
    wait_healthy(http, &mut child);

    // The default SQLite database lives under the user's configuration directory.
    assert!(home.path().join(".config/flipt/flipt.db").exists());

    let client = reqwest::blocking::Client::new();
    let created = client
        .post(format!(
            "http://127.0.0.1:{http}/api/v1/namespaces/default/flags"
        ))
        .body(r#"{"key":"first","name":"First","type":"BOOLEAN_FLAG_TYPE","enabled":true}"#)
        .send()
        .expect("create flag");
    assert_eq!(created.status().as_u16(), 200);
    let evaluated: serde_json::Value = client
        .post(format!("http://127.0.0.1:{http}/evaluate/v1/boolean"))
        .body(r#"{"flagKey":"first","entityId":"u1"}"#)
        .send()
        .expect("evaluate")
        .json()
        .expect("json");
    assert_eq!(evaluated["enabled"], true);
    assert_eq!(evaluated["reason"], "DEFAULT_EVALUATION_REASON");

    let status = terminate(&mut child);
    assert!(status.success(), "exit status {status}");

    // A second start on the same database keeps the data.
    let mut child = command("flipt-write", home.path())
        .env("FLIPT_SERVER_HTTP_PORT", http.to_string())
        .env("FLIPT_SERVER_GRPC_PORT", grpc.to_string())
        .spawn()
        .expect("flipt-write restarts");
    wait_healthy(http, &mut child);
    let flag = client
        .get(format!(
            "http://127.0.0.1:{http}/api/v1/namespaces/default/flags/first"
        ))
        .send()
        .expect("get flag");
    assert_eq!(flag.status().as_u16(), 200);
    assert!(terminate(&mut child).success());
}

#[test]
fn migrate_subcommand_applies_and_checks_migrations() {
    let home = tempfile::tempdir().expect("temp dir");
    let db = home.path().join("m.db");
    let url = format!("file:{}", db.display());
    let check = command("flipt-write", home.path())
        .env("FLIPT_DB_URL", &url)
        .args(["migrate", "--check"])
        .output()
        .expect("migrate --check runs");
    assert_eq!(
        check.status.code(),
        Some(1),
        "pending migrations must exit 1"
    );

    let migrate = command("flipt-write", home.path())
        .env("FLIPT_DB_URL", &url)
        .arg("migrate")
        .output()
        .expect("migrate runs");
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );

    let check = command("flipt-write", home.path())
        .env("FLIPT_DB_URL", &url)
        .args(["migrate", "--check"])
        .output()
        .expect("migrate --check runs");
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("0 migration(s) pending"));
}

#[test]
fn bad_configuration_stops_start_up_naming_the_key() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = command("flipt-write", home.path())
        .env("FLIPT_SERVER_HTTP_PORT", "not-a-port")
        .output()
        .expect("flipt-write runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("server.http_port"), "stderr: {stderr}");

    let file = home.path().join("bad.yml");
    std::fs::write(&file, "db:\n  max_open_conn: lots\n").expect("write config");
    let out = command("flipt-write", home.path())
        .arg("--config")
        .arg(&file)
        .output()
        .expect("flipt-write runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("db.max_open_conn"), "stderr: {stderr}");
}

#[test]
fn read_binary_serves_evaluation_from_the_write_tiers_database() {
    let home = tempfile::tempdir().expect("temp dir");
    let url = format!("file:{}", home.path().join("shared.db").display());
    let (whttp, wgrpc, rhttp, rgrpc) = (free_port(), free_port(), free_port(), free_port());
    let mut write = command("flipt-write", home.path())
        .env("FLIPT_DB_URL", &url)
        .env("FLIPT_SERVER_ROLE", "write")
        .env("FLIPT_SERVER_HTTP_PORT", whttp.to_string())
        .env("FLIPT_SERVER_GRPC_PORT", wgrpc.to_string())
        .spawn()
        .expect("flipt-write starts");
    wait_healthy(whttp, &mut write);
    let client = reqwest::blocking::Client::new();
    // role: write serves management only.
    let evaluated = client
        .post(format!("http://127.0.0.1:{whttp}/evaluate/v1/boolean"))
        .body(r#"{"flagKey":"x","entityId":"u1"}"#)
        .send()
        .expect("evaluate");
    assert_eq!(evaluated.status().as_u16(), 404);
    let created = client
        .post(format!(
            "http://127.0.0.1:{whttp}/api/v1/namespaces/default/flags"
        ))
        .body(r#"{"key":"shared","name":"Shared","type":"BOOLEAN_FLAG_TYPE","enabled":true}"#)
        .send()
        .expect("create flag");
    assert_eq!(created.status().as_u16(), 200);

    let mut read = command("flipt-read", home.path())
        .env("FLIPT_DB_URL", &url)
        .env("FLIPT_SERVER_HTTP_PORT", rhttp.to_string())
        .env("FLIPT_SERVER_GRPC_PORT", rgrpc.to_string())
        .spawn()
        .expect("flipt-read starts");
    wait_healthy(rhttp, &mut read);
    let evaluated: serde_json::Value = client
        .post(format!("http://127.0.0.1:{rhttp}/evaluate/v1/boolean"))
        .body(r#"{"flagKey":"shared","entityId":"u1"}"#)
        .send()
        .expect("evaluate")
        .json()
        .expect("json");
    assert_eq!(evaluated["enabled"], true);
    assert!(terminate(&mut read).success());
    assert!(terminate(&mut write).success());
}
