//! Builds the dashboard (`ui/`, a Vite + React app) and embeds `ui/dist` into the binary.
//!
//! The UI is rebuilt when `ui/dist/index.html` is missing or older than any UI source. Building
//! it needs Node.js and npm on PATH: `npm ci` runs when `ui/node_modules` is missing, then
//! `npm run build`.
//!
//! With `UI_PREBUILT=1` an existing `ui/dist` is embedded as it is, without checking it against
//! the sources (container builds compile the UI in a Node.js stage and copy `dist` in).
//!
//! Escape hatch: with `SKIP_UI_BUILD=1` nothing is built or embedded, and the write tier answers
//! `/` with a 404 JSON body instead of the dashboard (for Rust-only work on machines without
//! Node.js). Every other route behaves the same with or without the dashboard.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;
use std::{env, fs};

/// Inputs of the UI build; a change to any of them rebuilds the UI.
const UI_INPUTS: &[&str] = &[
    "ui/src",
    "ui/public",
    "ui/index.html",
    "ui/package.json",
    "ui/package-lock.json",
    "ui/vite.config.ts",
    "ui/tsconfig.json",
];

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("ui_assets.rs");
    let ui = manifest.join("ui");
    let dist = ui.join("dist");

    println!("cargo:rerun-if-env-changed=SKIP_UI_BUILD");
    for input in UI_INPUTS {
        println!("cargo:rerun-if-changed={input}");
    }
    // A deleted or rebuilt dist must re-run this script (the embedded file list changes).
    println!("cargo:rerun-if-changed=ui/dist/index.html");

    if env::var("SKIP_UI_BUILD").is_ok_and(|v| v == "1") {
        println!("cargo:warning=SKIP_UI_BUILD=1: the dashboard is not built nor embedded");
        write_assets(&out, &[]);
        return;
    }

    println!("cargo:rerun-if-env-changed=UI_PREBUILT");
    let prebuilt = env::var("UI_PREBUILT").is_ok_and(|v| v == "1");
    if !prebuilt && needs_build(&ui, &dist) {
        build_ui(&ui);
    }
    let mut files = Vec::new();
    collect(&dist, &dist, &mut files);
    files.sort();
    if !files.iter().any(|(rel, _)| rel == "index.html") {
        panic!(
            "the UI build did not produce {}",
            dist.join("index.html").display()
        );
    }
    write_assets(&out, &files);
}

/// True when `dist/index.html` is missing or older than the newest UI input.
fn needs_build(ui: &Path, dist: &Path) -> bool {
    let Some(built) = mtime(&dist.join("index.html")) else {
        return true;
    };
    let newest = UI_INPUTS
        .iter()
        .filter_map(|input| newest_mtime(&ui.join(input.trim_start_matches("ui/"))))
        .max();
    newest.is_some_and(|n| n > built)
}

fn mtime(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| newest_mtime(&e.path()))
        .max()
}

fn build_ui(ui: &Path) {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    if Command::new(npm)
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        panic!(
            "building flipt-write needs Node.js (20.19 or later) and npm on PATH to build the \
             dashboard in write-tier/ui; install them, or set SKIP_UI_BUILD=1 to build without \
             the dashboard"
        );
    }
    if !ui.join("node_modules").is_dir() {
        run(
            Command::new(npm)
                .arg("ci")
                .arg("--no-audit")
                .arg("--no-fund")
                .current_dir(ui),
            "npm ci",
        );
    }
    run(
        Command::new(npm).args(["run", "build"]).current_dir(ui),
        "npm run build",
    );
}

fn run(cmd: &mut Command, what: &str) {
    // npm's output goes to stderr: cargo reads a build script's stdout as instructions.
    let status = cmd
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .unwrap_or_else(|e| panic!("{what} could not be started: {e}"));
    if !status.success() {
        panic!("{what} failed in write-tier/ui ({status}); see the output above");
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, path));
        }
    }
}

fn write_assets(out: &Path, files: &[(String, PathBuf)]) {
    let mut code = String::from("/// Files of `ui/dist`: path relative to dist, contents.\n");
    code.push_str("pub static ASSETS: &[(&str, &[u8])] = &[\n");
    for (rel, path) in files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    if fs::read_to_string(out).ok().as_deref() != Some(code.as_str()) {
        fs::write(out, code).expect("write ui_assets.rs");
    }
}
