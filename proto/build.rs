//! Compiles the `.proto` files under `proto/` with protox (no system `protoc`), then generates:
//! prost messages with tonic servers and clients, pbjson serde impls (proto3 JSON), and the
//! encoded `FileDescriptorSet` (`OUT_DIR/flipt_descriptor.bin`) for gRPC reflection.

use std::path::PathBuf;

use prost::Message as _;

const PROTO_ROOT: &str = "proto";

const PROTOS: &[&str] = &[
    "flipt/flipt.proto",
    "flipt/evaluation/evaluation.proto",
    "flipt/auth/auth.proto",
    "flipt/meta/meta.proto",
    "flipt/ofrep/ofrep.proto",
    "flipt/analytics/analytics.proto",
    "flipt/extensions/extensions.proto",
    "google/api/httpbody.proto",
    "google/rpc/status.proto",
];

/// `google.protobuf.Timestamp` gets our own type: pbjson-types prints `+00:00` instead of `Z`.
const TIMESTAMP_RUST: &str = "crate::google::protobuf::Timestamp";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={PROTO_ROOT}");

    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let fds = protox::compile(PROTOS, [PROTO_ROOT])?;
    let descriptor_bytes = fds.encode_to_vec();
    std::fs::write(out_dir.join("flipt_descriptor.bin"), &descriptor_bytes)?;

    let mut config = tonic_prost_build::Config::new();
    config.enable_type_names();
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        // Well-known types are not prost-types' but pbjson-types' (with proto3 JSON serde).
        .compile_well_known_types(true)
        .extern_path(".google.protobuf.Timestamp", TIMESTAMP_RUST)
        .extern_path(".google.protobuf", "::pbjson_types")
        .btree_map(".")
        .compile_fds_with_config(fds, config)?;

    pbjson_build::Builder::new()
        .register_descriptors(&descriptor_bytes)?
        .extern_path(".google.protobuf.Timestamp", TIMESTAMP_RUST)
        .extern_path(".google.protobuf", "::pbjson_types")
        .btree_map(["."])
        .emit_fields()
        .ignore_unknown_fields()
        .build(&[".flipt", ".google.api", ".google.rpc"])?;

    open_enums(&out_dir)?;
    Ok(())
}

/// Lets enum fields of requests take any int32, as Go's protojson does (an undefined number
/// reaches validation, which names it), by routing them through `crate::json::OpenEnum`.
/// pbjson's own enum deserialisers accept only defined values.
fn open_enums(out_dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    const CLOSED: &str = "map_.next_value::<";
    const CLOSED_END: &str = ">()? as i32";
    for entry in std::fs::read_dir(out_dir)? {
        let path = entry?.path();
        let is_serde = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".serde.rs"));
        if !is_serde {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(start) = rest.find(CLOSED) {
            let after = &rest[start + CLOSED.len()..];
            match after.find(CLOSED_END) {
                Some(end)
                    if after[..end]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == ':') =>
                {
                    out.push_str(&rest[..start]);
                    out.push_str("map_.next_value::<crate::json::OpenEnum<");
                    out.push_str(&after[..end]);
                    out.push_str(">>()?.0");
                    rest = &after[end + CLOSED_END.len()..];
                }
                _ => {
                    out.push_str(&rest[..start + CLOSED.len()]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        if out != text {
            std::fs::write(&path, out)?;
        }
    }
    Ok(())
}
