//! `flipt.Flipt` management methods over gRPC (api.md §12.1), with the error codes and exact
//! messages of §13.4, and REST/gRPC agreement on the same data.

use flipt_proto::flipt as pb;
use flipt_proto::flipt::flipt_client::FliptClient;
use flipt_proto::pbjson_types::{value::Kind, Struct, Value as PbValue};
use serde_json::{json, Value};
use tonic::transport::Channel;
use tonic::Code;

use crate::backend_tests;
use crate::harness::{Backend, TestApp};

backend_tests!(
    grpc_namespaces,
    grpc_flags_and_variants,
    grpc_segments_and_constraints,
    grpc_rules_and_distributions,
    grpc_rollouts,
    rest_and_grpc_agree,
);

/// Asserts a failed call's code and exact message.
#[track_caller]
fn assert_status<T: std::fmt::Debug>(
    result: Result<tonic::Response<T>, tonic::Status>,
    code: Code,
    message: &str,
) {
    match result {
        Ok(resp) => panic!("expected {code:?} {message:?}, got {:?}", resp.into_inner()),
        Err(status) => {
            assert_eq!(status.code(), code, "code of {status:?}");
            assert_eq!(status.message(), message, "message of {status:?}");
        }
    }
}

/// Unwraps a successful call.
#[track_caller]
fn ok<T>(result: Result<tonic::Response<T>, tonic::Status>) -> T {
    match result {
        Ok(resp) => resp.into_inner(),
        Err(status) => panic!("call failed: {status:?}"),
    }
}

/// The JSON form of a gRPC message, as the REST gateway would print it.
fn to_json<T: serde::Serialize>(message: &T) -> Value {
    let text = flipt_proto::json::to_string(message).expect("encode message");
    serde_json::from_str(&text).expect("parse encoded message")
}

/// A timestamp as a comparable pair.
fn instant(ts: &Option<flipt_proto::google::protobuf::Timestamp>) -> (i64, i32) {
    let ts = ts.expect("timestamp set");
    (ts.seconds, ts.nanos)
}

fn string_value(s: &str) -> PbValue {
    PbValue {
        kind: Some(Kind::StringValue(s.to_owned())),
    }
}

async fn create_flag(
    client: &mut FliptClient<Channel>,
    ns: &str,
    key: &str,
    flag_type: pb::FlagType,
) -> pb::Flag {
    ok(client
        .create_flag(pb::CreateFlagRequest {
            key: key.into(),
            name: format!("{key} name"),
            namespace_key: ns.into(),
            r#type: flag_type as i32,
            enabled: true,
            ..Default::default()
        })
        .await)
}

async fn create_segment(client: &mut FliptClient<Channel>, ns: &str, key: &str) -> pb::Segment {
    ok(client
        .create_segment(pb::CreateSegmentRequest {
            key: key.into(),
            name: format!("{key} name"),
            namespace_key: ns.into(),
            ..Default::default()
        })
        .await)
}

async fn create_variant(
    client: &mut FliptClient<Channel>,
    ns: &str,
    flag: &str,
    key: &str,
) -> pb::Variant {
    ok(client
        .create_variant(pb::CreateVariantRequest {
            flag_key: flag.into(),
            key: key.into(),
            namespace_key: ns.into(),
            ..Default::default()
        })
        .await)
}

async fn grpc_namespaces(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut c = app.grpc().await;

    // An empty key reads `default`.
    let default = ok(c.get_namespace(pb::GetNamespaceRequest::default()).await);
    assert_eq!(default.key, "default");
    assert_eq!(default.name, "Default");
    assert_eq!(default.description, "Default namespace");
    assert!(default.protected);
    assert!(default.created_at.is_some());
    assert!(default.updated_at.is_some());

    let created = ok(c
        .create_namespace(pb::CreateNamespaceRequest {
            key: "team-a".into(),
            name: "Team A".into(),
            description: "first team".into(),
        })
        .await);
    assert_eq!(created.key, "team-a");
    assert_eq!(created.name, "Team A");
    assert_eq!(created.description, "first team");
    assert!(!created.protected);
    assert!(created.created_at.is_some());
    assert_eq!(created.created_at, created.updated_at);

    let fetched = ok(c
        .get_namespace(pb::GetNamespaceRequest {
            key: "team-a".into(),
            reference: "ignored".into(),
        })
        .await);
    assert_eq!(fetched, created);

    assert_status(
        c.create_namespace(pb::CreateNamespaceRequest {
            key: "default".into(),
            name: "x".into(),
            description: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "namespace \"default\" is not unique",
    );
    assert_status(
        c.create_namespace(pb::CreateNamespaceRequest {
            key: "team-a".into(),
            name: "again".into(),
            description: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "namespace \"team-a\" is not unique",
    );
    assert_status(
        c.create_namespace(pb::CreateNamespaceRequest::default())
            .await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );
    assert_status(
        c.create_namespace(pb::CreateNamespaceRequest {
            key: "a.b".into(),
            name: "x".into(),
            description: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "invalid field key: contains invalid characters",
    );
    assert_status(
        c.create_namespace(pb::CreateNamespaceRequest {
            key: "ok".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field name: must not be empty",
    );
    assert_status(
        c.get_namespace(pb::GetNamespaceRequest {
            key: "nope".into(),
            reference: String::new(),
        })
        .await,
        Code::NotFound,
        "namespace \"nope\" not found",
    );

    // Lists: creation order, paging.
    let list = ok(c.list_namespaces(pb::ListNamespaceRequest::default()).await);
    assert_eq!(list.total_count, 2);
    assert_eq!(list.next_page_token, "");
    assert_eq!(list.namespaces.len(), 2);
    assert_eq!(list.namespaces[0], default);
    assert_eq!(list.namespaces[1], created);
    let page = ok(c
        .list_namespaces(pb::ListNamespaceRequest {
            limit: 1,
            ..Default::default()
        })
        .await);
    assert_eq!(page.namespaces.len(), 1);
    assert_eq!(page.namespaces[0].key, "default");
    assert_eq!(page.total_count, 2);
    // {"key":"team-a","offset":1}
    assert_eq!(page.next_page_token, "eyJrZXkiOiJ0ZWFtLWEiLCJvZmZzZXQiOjF9");
    let page2 = ok(c
        .list_namespaces(pb::ListNamespaceRequest {
            limit: 1,
            page_token: page.next_page_token.clone(),
            ..Default::default()
        })
        .await);
    assert_eq!(page2.namespaces, vec![created.clone()]);
    assert_eq!(page2.next_page_token, "");
    assert_status(
        c.list_namespaces(pb::ListNamespaceRequest {
            page_token: "Hello World".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "pageToken is not valid: \"Hello World\"",
    );

    // Update.
    assert_status(
        c.update_namespace(pb::UpdateNamespaceRequest {
            key: String::new(),
            name: "x".into(),
            description: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );
    assert_status(
        c.update_namespace(pb::UpdateNamespaceRequest {
            key: "team-a".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field name: must not be empty",
    );
    assert_status(
        c.update_namespace(pb::UpdateNamespaceRequest {
            key: "nope".into(),
            name: "x".into(),
            description: String::new(),
        })
        .await,
        Code::NotFound,
        "namespace \"nope\" not found",
    );
    let updated = ok(c
        .update_namespace(pb::UpdateNamespaceRequest {
            key: "team-a".into(),
            name: "Renamed".into(),
            description: String::new(),
        })
        .await);
    assert_eq!(updated.key, "team-a");
    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.description, "");
    assert!(!updated.protected);
    assert_eq!(updated.created_at, created.created_at);
    assert!(instant(&updated.updated_at) >= instant(&created.updated_at));
    let fetched = ok(c
        .get_namespace(pb::GetNamespaceRequest {
            key: "team-a".into(),
            reference: String::new(),
        })
        .await);
    assert_eq!(fetched, updated);

    // Delete: protected, non-empty, then gone.
    assert_status(
        c.delete_namespace(pb::DeleteNamespaceRequest {
            key: "default".into(),
            force: false,
        })
        .await,
        Code::InvalidArgument,
        "namespace \"default\" is protected",
    );
    create_flag(&mut c, "team-a", "f", pb::FlagType::VariantFlagType).await;
    assert_status(
        c.delete_namespace(pb::DeleteNamespaceRequest {
            key: "team-a".into(),
            force: false,
        })
        .await,
        Code::InvalidArgument,
        "namespace \"team-a\" cannot be deleted; flags must be deleted first",
    );
    ok(c.delete_namespace(pb::DeleteNamespaceRequest {
        key: "team-a".into(),
        force: true,
    })
    .await);
    assert_status(
        c.get_namespace(pb::GetNamespaceRequest {
            key: "team-a".into(),
            reference: String::new(),
        })
        .await,
        Code::NotFound,
        "namespace \"team-a\" not found",
    );
    assert_status(
        c.delete_namespace(pb::DeleteNamespaceRequest {
            key: "team-a".into(),
            force: false,
        })
        .await,
        Code::NotFound,
        "namespace \"team-a\" not found",
    );
    // The flag went with it.
    let flags = ok(c
        .list_flags(pb::ListFlagRequest {
            namespace_key: "team-a".into(),
            ..Default::default()
        })
        .await);
    assert!(flags.flags.is_empty());
    assert_eq!(flags.total_count, 0);

    app.shutdown().await;
}

async fn grpc_flags_and_variants(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut c = app.grpc().await;

    let metadata = Struct {
        fields: [("team".to_owned(), string_value("growth"))].into(),
    };
    // An empty namespace key means `default`.
    let created = ok(c
        .create_flag(pb::CreateFlagRequest {
            key: "f1".into(),
            name: "Flag One".into(),
            description: "the first".into(),
            enabled: true,
            namespace_key: String::new(),
            r#type: pb::FlagType::VariantFlagType as i32,
            metadata: Some(metadata.clone()),
        })
        .await);
    assert_eq!(created.key, "f1");
    assert_eq!(created.name, "Flag One");
    assert_eq!(created.description, "the first");
    assert!(created.enabled);
    assert_eq!(created.namespace_key, "default");
    assert_eq!(created.r#type, pb::FlagType::VariantFlagType as i32);
    assert!(created.variants.is_empty());
    assert_eq!(created.default_variant, None);
    assert_eq!(created.metadata, Some(metadata.clone()));
    assert!(created.created_at.is_some());
    assert_eq!(created.created_at, created.updated_at);

    let fetched = ok(c
        .get_flag(pb::GetFlagRequest {
            key: "f1".into(),
            namespace_key: "default".into(),
            reference: String::new(),
        })
        .await);
    assert_eq!(fetched, created);

    let boolean = create_flag(&mut c, "", "b1", pb::FlagType::BooleanFlagType).await;
    assert_eq!(boolean.r#type, pb::FlagType::BooleanFlagType as i32);
    assert_eq!(boolean.metadata, None);

    // Errors.
    assert_status(
        c.get_flag(pb::GetFlagRequest::default()).await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );
    assert_status(
        c.get_flag(pb::GetFlagRequest {
            key: "x".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "flag \"default/x\" not found",
    );
    assert_status(
        c.create_flag(pb::CreateFlagRequest {
            key: "f1".into(),
            name: "dup".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "flag \"default/f1\" is not unique",
    );
    assert_status(
        c.create_flag(pb::CreateFlagRequest {
            key: "f2".into(),
            name: "x".into(),
            namespace_key: "nope".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "namespace \"nope\" not found",
    );
    assert_status(
        c.create_flag(pb::CreateFlagRequest {
            key: "f 2".into(),
            name: "x".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field key: contains invalid characters",
    );
    assert_status(
        c.update_flag(pb::UpdateFlagRequest {
            name: "x".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );
    assert_status(
        c.update_flag(pb::UpdateFlagRequest {
            key: "nope".into(),
            name: "x".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "flag \"default/nope\" not found",
    );
    assert_status(
        c.delete_flag(pb::DeleteFlagRequest::default()).await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );

    // List and paging.
    let list = ok(c.list_flags(pb::ListFlagRequest::default()).await);
    assert_eq!(list.total_count, 2);
    assert_eq!(list.next_page_token, "");
    assert_eq!(
        list.flags
            .iter()
            .map(|f| f.key.as_str())
            .collect::<Vec<_>>(),
        ["f1", "b1"]
    );
    assert_eq!(list.flags[0].metadata, Some(metadata.clone()));
    let page = ok(c
        .list_flags(pb::ListFlagRequest {
            limit: 1,
            ..Default::default()
        })
        .await);
    assert_eq!(page.flags.len(), 1);
    assert_eq!(page.total_count, 2);
    // {"key":"b1","offset":1}
    assert_eq!(page.next_page_token, "eyJrZXkiOiJiMSIsIm9mZnNldCI6MX0=");
    let page2 = ok(c
        .list_flags(pb::ListFlagRequest {
            limit: 1,
            page_token: page.next_page_token,
            ..Default::default()
        })
        .await);
    assert_eq!(page2.flags[0].key, "b1");
    assert_eq!(page2.next_page_token, "");
    assert_status(
        c.list_flags(pb::ListFlagRequest {
            limit: 1,
            page_token: "Hello World".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "pageToken is not valid: \"Hello World\"",
    );
    assert_status(
        c.list_flags(pb::ListFlagRequest {
            offset: 1,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "limit must be set when offset or pageToken is set",
    );
    let other = ok(c
        .list_flags(pb::ListFlagRequest {
            namespace_key: "nope".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(other, pb::FlagList::default());

    // Variants.
    let v1 = ok(c
        .create_variant(pb::CreateVariantRequest {
            flag_key: "f1".into(),
            key: "v1".into(),
            name: "Variant 1".into(),
            description: "one".into(),
            attachment: "{ \"a\": 1,\n \"b\": [true, null] }".into(),
            namespace_key: String::new(),
        })
        .await);
    assert!(!v1.id.is_empty());
    assert_eq!(v1.flag_key, "f1");
    assert_eq!(v1.key, "v1");
    assert_eq!(v1.name, "Variant 1");
    assert_eq!(v1.description, "one");
    assert_eq!(v1.attachment, r#"{"a":1,"b":[true,null]}"#);
    assert_eq!(v1.namespace_key, "default");
    assert!(v1.created_at.is_some());
    assert_eq!(v1.created_at, v1.updated_at);
    let v2 = create_variant(&mut c, "", "f1", "v2").await;
    assert_eq!(v2.attachment, "");

    assert_status(
        c.create_variant(pb::CreateVariantRequest {
            key: "v".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field flagKey: must not be empty",
    );
    assert_status(
        c.create_variant(pb::CreateVariantRequest {
            flag_key: "f1".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );
    assert_status(
        c.create_variant(pb::CreateVariantRequest {
            flag_key: "f1".into(),
            key: "v1".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "variant \"v1\" is not unique for flag \"default/f1\"",
    );
    assert_status(
        c.create_variant(pb::CreateVariantRequest {
            flag_key: "f1".into(),
            key: "v3".into(),
            attachment: "{not json".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field attachment: must be a json string",
    );
    assert_status(
        c.create_variant(pb::CreateVariantRequest {
            flag_key: "nope".into(),
            key: "v1".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "flag \"default/nope\" not found",
    );

    let v2u = ok(c
        .update_variant(pb::UpdateVariantRequest {
            id: v2.id.clone(),
            flag_key: "f1".into(),
            key: "v2-renamed".into(),
            name: "Two".into(),
            description: "second".into(),
            attachment: "[1, 2]".into(),
            namespace_key: String::new(),
        })
        .await);
    assert_eq!(v2u.id, v2.id);
    assert_eq!(v2u.key, "v2-renamed");
    assert_eq!(v2u.name, "Two");
    assert_eq!(v2u.description, "second");
    assert_eq!(v2u.attachment, "[1,2]");
    assert_eq!(v2u.created_at, v2.created_at);
    assert_status(
        c.update_variant(pb::UpdateVariantRequest {
            flag_key: "f1".into(),
            key: "x".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field id: must not be empty",
    );
    assert_status(
        c.update_variant(pb::UpdateVariantRequest {
            id: v2.id.clone(),
            flag_key: "f1".into(),
            key: "v1".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "variant \"v1\" is not unique for flag \"default/f1\"",
    );
    assert_status(
        c.update_variant(pb::UpdateVariantRequest {
            id: "no-such-id".into(),
            flag_key: "f1".into(),
            key: "new-key".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "variant \"new-key\" not found",
    );

    // Default variant via UpdateFlag; metadata kept when absent.
    let updated = ok(c
        .update_flag(pb::UpdateFlagRequest {
            key: "f1".into(),
            name: "Flag One!".into(),
            description: String::new(),
            enabled: false,
            namespace_key: String::new(),
            default_variant_id: v1.id.clone(),
            metadata: None,
        })
        .await);
    assert_eq!(updated.key, "f1");
    assert_eq!(updated.name, "Flag One!");
    assert_eq!(updated.description, "");
    assert!(!updated.enabled);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(updated.metadata, Some(metadata));
    assert_eq!(updated.variants.len(), 2);
    assert_eq!(updated.variants[0], v1);
    assert_eq!(updated.variants[1], v2u);
    assert_eq!(updated.default_variant, Some(v1.clone()));
    let fetched = ok(c
        .get_flag(pb::GetFlagRequest {
            key: "f1".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(fetched, updated);
    assert_status(
        c.update_flag(pb::UpdateFlagRequest {
            key: "b1".into(),
            name: "x".into(),
            default_variant_id: v1.id.clone(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        &format!("variant \"{}\" not found for flag \"default/b1\"", v1.id),
    );

    // Deleting the default variant clears it.
    ok(c.delete_variant(pb::DeleteVariantRequest {
        id: v1.id.clone(),
        flag_key: "f1".into(),
        namespace_key: String::new(),
    })
    .await);
    let fetched = ok(c
        .get_flag(pb::GetFlagRequest {
            key: "f1".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(fetched.default_variant, None);
    assert_eq!(fetched.variants, vec![v2u]);
    // Idempotent.
    ok(c.delete_variant(pb::DeleteVariantRequest {
        id: v1.id.clone(),
        flag_key: "f1".into(),
        namespace_key: String::new(),
    })
    .await);
    assert_status(
        c.delete_variant(pb::DeleteVariantRequest {
            flag_key: "f1".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field id: must not be empty",
    );

    ok(c.delete_flag(pb::DeleteFlagRequest {
        key: "f1".into(),
        namespace_key: String::new(),
    })
    .await);
    assert_status(
        c.get_flag(pb::GetFlagRequest {
            key: "f1".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "flag \"default/f1\" not found",
    );
    ok(c.delete_flag(pb::DeleteFlagRequest {
        key: "f1".into(),
        namespace_key: String::new(),
    })
    .await);

    app.shutdown().await;
}

async fn grpc_segments_and_constraints(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut c = app.grpc().await;

    let created = ok(c
        .create_segment(pb::CreateSegmentRequest {
            key: "s1".into(),
            name: "Segment One".into(),
            description: "desc".into(),
            match_type: pb::MatchType::AnyMatchType as i32,
            namespace_key: String::new(),
        })
        .await);
    assert_eq!(created.key, "s1");
    assert_eq!(created.name, "Segment One");
    assert_eq!(created.description, "desc");
    assert_eq!(created.match_type, pb::MatchType::AnyMatchType as i32);
    assert_eq!(created.namespace_key, "default");
    assert!(created.constraints.is_empty());
    assert!(created.created_at.is_some());
    assert_eq!(created.created_at, created.updated_at);
    let fetched = ok(c
        .get_segment(pb::GetSegmentRequest {
            key: "s1".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(fetched, created);

    assert_status(
        c.create_segment(pb::CreateSegmentRequest {
            key: "s1".into(),
            name: "dup".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "segment \"default/s1\" is not unique",
    );
    assert_status(
        c.create_segment(pb::CreateSegmentRequest {
            key: "s2".into(),
            name: "x".into(),
            namespace_key: "nope".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "namespace \"nope\" not found",
    );
    assert_status(
        c.get_segment(pb::GetSegmentRequest {
            key: "nope".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "segment \"default/nope\" not found",
    );
    assert_status(
        c.get_segment(pb::GetSegmentRequest::default()).await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );
    assert_status(
        c.update_segment(pb::UpdateSegmentRequest {
            name: "x".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field key: must not be empty",
    );
    assert_status(
        c.update_segment(pb::UpdateSegmentRequest {
            key: "nope".into(),
            name: "x".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "segment \"default/nope\" not found",
    );

    // Constraints.
    let c1 = ok(c
        .create_constraint(pb::CreateConstraintRequest {
            segment_key: "s1".into(),
            r#type: pb::ComparisonType::StringComparisonType as i32,
            property: "plan".into(),
            operator: "EQ".into(),
            value: "pro".into(),
            namespace_key: String::new(),
            description: "paying".into(),
        })
        .await);
    assert!(!c1.id.is_empty());
    assert_eq!(c1.segment_key, "s1");
    assert_eq!(c1.r#type, pb::ComparisonType::StringComparisonType as i32);
    assert_eq!(c1.property, "plan");
    assert_eq!(c1.operator, "eq");
    assert_eq!(c1.value, "pro");
    assert_eq!(c1.namespace_key, "default");
    assert_eq!(c1.description, "paying");
    assert!(c1.created_at.is_some());
    assert_eq!(c1.created_at, c1.updated_at);
    let c2 = ok(c
        .create_constraint(pb::CreateConstraintRequest {
            segment_key: "s1".into(),
            r#type: pb::ComparisonType::BooleanComparisonType as i32,
            property: "beta".into(),
            operator: "true".into(),
            value: "dropped".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(c2.value, "");

    assert_status(
        c.create_constraint(pb::CreateConstraintRequest {
            segment_key: "nope".into(),
            r#type: pb::ComparisonType::StringComparisonType as i32,
            property: "p".into(),
            operator: "eq".into(),
            value: "v".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "segment \"default/nope\" not found",
    );
    assert_status(
        c.create_constraint(pb::CreateConstraintRequest {
            segment_key: "s1".into(),
            r#type: pb::ComparisonType::NumberComparisonType as i32,
            property: "age".into(),
            operator: "prefix".into(),
            value: "1".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "constraint operator \"prefix\" is not valid for type number",
    );
    assert_status(
        c.create_constraint(pb::CreateConstraintRequest {
            segment_key: "s1".into(),
            r#type: pb::ComparisonType::StringComparisonType as i32,
            operator: "eq".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field property: must not be empty",
    );

    let c1u = ok(c
        .update_constraint(pb::UpdateConstraintRequest {
            id: c1.id.clone(),
            segment_key: "s1".into(),
            r#type: pb::ComparisonType::NumberComparisonType as i32,
            property: "age".into(),
            operator: "gte".into(),
            value: "18".into(),
            namespace_key: String::new(),
            description: String::new(),
        })
        .await);
    assert_eq!(c1u.id, c1.id);
    assert_eq!(c1u.r#type, pb::ComparisonType::NumberComparisonType as i32);
    assert_eq!(c1u.property, "age");
    assert_eq!(c1u.operator, "gte");
    assert_eq!(c1u.value, "18");
    assert_eq!(c1u.description, "");
    assert_eq!(c1u.created_at, c1.created_at);
    assert_status(
        c.update_constraint(pb::UpdateConstraintRequest {
            id: "no-such-id".into(),
            segment_key: "s1".into(),
            r#type: pb::ComparisonType::StringComparisonType as i32,
            property: "p".into(),
            operator: "eq".into(),
            value: "v".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "constraint \"no-such-id\" not found",
    );
    assert_status(
        c.update_constraint(pb::UpdateConstraintRequest {
            segment_key: "s1".into(),
            r#type: pb::ComparisonType::StringComparisonType as i32,
            property: "p".into(),
            operator: "eq".into(),
            value: "v".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field id: must not be empty",
    );

    let updated = ok(c
        .update_segment(pb::UpdateSegmentRequest {
            key: "s1".into(),
            name: "Renamed".into(),
            description: String::new(),
            match_type: pb::MatchType::AllMatchType as i32,
            namespace_key: String::new(),
        })
        .await);
    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.description, "");
    assert_eq!(updated.match_type, pb::MatchType::AllMatchType as i32);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(updated.constraints, vec![c1u.clone(), c2.clone()]);

    let list = ok(c.list_segments(pb::ListSegmentRequest::default()).await);
    assert_eq!(list.total_count, 1);
    assert_eq!(list.segments, vec![updated.clone()]);
    assert_status(
        c.list_segments(pb::ListSegmentRequest {
            limit: 1,
            page_token: "Hello World".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "pageToken is not valid: \"Hello World\"",
    );

    ok(c.delete_constraint(pb::DeleteConstraintRequest {
        id: c2.id.clone(),
        segment_key: "s1".into(),
        namespace_key: String::new(),
    })
    .await);
    ok(c.delete_constraint(pb::DeleteConstraintRequest {
        id: c2.id.clone(),
        segment_key: "s1".into(),
        namespace_key: String::new(),
    })
    .await);
    let fetched = ok(c
        .get_segment(pb::GetSegmentRequest {
            key: "s1".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(fetched.constraints, vec![c1u]);

    // In use by a rule: not deletable.
    create_flag(&mut c, "", "f", pb::FlagType::VariantFlagType).await;
    let rule = ok(c
        .create_rule(pb::CreateRuleRequest {
            flag_key: "f".into(),
            segment_key: "s1".into(),
            rank: 1,
            ..Default::default()
        })
        .await);
    assert_status(
        c.delete_segment(pb::DeleteSegmentRequest {
            key: "s1".into(),
            namespace_key: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "segment \"default/s1\" is in use",
    );
    ok(c.delete_rule(pb::DeleteRuleRequest {
        id: rule.id,
        flag_key: "f".into(),
        namespace_key: String::new(),
    })
    .await);
    ok(c.delete_segment(pb::DeleteSegmentRequest {
        key: "s1".into(),
        namespace_key: String::new(),
    })
    .await);
    assert_status(
        c.get_segment(pb::GetSegmentRequest {
            key: "s1".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "segment \"default/s1\" not found",
    );
    ok(c.delete_segment(pb::DeleteSegmentRequest {
        key: "s1".into(),
        namespace_key: String::new(),
    })
    .await);

    app.shutdown().await;
}

async fn grpc_rules_and_distributions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut c = app.grpc().await;

    create_flag(&mut c, "", "test", pb::FlagType::VariantFlagType).await;
    let v1 = create_variant(&mut c, "", "test", "v1").await;
    let v2 = create_variant(&mut c, "", "test", "v2").await;
    create_segment(&mut c, "", "s1").await;
    create_segment(&mut c, "", "s2").await;
    // A segment and a variant in another namespace.
    ok(c.create_namespace(pb::CreateNamespaceRequest {
        key: "other".into(),
        name: "Other".into(),
        description: String::new(),
    })
    .await);
    create_segment(&mut c, "other", "everyone").await;
    create_flag(&mut c, "other", "test", pb::FlagType::VariantFlagType).await;
    let foreign_variant = create_variant(&mut c, "other", "test", "fv").await;

    let r1 = ok(c
        .create_rule(pb::CreateRuleRequest {
            flag_key: "test".into(),
            segment_key: "s1".into(),
            rank: 1,
            namespace_key: String::new(),
            segment_keys: vec![],
            segment_operator: pb::SegmentOperator::AndSegmentOperator as i32,
        })
        .await);
    assert!(!r1.id.is_empty());
    assert_eq!(r1.flag_key, "test");
    assert_eq!(r1.segment_key, "s1");
    assert!(r1.segment_keys.is_empty());
    // One segment forces OR.
    assert_eq!(
        r1.segment_operator,
        pb::SegmentOperator::OrSegmentOperator as i32
    );
    assert_eq!(r1.rank, 1);
    assert_eq!(r1.namespace_key, "default");
    assert!(r1.distributions.is_empty());
    assert!(r1.created_at.is_some());
    assert_eq!(r1.created_at, r1.updated_at);

    let r2 = ok(c
        .create_rule(pb::CreateRuleRequest {
            flag_key: "test".into(),
            segment_key: String::new(),
            rank: 2,
            namespace_key: "default".into(),
            segment_keys: vec!["s1".into(), "s2".into(), "s1".into()],
            segment_operator: pb::SegmentOperator::AndSegmentOperator as i32,
        })
        .await);
    assert_eq!(r2.segment_key, "");
    assert_eq!(r2.segment_keys, ["s1", "s2"]);
    assert_eq!(
        r2.segment_operator,
        pb::SegmentOperator::AndSegmentOperator as i32
    );
    assert_eq!(r2.rank, 2);
    // A single key given in the list form is reported in `segment_key`.
    let r3 = ok(c
        .create_rule(pb::CreateRuleRequest {
            flag_key: "test".into(),
            rank: 3,
            segment_keys: vec!["s2".into()],
            ..Default::default()
        })
        .await);
    assert_eq!(r3.segment_key, "s2");
    assert!(r3.segment_keys.is_empty());

    // Errors.
    assert_status(
        c.create_rule(pb::CreateRuleRequest {
            flag_key: "test".into(),
            segment_key: "everyone".into(),
            rank: 4,
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "flag \"default/test\" or segment \"default/everyone\" not found",
    );
    assert_status(
        c.create_rule(pb::CreateRuleRequest {
            flag_key: "test".into(),
            rank: 4,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field segmentKey or segmentKeys: must not be empty",
    );
    assert_status(
        c.create_rule(pb::CreateRuleRequest {
            flag_key: "test".into(),
            segment_key: "s1".into(),
            segment_keys: vec!["s2".into()],
            rank: 4,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field segmentKey or segmentKeys: only one can be present",
    );
    assert_status(
        c.create_rule(pb::CreateRuleRequest {
            flag_key: "test".into(),
            segment_key: "s1".into(),
            rank: 0,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field rank: must be greater than 0",
    );
    assert_status(
        c.create_rule(pb::CreateRuleRequest {
            segment_key: "s1".into(),
            rank: 1,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field flagKey: must not be empty",
    );
    assert_status(
        c.get_rule(pb::GetRuleRequest {
            id: "nope".into(),
            flag_key: "test".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "rule \"default/nope\" not found",
    );
    assert_status(
        c.get_rule(pb::GetRuleRequest {
            flag_key: "test".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field id: must not be empty",
    );
    assert_status(
        c.list_rules(pb::ListRuleRequest::default()).await,
        Code::InvalidArgument,
        "invalid field flagKey: must not be empty",
    );
    assert_status(
        c.list_rules(pb::ListRuleRequest {
            flag_key: "test".into(),
            limit: 1,
            page_token: "Hello World".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "pageToken is not valid: \"Hello World\"",
    );

    // Get and list.
    let got = ok(c
        .get_rule(pb::GetRuleRequest {
            id: r2.id.clone(),
            flag_key: "test".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(got, r2);
    let list = ok(c
        .list_rules(pb::ListRuleRequest {
            flag_key: "test".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(list.total_count, 3);
    assert_eq!(list.rules, vec![r1.clone(), r2.clone(), r3.clone()]);

    // Update: segments and operator replaced; rank kept.
    let r1u = ok(c
        .update_rule(pb::UpdateRuleRequest {
            id: r1.id.clone(),
            flag_key: "test".into(),
            segment_key: String::new(),
            namespace_key: String::new(),
            segment_keys: vec!["s2".into(), "s1".into()],
            segment_operator: pb::SegmentOperator::AndSegmentOperator as i32,
        })
        .await);
    assert_eq!(r1u.id, r1.id);
    assert_eq!(r1u.rank, 1);
    assert_eq!(r1u.segment_key, "");
    assert_eq!(r1u.segment_keys.len(), 2);
    assert_eq!(
        r1u.segment_operator,
        pb::SegmentOperator::AndSegmentOperator as i32
    );
    assert_eq!(r1u.created_at, r1.created_at);
    assert_status(
        c.update_rule(pb::UpdateRuleRequest {
            id: r1.id.clone(),
            flag_key: "test".into(),
            segment_key: "missing".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        &format!("rule \"default/{}\" not found", r1.id),
    );

    // Order.
    ok(c.order_rules(pb::OrderRulesRequest {
        flag_key: "test".into(),
        rule_ids: vec![r3.id.clone(), r1.id.clone(), r2.id.clone()],
        namespace_key: String::new(),
    })
    .await);
    let list = ok(c
        .list_rules(pb::ListRuleRequest {
            flag_key: "test".into(),
            ..Default::default()
        })
        .await);
    let order: Vec<(&str, i32)> = list.rules.iter().map(|r| (r.id.as_str(), r.rank)).collect();
    assert_eq!(
        order,
        [
            (r3.id.as_str(), 1),
            (r1.id.as_str(), 2),
            (r2.id.as_str(), 3)
        ]
    );
    assert_eq!(list.rules[0].updated_at, list.rules[1].updated_at);
    assert_status(
        c.order_rules(pb::OrderRulesRequest {
            flag_key: "test".into(),
            rule_ids: vec![r1.id.clone()],
            namespace_key: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "invalid field ruleIds: must contain atleast 2 elements",
    );

    // Distributions.
    let d1 = ok(c
        .create_distribution(pb::CreateDistributionRequest {
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: v1.id.clone(),
            rollout: 33.3,
            namespace_key: String::new(),
        })
        .await);
    assert!(!d1.id.is_empty());
    assert_eq!(d1.rule_id, r2.id);
    assert_eq!(d1.variant_id, v1.id);
    assert_eq!(d1.rollout, 33.3);
    assert!(d1.created_at.is_some());
    assert_eq!(d1.created_at, d1.updated_at);
    let d2 = ok(c
        .create_distribution(pb::CreateDistributionRequest {
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: v2.id.clone(),
            rollout: 50.0,
            namespace_key: String::new(),
        })
        .await);
    assert_status(
        c.create_distribution(pb::CreateDistributionRequest {
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: foreign_variant.id.clone(),
            rollout: 10.0,
            namespace_key: String::new(),
        })
        .await,
        Code::NotFound,
        &format!(
            "variant \"{}\", rule \"{}\", flag \"test\" in namespace \"default\" not found",
            foreign_variant.id, r2.id
        ),
    );
    assert_status(
        c.create_distribution(pb::CreateDistributionRequest {
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: v1.id.clone(),
            rollout: 101.0,
            namespace_key: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "invalid field rollout: must be less than or equal to '100'",
    );
    assert_status(
        c.create_distribution(pb::CreateDistributionRequest {
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: v1.id.clone(),
            rollout: -1.0,
            namespace_key: String::new(),
        })
        .await,
        Code::InvalidArgument,
        "invalid field rollout: must be greater than or equal to '0'",
    );
    assert_status(
        c.create_distribution(pb::CreateDistributionRequest {
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            rollout: 1.0,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field variantId: must not be empty",
    );

    let d1u = ok(c
        .update_distribution(pb::UpdateDistributionRequest {
            id: d1.id.clone(),
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: v2.id.clone(),
            rollout: 25.5,
            namespace_key: String::new(),
        })
        .await);
    assert_eq!(d1u.id, d1.id);
    assert_eq!(d1u.rule_id, r2.id);
    assert_eq!(d1u.variant_id, v2.id);
    assert_eq!(d1u.rollout, 25.5);
    assert_eq!(d1u.created_at, d1.created_at);
    assert_status(
        c.update_distribution(pb::UpdateDistributionRequest {
            id: d1.id.clone(),
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: foreign_variant.id.clone(),
            rollout: 10.0,
            namespace_key: String::new(),
        })
        .await,
        Code::NotFound,
        &format!(
            "variant \"{}\", rule \"{}\", flag \"test\" in namespace \"default\" not found",
            foreign_variant.id, r2.id
        ),
    );
    assert_status(
        c.update_distribution(pb::UpdateDistributionRequest {
            id: "no-such-id".into(),
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            variant_id: v1.id.clone(),
            rollout: 10.0,
            namespace_key: String::new(),
        })
        .await,
        Code::NotFound,
        "distribution \"no-such-id\" not found",
    );

    let got = ok(c
        .get_rule(pb::GetRuleRequest {
            id: r2.id.clone(),
            flag_key: "test".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(got.distributions, vec![d1u.clone(), d2.clone()]);

    // Distribution delete needs the matching variant id.
    assert_status(
        c.delete_distribution(pb::DeleteDistributionRequest {
            id: d2.id.clone(),
            flag_key: "test".into(),
            rule_id: r2.id.clone(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field variantId: must not be empty",
    );
    ok(c.delete_distribution(pb::DeleteDistributionRequest {
        id: d2.id.clone(),
        flag_key: "test".into(),
        rule_id: r2.id.clone(),
        variant_id: v1.id.clone(),
        namespace_key: String::new(),
    })
    .await);
    let got = ok(c
        .get_rule(pb::GetRuleRequest {
            id: r2.id.clone(),
            flag_key: "test".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(
        got.distributions.len(),
        2,
        "mismatched variant id deletes nothing"
    );
    ok(c.delete_distribution(pb::DeleteDistributionRequest {
        id: d2.id.clone(),
        flag_key: "test".into(),
        rule_id: r2.id.clone(),
        variant_id: v2.id.clone(),
        namespace_key: String::new(),
    })
    .await);
    let got = ok(c
        .get_rule(pb::GetRuleRequest {
            id: r2.id.clone(),
            flag_key: "test".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(got.distributions, vec![d1u]);

    // Delete a rule: the others are renumbered.
    ok(c.delete_rule(pb::DeleteRuleRequest {
        id: r1.id.clone(),
        flag_key: "test".into(),
        namespace_key: String::new(),
    })
    .await);
    let list = ok(c
        .list_rules(pb::ListRuleRequest {
            flag_key: "test".into(),
            ..Default::default()
        })
        .await);
    let order: Vec<(&str, i32)> = list.rules.iter().map(|r| (r.id.as_str(), r.rank)).collect();
    assert_eq!(order, [(r3.id.as_str(), 1), (r2.id.as_str(), 2)]);
    assert_eq!(list.total_count, 2);
    assert_status(
        c.get_rule(pb::GetRuleRequest {
            id: r1.id.clone(),
            flag_key: "test".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        &format!("rule \"default/{}\" not found", r1.id),
    );
    ok(c.delete_rule(pb::DeleteRuleRequest {
        id: r1.id.clone(),
        flag_key: "test".into(),
        namespace_key: String::new(),
    })
    .await);

    app.shutdown().await;
}

async fn grpc_rollouts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut c = app.grpc().await;

    create_flag(
        &mut c,
        "",
        "boolean_disabled",
        pb::FlagType::BooleanFlagType,
    )
    .await;
    create_segment(&mut c, "", "s1").await;
    create_segment(&mut c, "", "s2").await;
    let threshold = |percentage: f32, value: bool| {
        Some(pb::create_rollout_request::Rule::Threshold(
            pb::RolloutThreshold { percentage, value },
        ))
    };

    let t1 = ok(c
        .create_rollout(pb::CreateRolloutRequest {
            namespace_key: String::new(),
            flag_key: "boolean_disabled".into(),
            rank: 1,
            description: "half".into(),
            rule: threshold(50.5, true),
        })
        .await);
    assert!(!t1.id.is_empty());
    assert_eq!(t1.namespace_key, "default");
    assert_eq!(t1.flag_key, "boolean_disabled");
    assert_eq!(t1.r#type, pb::RolloutType::ThresholdRolloutType as i32);
    assert_eq!(t1.rank, 1);
    assert_eq!(t1.description, "half");
    assert_eq!(
        t1.rule,
        Some(pb::rollout::Rule::Threshold(pb::RolloutThreshold {
            percentage: 50.5,
            value: true,
        }))
    );
    assert!(t1.created_at.is_some());
    assert_eq!(t1.created_at, t1.updated_at);

    let s1 = ok(c
        .create_rollout(pb::CreateRolloutRequest {
            namespace_key: String::new(),
            flag_key: "boolean_disabled".into(),
            rank: 2,
            description: String::new(),
            rule: Some(pb::create_rollout_request::Rule::Segment(
                pb::RolloutSegment {
                    segment_key: String::new(),
                    value: true,
                    segment_keys: vec!["s1".into(), "s2".into()],
                    segment_operator: pb::SegmentOperator::AndSegmentOperator as i32,
                },
            )),
        })
        .await);
    assert_eq!(s1.r#type, pb::RolloutType::SegmentRolloutType as i32);
    assert_eq!(s1.rank, 2);
    match &s1.rule {
        Some(pb::rollout::Rule::Segment(seg)) => {
            assert_eq!(seg.segment_key, "");
            assert_eq!(seg.segment_keys, ["s1", "s2"]);
            assert!(seg.value);
            assert_eq!(
                seg.segment_operator,
                pb::SegmentOperator::AndSegmentOperator as i32
            );
        }
        other => panic!("segment member expected, got {other:?}"),
    }

    // Errors of §13.4.
    assert_status(
        c.create_rollout(pb::CreateRolloutRequest {
            flag_key: "boolean_disabled".into(),
            rank: 2,
            rule: threshold(10.0, false),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "rank number: 2 already exists",
    );
    for percentage in [101.0, 200.0, -1.0] {
        assert_status(
            c.create_rollout(pb::CreateRolloutRequest {
                flag_key: "boolean_disabled".into(),
                rank: 3,
                rule: threshold(percentage, false),
                ..Default::default()
            })
            .await,
            Code::InvalidArgument,
            "invalid field threshold.percentage: must be within range [0, 100]",
        );
    }
    assert_status(
        c.create_rollout(pb::CreateRolloutRequest {
            flag_key: "boolean_disabled".into(),
            rank: 3,
            rule: Some(pb::create_rollout_request::Rule::Segment(
                pb::RolloutSegment {
                    segment_key: "thisdoesnotexist".into(),
                    value: true,
                    ..Default::default()
                },
            )),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "flag \"default/boolean_disabled or segment thisdoesnotexist\" not found",
    );
    assert_status(
        c.create_rollout(pb::CreateRolloutRequest {
            flag_key: "nope".into(),
            rank: 3,
            rule: threshold(10.0, false),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "flag \"default/nope\" not found",
    );
    assert_status(
        c.create_rollout(pb::CreateRolloutRequest {
            flag_key: "boolean_disabled".into(),
            rank: 3,
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "rollout rule is missing",
    );
    assert_status(
        c.update_rollout(pb::UpdateRolloutRequest {
            id: t1.id.clone(),
            flag_key: "boolean_disabled".into(),
            rule: Some(pb::update_rollout_request::Rule::Segment(
                pb::RolloutSegment {
                    segment_key: "s1".into(),
                    ..Default::default()
                },
            )),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "cannot change type of rollout: have \"THRESHOLD_ROLLOUT_TYPE\" attempted \"SEGMENT_ROLLOUT_TYPE\"",
    );
    assert_status(
        c.update_rollout(pb::UpdateRolloutRequest {
            id: "nope".into(),
            flag_key: "boolean_disabled".into(),
            rule: Some(pb::update_rollout_request::Rule::Threshold(
                pb::RolloutThreshold {
                    percentage: 1.0,
                    value: true,
                },
            )),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "rollout \"default/nope\" not found",
    );
    assert_status(
        c.get_rollout(pb::GetRolloutRequest {
            id: "nope".into(),
            flag_key: "boolean_disabled".into(),
            ..Default::default()
        })
        .await,
        Code::NotFound,
        "rollout \"default/nope\" not found",
    );

    // Update keeps rank and type.
    let t1u = ok(c
        .update_rollout(pb::UpdateRolloutRequest {
            id: t1.id.clone(),
            namespace_key: String::new(),
            flag_key: "boolean_disabled".into(),
            description: "a third".into(),
            rule: Some(pb::update_rollout_request::Rule::Threshold(
                pb::RolloutThreshold {
                    percentage: 33.3,
                    value: false,
                },
            )),
        })
        .await);
    assert_eq!(t1u.id, t1.id);
    assert_eq!(t1u.rank, 1);
    assert_eq!(t1u.description, "a third");
    assert_eq!(t1u.r#type, pb::RolloutType::ThresholdRolloutType as i32);
    assert_eq!(
        t1u.rule,
        Some(pb::rollout::Rule::Threshold(pb::RolloutThreshold {
            percentage: 33.3,
            value: false,
        }))
    );
    assert_eq!(t1u.created_at, t1.created_at);

    let got = ok(c
        .get_rollout(pb::GetRolloutRequest {
            id: s1.id.clone(),
            flag_key: "boolean_disabled".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(got, s1);
    let list = ok(c
        .list_rollouts(pb::ListRolloutRequest {
            flag_key: "boolean_disabled".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(list.total_count, 2);
    assert_eq!(list.rules, vec![t1u.clone(), s1.clone()]);

    // Order, then delete with renumbering.
    ok(c.order_rollouts(pb::OrderRolloutsRequest {
        flag_key: "boolean_disabled".into(),
        namespace_key: String::new(),
        rollout_ids: vec![s1.id.clone(), t1.id.clone()],
    })
    .await);
    let list = ok(c
        .list_rollouts(pb::ListRolloutRequest {
            flag_key: "boolean_disabled".into(),
            ..Default::default()
        })
        .await);
    let order: Vec<(&str, i32)> = list.rules.iter().map(|r| (r.id.as_str(), r.rank)).collect();
    assert_eq!(order, [(s1.id.as_str(), 1), (t1.id.as_str(), 2)]);
    assert_status(
        c.order_rollouts(pb::OrderRolloutsRequest {
            flag_key: "boolean_disabled".into(),
            namespace_key: String::new(),
            rollout_ids: vec![s1.id.clone()],
        })
        .await,
        Code::InvalidArgument,
        "invalid field rolloutIds: must contain atleast 2 elements",
    );
    ok(c.delete_rollout(pb::DeleteRolloutRequest {
        id: s1.id.clone(),
        namespace_key: String::new(),
        flag_key: "boolean_disabled".into(),
    })
    .await);
    let list = ok(c
        .list_rollouts(pb::ListRolloutRequest {
            flag_key: "boolean_disabled".into(),
            ..Default::default()
        })
        .await);
    assert_eq!(list.rules.len(), 1);
    assert_eq!(list.rules[0].id, t1.id);
    assert_eq!(list.rules[0].rank, 1);
    ok(c.delete_rollout(pb::DeleteRolloutRequest {
        id: s1.id.clone(),
        namespace_key: String::new(),
        flag_key: "boolean_disabled".into(),
    })
    .await);
    assert_status(
        c.delete_rollout(pb::DeleteRolloutRequest {
            flag_key: "boolean_disabled".into(),
            ..Default::default()
        })
        .await,
        Code::InvalidArgument,
        "invalid field id: must not be empty",
    );

    app.shutdown().await;
}

/// Data written over one transport reads the same over the other, field for field (the REST
/// JSON equals the gRPC message in the gateway's JSON mapping).
async fn rest_and_grpc_agree(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut c = app.grpc().await;

    // Written over REST.
    app.post_ok(
        "/api/v1/namespaces",
        json!({"key": "team", "name": "Team", "description": "d"}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/team/flags",
        json!({"key": "f", "name": "F", "enabled": true, "metadata": {"a": [1, "x"], "b": {"c": null}}}),
    )
    .await;
    let v = app
        .post_ok(
            "/api/v1/namespaces/team/flags/f/variants",
            json!({"key": "v", "name": "V", "attachment": "{\"k\": [1, 2.5]}"}),
        )
        .await;
    app.put(
        "/api/v1/namespaces/team/flags/f",
        json!({"name": "F", "enabled": true, "defaultVariantId": v["id"]}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/team/segments",
        json!({"key": "s", "name": "S", "matchType": "ANY_MATCH_TYPE"}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/team/segments/s/constraints",
        json!({"type": "DATETIME_COMPARISON_TYPE", "property": "t", "operator": "gt", "value": "2024-01-01T10:00:00+02:00"}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/team/segments",
        json!({"key": "s2", "name": "S2"}),
    )
    .await;
    let rule = app
        .post_ok(
            "/api/v1/namespaces/team/flags/f/rules",
            json!({"rank": 1, "segmentKeys": ["s", "s2"], "segmentOperator": "AND_SEGMENT_OPERATOR"}),
        )
        .await;
    let rule_id = rule["id"].as_str().expect("rule id").to_owned();
    app.post_ok(
        &format!("/api/v1/namespaces/team/flags/f/rules/{rule_id}/distributions"),
        json!({"variantId": v["id"], "rollout": 33.3}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/team/flags",
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    let rollout = app
        .post_ok(
            "/api/v1/namespaces/team/flags/b/rollouts",
            json!({"rank": 1, "threshold": {"percentage": 12.5, "value": true}}),
        )
        .await;
    let rollout_id = rollout["id"].as_str().expect("rollout id").to_owned();
    app.post_ok(
        "/api/v1/namespaces/team/flags/b/rollouts",
        json!({"rank": 2, "segment": {"segmentKey": "s", "value": true}}),
    )
    .await;

    // Read over both.
    async fn rest(app: &TestApp, path: &str) -> Value {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }
    let ns = "team".to_owned();
    let grpc_ns = ok(c
        .get_namespace(pb::GetNamespaceRequest {
            key: ns.clone(),
            reference: String::new(),
        })
        .await);
    assert_eq!(
        to_json(&grpc_ns),
        rest(&app, "/api/v1/namespaces/team").await
    );
    let grpc_nss = ok(c.list_namespaces(pb::ListNamespaceRequest::default()).await);
    assert_eq!(to_json(&grpc_nss), rest(&app, "/api/v1/namespaces").await);

    let grpc_flag = ok(c
        .get_flag(pb::GetFlagRequest {
            key: "f".into(),
            namespace_key: ns.clone(),
            reference: String::new(),
        })
        .await);
    assert_eq!(grpc_flag.name, "F");
    assert!(grpc_flag.enabled);
    assert_eq!(grpc_flag.variants.len(), 1);
    assert_eq!(grpc_flag.variants[0].attachment, r#"{"k":[1,2.5]}"#);
    assert_eq!(
        grpc_flag.default_variant.as_ref().map(|d| d.key.as_str()),
        Some("v")
    );
    assert_eq!(
        to_json(&grpc_flag),
        rest(&app, "/api/v1/namespaces/team/flags/f").await
    );
    let grpc_flags = ok(c
        .list_flags(pb::ListFlagRequest {
            namespace_key: ns.clone(),
            ..Default::default()
        })
        .await);
    assert_eq!(
        to_json(&grpc_flags),
        rest(&app, "/api/v1/namespaces/team/flags").await
    );

    let grpc_segment = ok(c
        .get_segment(pb::GetSegmentRequest {
            key: "s".into(),
            namespace_key: ns.clone(),
            reference: String::new(),
        })
        .await);
    assert_eq!(grpc_segment.constraints.len(), 1);
    assert_eq!(grpc_segment.constraints[0].value, "2024-01-01T08:00:00Z");
    assert_eq!(
        to_json(&grpc_segment),
        rest(&app, "/api/v1/namespaces/team/segments/s").await
    );
    let grpc_segments = ok(c
        .list_segments(pb::ListSegmentRequest {
            namespace_key: ns.clone(),
            ..Default::default()
        })
        .await);
    assert_eq!(
        to_json(&grpc_segments),
        rest(&app, "/api/v1/namespaces/team/segments").await
    );

    let grpc_rule = ok(c
        .get_rule(pb::GetRuleRequest {
            id: rule_id.clone(),
            flag_key: "f".into(),
            namespace_key: ns.clone(),
            reference: String::new(),
        })
        .await);
    assert_eq!(grpc_rule.distributions.len(), 1);
    assert_eq!(grpc_rule.distributions[0].rollout, 33.3);
    assert_eq!(
        to_json(&grpc_rule),
        rest(
            &app,
            &format!("/api/v1/namespaces/team/flags/f/rules/{rule_id}")
        )
        .await
    );
    let grpc_rules = ok(c
        .list_rules(pb::ListRuleRequest {
            flag_key: "f".into(),
            namespace_key: ns.clone(),
            ..Default::default()
        })
        .await);
    assert_eq!(
        to_json(&grpc_rules),
        rest(&app, "/api/v1/namespaces/team/flags/f/rules").await
    );

    let grpc_rollout = ok(c
        .get_rollout(pb::GetRolloutRequest {
            id: rollout_id.clone(),
            flag_key: "b".into(),
            namespace_key: ns.clone(),
            reference: String::new(),
        })
        .await);
    assert_eq!(
        to_json(&grpc_rollout),
        rest(
            &app,
            &format!("/api/v1/namespaces/team/flags/b/rollouts/{rollout_id}")
        )
        .await
    );
    let grpc_rollouts = ok(c
        .list_rollouts(pb::ListRolloutRequest {
            flag_key: "b".into(),
            namespace_key: ns.clone(),
            ..Default::default()
        })
        .await);
    assert_eq!(grpc_rollouts.rules.len(), 2);
    assert_eq!(
        to_json(&grpc_rollouts),
        rest(&app, "/api/v1/namespaces/team/flags/b/rollouts").await
    );

    // Written over gRPC, read over REST.
    let created = ok(c
        .create_flag(pb::CreateFlagRequest {
            key: "from-grpc".into(),
            name: "From gRPC".into(),
            namespace_key: ns.clone(),
            r#type: pb::FlagType::BooleanFlagType as i32,
            ..Default::default()
        })
        .await);
    let body = rest(&app, "/api/v1/namespaces/team/flags/from-grpc").await;
    assert_eq!(body, to_json(&created));
    assert_eq!(body["type"], "BOOLEAN_FLAG_TYPE");
    assert_eq!(body["enabled"], false);
    assert_eq!(body["variants"], json!([]));

    app.shutdown().await;
}
