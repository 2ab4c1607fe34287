//! The deployment files (Dockerfile, docker-compose.yml, deploy/nginx.conf, helm/flipt) checked
//! with what runs here: no Docker engine, no Kubernetes, no helm. The files are parsed and
//! cross-checked against each other, against `config/default.yml` (every `FLIPT_*` variable they
//! set must name a configuration key) and against the README's build; nginx's routing is
//! evaluated with nginx's location-selection rules; the compose environment of each tier is fed
//! to the real binary to show that it is a valid configuration.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;
use serde_yaml::{Mapping, Value};

/// The repository root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root")
}

fn read_file(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn yaml(rel: &str) -> Value {
    serde_yaml::from_str(&read_file(rel)).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_mapping()?.get(key)
}

fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------

/// Images pulled from Docker Hub's official library; anything else must be built here.
const PUBLIC_IMAGES: &[&str] = &["postgres:15", "redis:7", "nginx:stable"];

const EVALUATION_PREFIXES: &[&str] = &[
    "/evaluate/",
    "/ofrep/",
    "/internal/v1/evaluation/",
    "/api/v1/evaluate",
    "/api/v1/batch-evaluate",
    "/api/v1/namespaces/*/evaluate",
    "/api/v1/namespaces/*/batch-evaluate",
];

fn compose() -> Value {
    yaml("docker-compose.yml")
}

fn services(compose: &Value) -> &Mapping {
    get(compose, "services")
        .and_then(Value::as_mapping)
        .expect("docker-compose.yml has a services mapping")
}

fn service<'a>(compose: &'a Value, name: &str) -> &'a Value {
    services(compose)
        .get(name)
        .unwrap_or_else(|| panic!("docker-compose.yml has no service {name}"))
}

/// A service's environment, in either of compose's two forms (mapping or `NAME=value` list).
fn environment(service: &Value) -> BTreeMap<String, String> {
    match get(service, "environment") {
        None => BTreeMap::new(),
        Some(Value::Mapping(map)) => map
            .iter()
            .map(|(k, v)| {
                (
                    str_of(k),
                    if v.is_null() {
                        String::new()
                    } else {
                        str_of(v)
                    },
                )
            })
            .collect(),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|item| {
                let item = str_of(item);
                let (k, v) = item.split_once('=').unwrap_or((item.as_str(), ""));
                (k.to_owned(), v.to_owned())
            })
            .collect(),
        Some(other) => panic!("unexpected environment {other:?}"),
    }
}

/// `depends_on` targets with their conditions (the short list form means `service_started`).
fn depends_on(service: &Value) -> Vec<(String, String)> {
    match get(service, "depends_on") {
        None => Vec::new(),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|i| (str_of(i), "service_started".to_owned()))
            .collect(),
        Some(Value::Mapping(map)) => map
            .iter()
            .map(|(k, v)| {
                let condition = get(v, "condition")
                    .map(str_of)
                    .unwrap_or_else(|| "service_started".to_owned());
                (str_of(k), condition)
            })
            .collect(),
        Some(other) => panic!("unexpected depends_on {other:?}"),
    }
}

/// A healthcheck's command as one string (`CMD`/`CMD-SHELL` dropped).
fn healthcheck_command(service: &Value) -> Option<String> {
    let test = get(service, "healthcheck")?.as_mapping()?.get("test")?;
    Some(match test {
        Value::String(s) => s.clone(),
        Value::Sequence(items) => items
            .iter()
            .map(str_of)
            .filter(|s| s != "CMD" && s != "CMD-SHELL")
            .collect::<Vec<_>>()
            .join(" "),
        other => panic!("unexpected healthcheck test {other:?}"),
    })
}

/// Compose's `${NAME:-default}` / `${NAME-default}` / `${NAME}` interpolation, with the
/// variables unset (what a user gets without an .env file).
fn interpolate_defaults(value: &str) -> String {
    let re = Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}").expect("regex");
    re.replace_all(value, |c: &regex::Captures| {
        c.get(2).map(|m| m.as_str().to_owned()).unwrap_or_default()
    })
    .into_owned()
}

#[test]
fn compose_describes_the_production_topology() {
    let compose = compose();
    let names: BTreeSet<String> = services(&compose).keys().map(str_of).collect();
    for expected in [
        "postgres-primary",
        "postgres-replica",
        "redis",
        "flipt-write",
        "flipt-read",
        "lb",
    ] {
        assert!(names.contains(expected), "service {expected} missing");
    }

    let write = service(&compose, "flipt-write");
    let env = environment(write);
    assert_eq!(
        env.get("FLIPT_SERVER_ROLE").map(String::as_str),
        Some("write")
    );
    assert!(env["FLIPT_DB_URL"].contains("@postgres-primary:5432/"));
    assert_eq!(env["FLIPT_CACHE_INVALIDATION_PUBLISH"], "true");
    assert_eq!(env["FLIPT_CACHE_REDIS_HOST"], "redis");

    let read = service(&compose, "flipt-read");
    assert_eq!(
        get(read, "command").map(|c| match c {
            Value::Sequence(items) => items.iter().map(str_of).collect::<Vec<_>>().join(" "),
            other => str_of(other),
        }),
        Some("flipt-read".to_owned())
    );
    let env = environment(read);
    assert!(env["FLIPT_DB_REPLICAS"].contains("@postgres-replica:5432/"));
    assert!(!env.contains_key("FLIPT_SERVER_ROLE") || env["FLIPT_SERVER_ROLE"] == "read");
    assert_eq!(env["FLIPT_CACHE_ENABLED"], "true");
    assert_eq!(env["FLIPT_CACHE_BACKEND"], "redis");
    assert_eq!(env["FLIPT_CACHE_REDIS_HOST"], "redis");
    let replicas = get(read, "deploy")
        .and_then(|d| get(d, "replicas"))
        .and_then(Value::as_u64);
    assert_eq!(replicas, Some(2), "flipt-read runs two replicas");
    assert!(
        get(read, "container_name").is_none() && get(read, "ports").is_none(),
        "a scaled service cannot have a fixed container name or host port"
    );

    // Streaming replication: wal_level on the primary, pg_basebackup -R on the replica.
    let primary = serde_yaml::to_string(service(&compose, "postgres-primary")).expect("yaml");
    assert!(primary.contains("wal_level=replica"));
    assert!(primary.contains("./deploy/postgres/primary-init.sh:/docker-entrypoint-initdb.d/"));
    let init = read_file("deploy/postgres/primary-init.sh");
    assert!(init.contains("WITH REPLICATION LOGIN"));
    assert!(init.contains("host replication"));
    let replica = serde_yaml::to_string(service(&compose, "postgres-replica")).expect("yaml");
    assert!(replica.contains("./deploy/postgres/replica-entrypoint.sh:"));
    let entrypoint = read_file("deploy/postgres/replica-entrypoint.sh");
    assert!(entrypoint.contains("pg_basebackup"));
    assert!(entrypoint.contains("--write-recovery-conf"));
    assert!(
        entrypoint.contains("pg_isready"),
        "the replica waits for the primary"
    );
    assert!(entrypoint.contains("hot_standby=on"));

    // A named volume for each database, declared at the top level.
    let volumes: BTreeSet<String> = get(&compose, "volumes")
        .and_then(Value::as_mapping)
        .expect("top-level volumes")
        .keys()
        .map(str_of)
        .collect();
    for db in ["postgres-primary", "postgres-replica"] {
        let mounts = get(service(&compose, db), "volumes")
            .and_then(Value::as_sequence)
            .expect("volumes");
        let named: Vec<String> = mounts
            .iter()
            .map(str_of)
            .filter(|m| m.ends_with(":/var/lib/postgresql/data"))
            .map(|m| m.split(':').next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(named.len(), 1, "{db} keeps its data in one volume");
        assert!(
            volumes.contains(&named[0]),
            "{db}: {} not declared",
            named[0]
        );
    }

    // Bind-mounted files exist in the repository.
    for (name, svc) in services(&compose) {
        for mount in get(svc, "volumes")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let mount = str_of(mount);
            if let Some(local) = mount.strip_prefix("./") {
                let local = local.split(':').next().unwrap_or_default();
                assert!(
                    root().join(local).exists(),
                    "{}: mounts missing {local}",
                    str_of(name)
                );
            }
        }
    }
}

#[test]
fn compose_dependencies_name_defined_services_with_valid_conditions() {
    let compose = compose();
    let services = services(&compose);
    let mut edges = 0;
    for (name, svc) in services {
        let name = str_of(name);
        for (target, condition) in depends_on(svc) {
            edges += 1;
            let target_svc = services
                .get(target.as_str())
                .unwrap_or_else(|| panic!("{name} depends on undefined service {target}"));
            assert_ne!(name, target, "{name} depends on itself");
            match condition.as_str() {
                "service_started" => {}
                "service_healthy" => assert!(
                    healthcheck_command(target_svc).is_some(),
                    "{name} waits for {target} to be healthy, but it has no healthcheck"
                ),
                "service_completed_successfully" => assert_eq!(
                    get(target_svc, "restart").map(str_of).as_deref(),
                    Some("no"),
                    "{target} is a one-shot job"
                ),
                other => panic!("{name} -> {target}: unknown condition {other}"),
            }
        }
    }
    assert!(edges >= 6, "only {edges} dependencies");

    // No cycles: a topological order exists.
    let mut remaining: BTreeMap<String, BTreeSet<String>> = services
        .iter()
        .map(|(n, s)| {
            (
                str_of(n),
                depends_on(s).into_iter().map(|(t, _)| t).collect(),
            )
        })
        .collect();
    while !remaining.is_empty() {
        let ready: Vec<String> = remaining
            .iter()
            .filter(|(_, deps)| deps.is_empty())
            .map(|(n, _)| n.clone())
            .collect();
        assert!(!ready.is_empty(), "dependency cycle among {remaining:?}");
        for n in &ready {
            remaining.remove(n);
        }
        for deps in remaining.values_mut() {
            for n in &ready {
                deps.remove(n);
            }
        }
    }

    // The intended order of the topology.
    let waits_for = |a: &str, b: &str, cond: &str| {
        assert!(
            depends_on(service(&compose, a)).contains(&(b.to_owned(), cond.to_owned())),
            "{a} should wait for {b} ({cond})"
        );
    };
    waits_for("postgres-replica", "postgres-primary", "service_healthy");
    waits_for("flipt-write", "postgres-primary", "service_healthy");
    waits_for("flipt-write", "redis", "service_healthy");
    waits_for("flipt-read", "postgres-replica", "service_healthy");
    waits_for("flipt-read", "redis", "service_healthy");
    waits_for("lb", "flipt-write", "service_healthy");
    waits_for("lb", "flipt-read", "service_healthy");
}

#[test]
fn compose_images_are_built_here_or_known_public_images() {
    let compose = compose();
    for (name, svc) in services(&compose) {
        let name = str_of(name);
        let image = get(svc, "image").map(str_of);
        match (get(svc, "build"), image) {
            (Some(build), _) => {
                let context = match build {
                    Value::String(s) => s.clone(),
                    other => get(other, "context").map(str_of).unwrap_or(".".into()),
                };
                assert!(
                    root().join(&context).join("Dockerfile").is_file(),
                    "{name}: no Dockerfile in build context {context}"
                );
            }
            (None, Some(image)) => assert!(
                PUBLIC_IMAGES.contains(&image.as_str()),
                "{name}: image {image} is neither built here nor a known public image"
            ),
            (None, None) => panic!("{name} has neither image nor build"),
        }
    }
}

#[test]
fn compose_services_have_healthchecks_their_images_can_run() {
    let compose = compose();
    let dockerfile = read_file("Dockerfile");
    let runtime = runtime_stage(&dockerfile);
    for (name, svc) in services(&compose) {
        let name = str_of(name);
        if get(svc, "restart").map(str_of).as_deref() == Some("no") {
            continue; // one-shot jobs: their exit status is their health
        }
        let check =
            healthcheck_command(svc).unwrap_or_else(|| panic!("service {name} has no healthcheck"));
        let tool = check.split_whitespace().next().unwrap_or_default();
        if get(svc, "build").is_some() {
            // Our image: the tool must be installed in the runtime stage.
            assert!(
                runtime.contains(&format!(" {tool}")),
                "{name}: healthcheck uses {tool}, which the runtime image does not install"
            );
            assert!(check.contains("/health/ready"), "{name}: {check}");
        } else {
            let image = get(svc, "image").map(str_of).unwrap_or_default();
            let expected = match image.split(':').next().unwrap_or_default() {
                "postgres" => "pg_isready",
                "redis" => "redis-cli",
                // nginx's Debian images ship curl.
                "nginx" => "curl",
                other => panic!("no known health tool for {other}"),
            };
            assert_eq!(tool, expected, "{name}: {check}");
        }
    }
    let port_of = |svc: &str| {
        healthcheck_command(service(&compose, svc))
            .expect("healthcheck")
            .contains(match svc {
                "flipt-write" => "127.0.0.1:8080/health/ready",
                _ => "127.0.0.1:8081/health/ready",
            })
    };
    assert!(port_of("flipt-write") && port_of("flipt-read"));
}

/// Leaf key paths of `config/default.yml` (`server.http_port`, `db.replicas`, ...).
fn config_key_paths() -> BTreeSet<String> {
    fn walk(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match value {
            Value::Mapping(map) if !map.is_empty() => {
                for (k, v) in map {
                    let key = str_of(k);
                    let path = if prefix.is_empty() {
                        key
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(v, &path, out);
                }
            }
            _ => {
                out.insert(prefix.to_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&yaml("config/default.yml"), "", &mut out);
    assert!(out.contains("server.http_port") && out.contains("db.replicas"));
    out
}

/// `FLIPT_A_B_C` for every key path; the mapping our configuration loader binds.
fn known_env_vars() -> BTreeSet<String> {
    let vars: BTreeSet<String> = config_key_paths()
        .iter()
        .map(|path| flipt_shared::config::env_var_name(path))
        .collect();
    assert!(vars.contains("FLIPT_CACHE_INVALIDATION_POLL_INTERVAL"));
    vars
}

#[test]
fn every_flipt_variable_in_the_deployment_files_names_a_config_key() {
    let known = known_env_vars();
    let compose = compose();
    let mut seen = 0;
    for (name, svc) in services(&compose) {
        for var in environment(svc).keys().filter(|k| k.starts_with("FLIPT_")) {
            seen += 1;
            assert!(
                known.contains(var),
                "{}: {var} is no key of config/default.yml",
                str_of(name)
            );
        }
    }
    assert!(
        seen >= 10,
        "only {seen} FLIPT_* variables in docker-compose.yml"
    );

    // The Helm chart sets them in templates (not YAML before rendering): scan the text.
    let re = Regex::new(r"\bFLIPT_[A-Z0-9_]+\b").expect("regex");
    let mut in_chart = 0;
    for file in chart_files() {
        let text = std::fs::read_to_string(&file).expect("read chart file");
        for m in re.find_iter(&text) {
            in_chart += 1;
            assert!(
                known.contains(m.as_str()),
                "{}: {} is no key of config/default.yml",
                file.display(),
                m.as_str()
            );
        }
    }
    assert!(
        in_chart >= 10,
        "only {in_chart} FLIPT_* variables in the chart"
    );
}

/// The debug binary of the workspace.
fn binary(name: &str) -> PathBuf {
    crate::harness::workspace_binary(name)
}

/// Runs `args` with exactly `env` (plus HOME and PATH) and returns (success, stderr).
fn run_with_env(args: &[String], env: &BTreeMap<String, String>) -> (bool, String) {
    let home = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(binary(&args[0]));
    cmd.args(&args[1..])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .current_dir(home.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?} neither failed nor stopped within 60s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Each tier started with its compose environment (defaults interpolated) accepts the
/// configuration and goes on to connect to its database, which does not exist here: the
/// failure must be the connection, not the configuration.
#[test]
fn compose_environments_are_valid_configurations_for_the_binaries() {
    let compose = compose();
    let mut checked = 0;
    for (name, svc) in services(&compose) {
        if get(svc, "build").is_none() {
            continue;
        }
        let name = str_of(name);
        let args: Vec<String> = match get(svc, "command") {
            Some(Value::Sequence(items)) => items.iter().map(str_of).collect(),
            Some(other) => str_of(other)
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            None => vec!["flipt-write".to_owned()],
        };
        let env: BTreeMap<String, String> = environment(svc)
            .into_iter()
            .map(|(k, v)| (k, interpolate_defaults(&v)))
            .collect();
        let (ok, stderr) = run_with_env(&args, &env);
        assert!(!ok, "{name}: started without its database?\n{stderr}");
        assert!(
            !stderr.contains("invalid configuration") && !stderr.contains("cannot read"),
            "{name}: the configuration was refused:\n{stderr}"
        );
        assert!(
            stderr.contains("failed to connect to database"),
            "{name}: expected a database connection failure:\n{stderr}"
        );
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} services run our image");
}

// ---------------------------------------------------------------------------------------------
// Dockerfile and .dockerignore
// ---------------------------------------------------------------------------------------------

/// The Dockerfile joined on line continuations, comments dropped.
fn dockerfile_instructions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        if let Some(body) = trimmed.strip_suffix('\\') {
            current.push_str(body);
            current.push(' ');
        } else {
            current.push_str(trimmed);
            if !current.trim().is_empty() {
                out.push(current.trim().to_owned());
            }
            current.clear();
        }
    }
    out
}

/// The instructions of the last stage, joined.
fn runtime_stage(dockerfile: &str) -> String {
    let instructions = dockerfile_instructions(dockerfile);
    let last_from = instructions
        .iter()
        .rposition(|i| i.starts_with("FROM "))
        .expect("a FROM");
    instructions[last_from..].join("\n")
}

#[test]
fn dockerfile_builds_like_the_readme_and_runs_as_flipt() {
    let dockerfile = read_file("Dockerfile");
    let instructions = dockerfile_instructions(&dockerfile);
    let froms: Vec<&String> = instructions
        .iter()
        .filter(|i| i.starts_with("FROM "))
        .collect();
    assert!(froms.len() >= 3, "multi-stage build");
    // The dashboard is built in a Node.js stage and handed to the Rust build, which embeds it
    // as it is (the same Vite build cargo's build script runs outside containers).
    assert!(
        froms[0].contains("node:") && froms[0].contains(" AS ui"),
        "{}",
        froms[0]
    );
    assert!(
        froms[1].contains("rust:") && froms[1].contains(" AS builder"),
        "{}",
        froms[1]
    );
    assert!(instructions
        .iter()
        .any(|i| i.starts_with("RUN ") && i.contains("npm ci")));
    assert!(instructions
        .iter()
        .any(|i| i.starts_with("COPY --from=ui ") && i.contains("write-tier/ui/dist")));
    assert!(instructions.iter().any(|i| i == "ENV UI_PREBUILT=1"));
    let last = froms.last().expect("runtime stage");
    assert!(last.contains("debian:") && last.contains("-slim"), "{last}");
    assert!(!instructions.iter().any(|i| i.starts_with("HEALTHCHECK")));

    // The README's build: cargo run --release -p flipt-write (and the Rust toolchain).
    let readme = read_file("README.md");
    let readme_cmd = readme
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with("cargo run --release -p flipt-write")
        })
        .expect("README quick start");
    assert!(readme_cmd.contains("--release") && readme_cmd.contains("-p flipt-write"));
    let build = instructions
        .iter()
        .find(|i| i.starts_with("RUN ") && i.contains("cargo build"))
        .expect("a cargo build step");
    for part in ["--release", "--locked", "-p flipt-write", "-p flipt-read"] {
        assert!(build.contains(part), "cargo build lacks {part}: {build}");
    }
    // The packages it names are the workspace's binaries.
    for (crate_dir, package) in [("write-tier", "flipt-write"), ("read-tier", "flipt-read")] {
        let manifest = read_file(&format!("{crate_dir}/Cargo.toml"));
        assert!(manifest.contains(&format!("name = \"{package}\"")));
        assert!(build.contains(&format!("target/release/{package}")));
    }
    assert!(
        root().join("Cargo.lock").is_file(),
        "--locked needs Cargo.lock"
    );

    let runtime = runtime_stage(&dockerfile);
    let user = runtime
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER in the runtime stage");
    let user = user.trim_start_matches("USER ").trim();
    assert!(
        !matches!(user.split(':').next(), Some("root") | Some("0")),
        "runs as root"
    );
    assert!(runtime.contains("/var/opt/flipt"), "the SQLite data dir");
    assert!(runtime.contains("flipt-write") && runtime.contains("flipt-read"));
    let expose: BTreeSet<&str> = runtime
        .lines()
        .filter_map(|l| l.strip_prefix("EXPOSE "))
        .flat_map(str::split_whitespace)
        .collect();
    assert_eq!(
        expose,
        BTreeSet::from(["8080", "9000", "8081", "9001"]),
        "EXPOSE"
    );
    let cmd = runtime
        .lines()
        .rfind(|l| l.starts_with("CMD "))
        .expect("a CMD");
    assert!(
        cmd.contains("flipt-write") && !cmd.contains("flipt-read"),
        "{cmd}"
    );
}

#[test]
fn dockerignore_excludes_build_output_but_not_sources() {
    let ignore = read_file(".dockerignore");
    let patterns: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for needed in ["target/", "node_modules/", ".venv/", ".git/"] {
        assert!(patterns.contains(&needed), ".dockerignore lacks {needed}");
    }
    // Everything `cargo build --locked` reads must stay in the context.
    let manifest = read_file("Cargo.toml");
    let members = Regex::new(r#"members\s*=\s*\[([^\]]*)\]"#)
        .expect("regex")
        .captures(&manifest)
        .expect("workspace members")[1]
        .to_owned();
    let mut needed: Vec<String> = members
        .split(',')
        .map(|m| m.trim().trim_matches('"').to_owned())
        .filter(|m| !m.is_empty())
        .collect();
    assert!(needed.len() >= 5);
    needed.extend(["Cargo.toml".to_owned(), "Cargo.lock".to_owned()]);
    for path in needed {
        for pattern in &patterns {
            let p = pattern.trim_start_matches('!').trim_end_matches('/');
            assert!(
                p != path && p != format!("{path}/") && *pattern != "*",
                ".dockerignore excludes {path} (pattern {pattern})"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// deploy/nginx.conf
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Match {
    Exact(String),
    Prefix(String),
    Regex(Regex),
}

#[derive(Debug)]
struct Location {
    matcher: Match,
    /// `host:port` the location proxies to, with `set` variables resolved.
    target: String,
}

#[derive(Debug)]
struct Server {
    listen: u16,
    locations: Vec<Location>,
}

/// The `server` blocks of an nginx configuration: listen port and locations. Enough of nginx's
/// grammar for our file: directives end with `;`, blocks are `{ ... }`, `#` starts a comment.
fn nginx_servers(text: &str) -> Vec<Server> {
    let text: String = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    // Tokens: words, `{`, `}`, `;` (quoted strings kept whole).
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if "{};".contains(c) {
            tokens.push(c.to_string());
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                word.push(c);
            }
            tokens.push(word);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || "{};".contains(c) {
                    break;
                }
                word.push(c);
                chars.next();
            }
            tokens.push(word);
        }
    }
    let depth_balance = tokens.iter().fold(0i32, |d, t| match t.as_str() {
        "{" => d + 1,
        "}" => d - 1,
        _ => d,
    });
    assert_eq!(depth_balance, 0, "unbalanced braces in nginx.conf");

    let mut servers = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "server" && tokens.get(i + 1).map(String::as_str) == Some("{") {
            let (server, next) = parse_server(&tokens, i + 2);
            servers.push(server);
            i = next;
        } else {
            i += 1;
        }
    }
    servers
}

/// Parses a server block starting after its `{`; returns it and the index after its `}`.
fn parse_server(tokens: &[String], mut i: usize) -> (Server, usize) {
    let mut listen = 0;
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut raw_locations: Vec<(Vec<String>, String)> = Vec::new();
    while tokens[i] != "}" {
        // One directive: words up to `;` or `{`.
        let start = i;
        while tokens[i] != ";" && tokens[i] != "{" {
            i += 1;
        }
        let words = &tokens[start..i];
        if tokens[i] == "{" {
            assert_eq!(words[0], "location", "unexpected block {words:?}");
            let mut depth = 1;
            let mut body_pass = None;
            i += 1;
            while depth > 0 {
                match tokens[i].as_str() {
                    "{" => depth += 1,
                    "}" => depth -= 1,
                    "proxy_pass" | "grpc_pass" => body_pass = Some(tokens[i + 1].clone()),
                    _ => {}
                }
                i += 1;
            }
            let pass = body_pass.unwrap_or_default();
            raw_locations.push((words[1..].to_vec(), pass));
            continue;
        }
        match words.first().map(String::as_str) {
            Some("listen") => {
                listen = words[1]
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("listen port")
            }
            Some("set") => {
                vars.insert(words[1].clone(), words[2].clone());
            }
            _ => {}
        }
        i += 1; // the `;`
    }
    let locations = raw_locations
        .into_iter()
        .map(|(args, pass)| {
            let matcher = match args.as_slice() {
                [m, uri] if m == "=" => Match::Exact(uri.clone()),
                [m, uri] if m == "^~" => Match::Prefix(uri.clone()),
                [m, re] if m == "~" || m == "~*" => {
                    let re = if m == "~*" {
                        format!("(?i){re}")
                    } else {
                        re.clone()
                    };
                    Match::Regex(Regex::new(&re).expect("location regex"))
                }
                [uri] => Match::Prefix(uri.clone()),
                other => panic!("unsupported location {other:?}"),
            };
            let target = pass
                .trim_start_matches("http://")
                .trim_start_matches("grpc://")
                .to_owned();
            let target = vars.get(&target).cloned().unwrap_or(target);
            Location { matcher, target }
        })
        .collect();
    (Server { listen, locations }, i + 1)
}

/// nginx's choice: an exact match wins; else the longest prefix, unless a regex (in file
/// order) matches. (No `^~` prefixes in our file change that order.)
fn route<'a>(server: &'a Server, uri: &str) -> &'a str {
    if let Some(l) = server
        .locations
        .iter()
        .find(|l| matches!(&l.matcher, Match::Exact(u) if u == uri))
    {
        return &l.target;
    }
    if let Some(l) = server
        .locations
        .iter()
        .find(|l| matches!(&l.matcher, Match::Regex(re) if re.is_match(uri)))
    {
        return &l.target;
    }
    server
        .locations
        .iter()
        .filter_map(|l| match &l.matcher {
            Match::Prefix(p) if uri.starts_with(p.as_str()) => Some((p.len(), l)),
            _ => None,
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, l)| l.target.as_str())
        .unwrap_or("")
}

#[test]
fn nginx_routes_evaluation_to_the_read_tier_and_the_rest_to_the_write_tier() {
    let servers = nginx_servers(&read_file("deploy/nginx.conf"));
    let server = |port: u16| {
        servers
            .iter()
            .find(|s| s.listen == port)
            .unwrap_or_else(|| panic!("no server listening on {port}"))
    };
    let http = server(8080);
    const READ: &str = "flipt-read:8081";
    const WRITE: &str = "flipt-write:8080";

    // Every evaluation prefix of operations.md §9.3, with `*` as a namespace key.
    for prefix in EVALUATION_PREFIXES {
        let uri = prefix.replace('*', "default");
        let uri = if uri.ends_with('/') {
            format!("{uri}v1/something")
        } else {
            uri
        };
        assert_eq!(route(http, &uri), READ, "{uri}");
    }
    for uri in [
        "/evaluate/v1/boolean",
        "/evaluate/v1/variant",
        "/evaluate/v1/batch",
        "/ofrep/v1/evaluate/flags/new-checkout",
        "/ofrep/v1/evaluate/flags",
        "/internal/v1/evaluation/snapshot/namespace/default",
        "/api/v1/namespaces/my-team/evaluate",
        "/api/v1/namespaces/my_team/batch-evaluate",
    ] {
        assert_eq!(route(http, uri), READ, "{uri}");
    }
    for uri in [
        "/",
        "/health",
        "/health/ready",
        "/metrics",
        "/meta/info",
        "/auth/v1/method",
        "/api/v1/namespaces",
        "/api/v1/namespaces/default/flags",
        "/api/v1/namespaces/default/flags/evaluate",
        "/api/v1/namespaces/default/segments",
        "/api/v1/evaluate/extra",
        "/api/v1/evaluates",
        "/evaluate",
        "/internal/v1/analytics/namespaces/default/flags/f",
    ] {
        assert_eq!(route(http, uri), WRITE, "{uri}");
    }

    // The other listeners: the read tier's HTTP, and gRPC of each tier.
    assert_eq!(route(server(8081), "/health/ready"), READ);
    assert_eq!(
        route(server(9000), "/flipt.Flipt/ListFlags"),
        "flipt-write:9000"
    );
    assert_eq!(
        route(server(9001), "/flipt.evaluation.EvaluationService/Boolean"),
        "flipt-read:9001"
    );

    // Upstreams are compose services; the load balancer publishes every listener and mounts
    // this file.
    let compose = compose();
    let names: BTreeSet<String> = services(&compose).keys().map(str_of).collect();
    for server in &servers {
        for location in &server.locations {
            if location.target.is_empty() {
                continue; // answered by nginx itself
            }
            let host = location.target.split(':').next().unwrap_or_default();
            assert!(
                names.contains(host),
                "upstream {host} is no compose service"
            );
        }
    }
    let lb = service(&compose, "lb");
    let published: BTreeSet<String> = get(lb, "ports")
        .and_then(Value::as_sequence)
        .expect("lb ports")
        .iter()
        .map(|p| str_of(p).rsplit(':').next().unwrap_or_default().to_owned())
        .collect();
    for server in &servers {
        assert!(
            published.contains(&server.listen.to_string()),
            "lb does not publish {}",
            server.listen
        );
    }
    let mounts = serde_yaml::to_string(get(lb, "volumes").expect("lb volumes")).expect("yaml");
    assert!(mounts.contains("./deploy/nginx.conf:/etc/nginx/nginx.conf"));
    // The health check's path is answered by nginx itself.
    let check = healthcheck_command(lb).expect("lb healthcheck");
    let path = check
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://127.0.0.1:8080"))
        .expect("lb healthcheck URL");
    assert_eq!(route(http, path), "", "{path}");
}

// ---------------------------------------------------------------------------------------------
// helm/flipt
// ---------------------------------------------------------------------------------------------

const CHART: &str = "helm/flipt";

fn chart_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read chart dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(CHART), &mut out);
    out.sort();
    out
}

fn templates() -> BTreeMap<String, String> {
    chart_files()
        .into_iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("templates")))
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_owned();
            (name, std::fs::read_to_string(&p).expect("read template"))
        })
        .collect()
}

/// `define`d template bodies by name, from every template file.
fn defines(templates: &BTreeMap<String, String>) -> HashMap<String, String> {
    let re = Regex::new(r#"\{\{-?\s*define\s+"([^"]+)""#).expect("regex");
    let mut out = HashMap::new();
    for text in templates.values() {
        for c in re.captures_iter(text) {
            let start = c.get(0).expect("match").start();
            out.insert(c[1].to_owned(), define_body(&text[start..]));
        }
    }
    out
}

/// The body of the `define` that `text` starts with, up to its matching `end`.
fn define_body(text: &str) -> String {
    let action = Regex::new(r"(?s)\{\{(.*?)\}\}").expect("regex");
    let mut depth = 0;
    for c in action.captures_iter(text) {
        let inner = c[1].trim_start_matches('-').trim();
        match inner.split_whitespace().next().unwrap_or_default() {
            "define" | "if" | "with" | "range" | "block" => depth += 1,
            "end" => {
                depth -= 1;
                if depth == 0 {
                    return text[..c.get(0).expect("match").end()].to_owned();
                }
            }
            _ => {}
        }
    }
    panic!("unterminated define");
}

/// A template with every `include "name"` replaced by the named define (recursively).
fn expand_includes(text: &str, defines: &HashMap<String, String>, depth: usize) -> String {
    assert!(depth < 10, "include loop");
    let re = Regex::new(r#"include\s+"([^"]+)""#).expect("regex");
    let mut out = text.to_owned();
    for c in re.captures_iter(text) {
        if let Some(body) = defines.get(&c[1]) {
            out.push('\n');
            out.push_str(&expand_includes(body, defines, depth + 1));
        }
    }
    out
}

#[test]
fn helm_chart_yaml_files_parse() {
    let chart = yaml(&format!("{CHART}/Chart.yaml"));
    assert_eq!(get(&chart, "apiVersion").map(str_of).as_deref(), Some("v2"));
    assert_eq!(get(&chart, "name").map(str_of).as_deref(), Some("flipt"));
    assert!(get(&chart, "version").is_some() && get(&chart, "appVersion").is_some());
    let values = yaml(&format!("{CHART}/values.yaml"));
    for key in ["image", "database", "redis", "write", "read", "probes"] {
        assert!(get(&values, key).is_some(), "values.yaml lacks {key}");
    }
    let autoscaling = get(&values, "read")
        .and_then(|r| get(r, "autoscaling"))
        .expect("read.autoscaling");
    assert_eq!(get(autoscaling, "enabled"), Some(&Value::Bool(true)));
    yaml(&format!("{CHART}/ci/test-values.yaml"));
}

#[test]
fn helm_templates_are_balanced_and_reference_existing_values() {
    let templates = templates();
    for expected in [
        "write-deployment.yaml",
        "read-deployment.yaml",
        "write-service.yaml",
        "read-service.yaml",
        "read-hpa.yaml",
        "write-pdb.yaml",
        "read-pdb.yaml",
        "_helpers.tpl",
    ] {
        assert!(
            templates.contains_key(expected),
            "templates/{expected} missing"
        );
    }
    let values = yaml(&format!("{CHART}/values.yaml"));
    let values_ref = Regex::new(r"\$?\.Values((?:\.[A-Za-z0-9_]+)+)").expect("regex");
    let action = Regex::new(r"(?s)\{\{(.*?)\}\}").expect("regex");
    for (name, text) in &templates {
        assert_eq!(
            text.matches("{{").count(),
            text.matches("}}").count(),
            "{name}: unbalanced {{{{ }}}}"
        );
        // Control structures and their ends pair up.
        let mut depth = 0i32;
        for c in action.captures_iter(text) {
            let inner = c[1].trim_start_matches('-').trim();
            if inner.starts_with("/*") {
                assert!(inner.trim_end_matches('-').trim().ends_with("*/"), "{name}");
                continue;
            }
            match inner.split_whitespace().next().unwrap_or_default() {
                "if" | "with" | "range" | "define" | "block" => depth += 1,
                "end" => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "{name}: `end` without a block");
        }
        assert_eq!(depth, 0, "{name}: unterminated block");
        // Every .Values path exists in values.yaml (catches typos that render as empty).
        for c in values_ref.captures_iter(text) {
            let mut node = &values;
            for key in c[1].trim_start_matches('.').split('.') {
                node = get(node, key)
                    .unwrap_or_else(|| panic!("{name}: .Values{} is not in values.yaml", &c[1]));
            }
        }
    }
}

#[test]
fn helm_deployments_probe_health_and_configure_both_tiers() {
    let templates = templates();
    let defines = defines(&templates);
    for (file, binary, http, grpc) in [
        ("write-deployment.yaml", "flipt-write", 8080, 9000),
        ("read-deployment.yaml", "flipt-read", 8081, 9001),
    ] {
        let text = expand_includes(&templates[file], &defines, 0);
        assert!(text.contains("kind: Deployment"), "{file}");
        assert!(text.contains(&format!("command: [\"{binary}\"]")), "{file}");
        let liveness = text.find("livenessProbe:").expect("liveness probe");
        let readiness = text.find("readinessProbe:").expect("readiness probe");
        assert!(
            text[liveness..].contains("path: /health\n"),
            "{file}: liveness is /health"
        );
        assert!(
            text[readiness..].contains("path: /health/ready"),
            "{file}: readiness is /health/ready"
        );
        assert!(text.contains(&format!("containerPort: {http}")), "{file}");
        assert!(text.contains(&format!("containerPort: {grpc}")), "{file}");
        for var in ["FLIPT_CACHE_REDIS_HOST", "FLIPT_CACHE_REDIS_PORT"] {
            assert!(text.contains(var), "{file} lacks {var}");
        }
    }
    let write = expand_includes(&templates["write-deployment.yaml"], &defines, 0);
    assert!(write.contains("FLIPT_SERVER_ROLE") && write.contains("value: write"));
    assert!(write.contains("FLIPT_DB_URL") && write.contains("FLIPT_CACHE_INVALIDATION_PUBLISH"));
    let read = expand_includes(&templates["read-deployment.yaml"], &defines, 0);
    for var in [
        "FLIPT_DB_REPLICAS",
        "FLIPT_CACHE_ENABLED",
        "FLIPT_CACHE_BACKEND",
    ] {
        assert!(read.contains(var), "read deployment lacks {var}");
    }
    // The HPA scales the read Deployment; each tier has a PDB and a Service on its ports.
    let hpa = &templates["read-hpa.yaml"];
    assert!(hpa.contains("kind: HorizontalPodAutoscaler") && hpa.contains("-read"));
    assert!(hpa.contains("kind: Deployment"));
    for tier in ["write", "read"] {
        assert!(templates[&format!("{tier}-pdb.yaml")].contains("kind: PodDisruptionBudget"));
        let svc = &templates[&format!("{tier}-service.yaml")];
        assert!(svc.contains("kind: Service") && svc.contains("targetPort: http"));
        assert!(
            svc.contains(&format!("(list . \"{tier}\")")),
            "{tier} service selector"
        );
    }
}
