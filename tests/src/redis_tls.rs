//! The shared cache over TLS with a private CA (`cache.redis.require_tls` +
//! `cache.redis.ca_cert_path`/`ca_cert_bytes`): a real `redis-server` with a TLS port and a
//! certificate signed by a CA made for the test.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flipt_shared::cache::RedisSettings;
use flipt_shared::config::RedisMode;
use serde_json::json;

use crate::harness::{Backend, TestApp};
use crate::read_harness::{read_settings, ReadApp};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs (Debian's openssl package)");
    assert!(status.success(), "openssl {args:?} failed");
}

/// A CA and a server certificate for localhost/127.0.0.1, signed by it (`ca.pem`, `ca.key`,
/// `server.pem`, `server.key` in `dir`). The certificate also serves as a client certificate:
/// a cluster's TLS bus authenticates both ends.
pub(crate) fn make_certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=flipt-test-ca",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n",
    )
    .expect("write ext");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

struct TlsRedis {
    child: Child,
    port: u16,
}

impl TlsRedis {
    fn start(dir: &Path) -> TlsRedis {
        let port = free_port();
        let child = Command::new("redis-server")
            .args(["--port", "0", "--tls-port", &port.to_string()])
            .args([
                "--tls-cert-file",
                "server.pem",
                "--tls-key-file",
                "server.key",
            ])
            .args(["--tls-ca-cert-file", "ca.pem", "--tls-auth-clients", "no"])
            .args(["--save", "", "--appendonly", "no", "--bind", "127.0.0.1"])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "TLS redis did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        TlsRedis { child, port }
    }
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings(port: u16, ca_cert: Option<Vec<u8>>, prefix: &str) -> RedisSettings {
    RedisSettings {
        mode: RedisMode::Single,
        urls: vec![format!("rediss://localhost:{port}/0")],
        prefix: prefix.to_owned(),
        pool_size: 4,
        min_idle: 0,
        connect_timeout: Duration::from_secs(2),
        idle_timeout: None,
        ttl: Duration::from_secs(60),
        channel: format!("{prefix}:invalidate"),
        ca_cert,
    }
}

async fn stored_keys(settings: &RedisSettings) -> Vec<String> {
    let client = settings.client().expect("client");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("TLS connection with the test CA");
    redis::cmd("KEYS")
        .arg(format!("{}:*", settings.prefix))
        .query_async(&mut conn)
        .await
        .expect("KEYS")
}

async fn metric(read: &ReadApp, name: &str) -> f64 {
    let text = read
        .http
        .get(format!("{}/metrics", read.http_base))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .filter(|l| l.starts_with(name))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_cache_over_tls_with_a_private_ca() {
    let dir = tempfile::tempdir().expect("temp dir");
    make_certificates(dir.path());
    let redis = TlsRedis::start(dir.path());
    let ca = std::fs::read(dir.path().join("ca.pem")).expect("ca");

    let app = TestApp::spawn(Backend::Sqlite).await;
    app.post_ok(
        "/api/v1/namespaces/default/flags",
        json!({"key": "tls", "name": "TLS", "type": "BOOLEAN_FLAG_TYPE", "enabled": true}),
    )
    .await;

    // Trusting the private CA: snapshots are stored in and read from Redis over TLS.
    let trusted = settings(redis.port, Some(ca), "tls-ok");
    let mut read_cfg = read_settings(app.database_url());
    read_cfg.redis = Some(trusted.clone());
    let read = ReadApp::spawn_with(read_cfg).await;
    read.eventually(|| async {
        let (status, body) = read
            .post(
                "/evaluate/v1/boolean",
                json!({"flagKey": "tls", "entityId": "u"}),
            )
            .await;
        (status == 200 && body["enabled"] == true).then_some(())
    })
    .await;
    let keys = stored_keys(&trusted).await;
    assert!(
        keys.iter()
            .any(|k| k.starts_with("tls-ok:v1:snapshot:default:")),
        "snapshot stored over TLS: {keys:?}"
    );
    assert_eq!(metric(&read, "flipt_cache_error_total").await, 0.0);

    // Without the CA the server's certificate is not trusted: the cache fails (counted), and
    // evaluations still succeed from the database.
    let untrusted = settings(redis.port, None, "tls-bad");
    let mut read_cfg = read_settings(app.database_url());
    read_cfg.redis = Some(untrusted);
    let read = ReadApp::spawn_with(read_cfg).await;
    let (status, body) = read
        .post(
            "/evaluate/v1/boolean",
            json!({"flagKey": "tls", "entityId": "u"}),
        )
        .await;
    assert_eq!((status, body["enabled"].clone()), (200, json!(true)));
    assert!(metric(&read, "flipt_cache_error_total").await > 0.0);
    assert!(stored_keys(&trusted)
        .await
        .iter()
        .all(|k| !k.starts_with("tls-bad:")));
}
