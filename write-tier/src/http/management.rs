//! The management routes of api.md §4: namespaced routes and the legacy unscoped ones (§4.9),
//! which map to the same handlers (the namespace then comes from the body or query string).

use actix_web::{web, HttpRequest, HttpResponse};
use flipt_proto::flipt as pb;
use flipt_shared::Result;

use crate::service;
use crate::state::AppState;
use flipt_shared::gateway::{
    bind_namespace, decode, empty, method_not_allowed, path, respond, Params,
};

type Data = web::Data<AppState>;

/// POST/PUT handler: body message, path fields bound over it, one service call.
macro_rules! body_handler {
    ($name:ident, $ty:ty, $svc:path, $reply:ident, [$($field:ident = $param:literal),*]) => {
        async fn $name(state: Data, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse> {
            #[allow(unused_mut)]
            let mut m: $ty = decode(&body)?;
            bind_namespace(&req, &mut m.namespace_key);
            $( m.$field = path(&req, $param); )*
            body_handler!(@reply $reply, $svc(&state, m).await?)
        }
    };
    (@reply json, $e:expr) => { respond(&$e) };
    (@reply empty, $e:expr) => {{ $e; Ok(empty()) }};
}

/// GET/DELETE handler: message built from the query string, then path fields.
macro_rules! query_handler {
    ($name:ident, $ty:ty, $svc:path, $reply:ident, |$m:ident, $p:ident| $fill:block, [$($field:ident = $param:literal),*]) => {
        async fn $name(state: Data, req: HttpRequest) -> Result<HttpResponse> {
            let $p = Params::parse(&req)?;
            let mut $m = <$ty>::default();
            $fill
            $m.namespace_key = $p.string(&["namespaceKey", "namespace_key"]);
            bind_namespace(&req, &mut $m.namespace_key);
            $( $m.$field = path(&req, $param); )*
            body_handler!(@reply $reply, $svc(&state, $m).await?)
        }
    };
}

// ------------------------------------------------------------------ namespaces

async fn get_namespace(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let p = Params::parse(&req)?;
    let m = pb::GetNamespaceRequest {
        key: path(&req, "key"),
        reference: p.string(&["reference"]),
    };
    respond(&service::namespaces::get_namespace(&state, m).await?)
}

async fn list_namespaces(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let p = Params::parse(&req)?;
    let m = pb::ListNamespaceRequest {
        limit: p.int(&["limit"])?,
        offset: p.int(&["offset"])?,
        page_token: p.string(&["pageToken", "page_token"]),
        reference: p.string(&["reference"]),
    };
    respond(&service::namespaces::list_namespaces(&state, m).await?)
}

async fn create_namespace(state: Data, body: web::Bytes) -> Result<HttpResponse> {
    let m: pb::CreateNamespaceRequest = decode(&body)?;
    respond(&service::namespaces::create_namespace(&state, m).await?)
}

async fn update_namespace(state: Data, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse> {
    let mut m: pb::UpdateNamespaceRequest = decode(&body)?;
    m.key = path(&req, "key");
    respond(&service::namespaces::update_namespace(&state, m).await?)
}

async fn delete_namespace(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let p = Params::parse(&req)?;
    let m = pb::DeleteNamespaceRequest {
        key: path(&req, "key"),
        force: p.bool(&["force"])?,
    };
    service::namespaces::delete_namespace(&state, m).await?;
    Ok(empty())
}

// ------------------------------------------------------------------ flags and variants

query_handler!(
    get_flag,
    pb::GetFlagRequest,
    service::flags::get_flag,
    json,
    |m, p| {
        m.reference = p.string(&["reference"]);
    },
    [key = "key"]
);
query_handler!(
    list_flags,
    pb::ListFlagRequest,
    service::flags::list_flags,
    json,
    |m, p| {
        m.limit = p.int(&["limit"])?;
        m.offset = p.int(&["offset"])?;
        m.page_token = p.string(&["pageToken", "page_token"]);
        m.reference = p.string(&["reference"]);
    },
    []
);
body_handler!(
    create_flag,
    pb::CreateFlagRequest,
    service::flags::create_flag,
    json,
    []
);
body_handler!(
    update_flag,
    pb::UpdateFlagRequest,
    service::flags::update_flag,
    json,
    [key = "key"]
);
query_handler!(
    delete_flag,
    pb::DeleteFlagRequest,
    service::flags::delete_flag,
    empty,
    |m, p| {},
    [key = "key"]
);

body_handler!(
    create_variant,
    pb::CreateVariantRequest,
    service::variants::create_variant,
    json,
    [flag_key = "flagKey"]
);
body_handler!(
    update_variant,
    pb::UpdateVariantRequest,
    service::variants::update_variant,
    json,
    [flag_key = "flagKey", id = "id"]
);
query_handler!(
    delete_variant,
    pb::DeleteVariantRequest,
    service::variants::delete_variant,
    empty,
    |m, p| {},
    [flag_key = "flagKey", id = "id"]
);

// ------------------------------------------------------------------ rules and distributions

query_handler!(
    get_rule,
    pb::GetRuleRequest,
    service::rules::get_rule,
    json,
    |m, p| {
        m.reference = p.string(&["reference"]);
    },
    [flag_key = "flagKey", id = "id"]
);
query_handler!(
    list_rules,
    pb::ListRuleRequest,
    service::rules::list_rules,
    json,
    |m, p| {
        m.limit = p.int(&["limit"])?;
        m.offset = p.int(&["offset"])?;
        m.page_token = p.string(&["pageToken", "page_token"]);
        m.reference = p.string(&["reference"]);
    },
    [flag_key = "flagKey"]
);
body_handler!(
    create_rule,
    pb::CreateRuleRequest,
    service::rules::create_rule,
    json,
    [flag_key = "flagKey"]
);
body_handler!(
    update_rule,
    pb::UpdateRuleRequest,
    service::rules::update_rule,
    json,
    [flag_key = "flagKey", id = "id"]
);
body_handler!(
    order_rules,
    pb::OrderRulesRequest,
    service::rules::order_rules,
    empty,
    [flag_key = "flagKey"]
);
query_handler!(
    delete_rule,
    pb::DeleteRuleRequest,
    service::rules::delete_rule,
    empty,
    |m, p| {},
    [flag_key = "flagKey", id = "id"]
);

body_handler!(
    create_distribution,
    pb::CreateDistributionRequest,
    service::distributions::create_distribution,
    json,
    [flag_key = "flagKey", rule_id = "ruleId"]
);
body_handler!(
    update_distribution,
    pb::UpdateDistributionRequest,
    service::distributions::update_distribution,
    json,
    [flag_key = "flagKey", rule_id = "ruleId", id = "id"]
);
query_handler!(
    delete_distribution,
    pb::DeleteDistributionRequest,
    service::distributions::delete_distribution,
    empty,
    |m, p| {
        m.variant_id = p.string(&["variantId", "variant_id"]);
    },
    [flag_key = "flagKey", rule_id = "ruleId", id = "id"]
);

// ------------------------------------------------------------------ rollouts

query_handler!(
    get_rollout,
    pb::GetRolloutRequest,
    service::rollouts::get_rollout,
    json,
    |m, p| {
        m.reference = p.string(&["reference"]);
    },
    [flag_key = "flagKey", id = "id"]
);
query_handler!(
    list_rollouts,
    pb::ListRolloutRequest,
    service::rollouts::list_rollouts,
    json,
    |m, p| {
        m.limit = p.int(&["limit"])?;
        m.page_token = p.string(&["pageToken", "page_token"]);
        m.reference = p.string(&["reference"]);
    },
    [flag_key = "flagKey"]
);
body_handler!(
    create_rollout,
    pb::CreateRolloutRequest,
    service::rollouts::create_rollout,
    json,
    [flag_key = "flagKey"]
);
body_handler!(
    update_rollout,
    pb::UpdateRolloutRequest,
    service::rollouts::update_rollout,
    json,
    [flag_key = "flagKey", id = "id"]
);
body_handler!(
    order_rollouts,
    pb::OrderRolloutsRequest,
    service::rollouts::order_rollouts,
    empty,
    [flag_key = "flagKey"]
);
query_handler!(
    delete_rollout,
    pb::DeleteRolloutRequest,
    service::rollouts::delete_rollout,
    empty,
    |m, p| {},
    [flag_key = "flagKey", id = "id"]
);

// ------------------------------------------------------------------ segments and constraints

query_handler!(
    get_segment,
    pb::GetSegmentRequest,
    service::segments::get_segment,
    json,
    |m, p| {
        m.reference = p.string(&["reference"]);
    },
    [key = "key"]
);
query_handler!(
    list_segments,
    pb::ListSegmentRequest,
    service::segments::list_segments,
    json,
    |m, p| {
        m.limit = p.int(&["limit"])?;
        m.offset = p.int(&["offset"])?;
        m.page_token = p.string(&["pageToken", "page_token"]);
        m.reference = p.string(&["reference"]);
    },
    []
);
body_handler!(
    create_segment,
    pb::CreateSegmentRequest,
    service::segments::create_segment,
    json,
    []
);
body_handler!(
    update_segment,
    pb::UpdateSegmentRequest,
    service::segments::update_segment,
    json,
    [key = "key"]
);
query_handler!(
    delete_segment,
    pb::DeleteSegmentRequest,
    service::segments::delete_segment,
    empty,
    |m, p| {},
    [key = "key"]
);

body_handler!(
    create_constraint,
    pb::CreateConstraintRequest,
    service::constraints::create_constraint,
    json,
    [segment_key = "segmentKey"]
);
body_handler!(
    update_constraint,
    pb::UpdateConstraintRequest,
    service::constraints::update_constraint,
    json,
    [segment_key = "segmentKey", id = "id"]
);
query_handler!(
    delete_constraint,
    pb::DeleteConstraintRequest,
    service::constraints::delete_constraint,
    empty,
    |m, p| {},
    [segment_key = "segmentKey", id = "id"]
);

// ------------------------------------------------------------------ extensions (not Flipt v1)

body_handler!(
    copy_flag,
    flipt_proto::flipt::extensions::CopyFlagRequest,
    service::extensions::copy_flag,
    json,
    [key = "key"]
);
body_handler!(
    copy_segment,
    flipt_proto::flipt::extensions::CopySegmentRequest,
    service::extensions::copy_segment,
    json,
    [key = "key"]
);
query_handler!(
    get_segment_usage,
    flipt_proto::flipt::extensions::GetSegmentUsageRequest,
    service::extensions::get_segment_usage,
    json,
    |m, p| {},
    [key = "key"]
);
query_handler!(
    list_segment_usage,
    flipt_proto::flipt::extensions::ListSegmentUsageRequest,
    service::extensions::list_segment_usage,
    json,
    |m, p| {},
    []
);

/// `POST /api/v1/namespaces/{key}/copy`: the body names the new namespace.
async fn copy_namespace(state: Data, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse> {
    let mut m: flipt_proto::flipt::extensions::CopyNamespaceRequest = decode(&body)?;
    m.key = path(&req, "key");
    respond(&service::extensions::copy_namespace(&state, m).await?)
}

// Only PUT owns the literal `order` segment in Flipt's gateway: GET and DELETE there address a
// rule or rollout whose id is "order", as they would through `{id}`.

async fn get_rule_named_order(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let p = Params::parse(&req)?;
    let mut m = pb::GetRuleRequest {
        id: "order".to_owned(),
        flag_key: path(&req, "flagKey"),
        namespace_key: p.string(&["namespaceKey", "namespace_key"]),
        reference: p.string(&["reference"]),
    };
    bind_namespace(&req, &mut m.namespace_key);
    respond(&service::rules::get_rule(&state, m).await?)
}

async fn delete_rule_named_order(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let p = Params::parse(&req)?;
    let mut m = pb::DeleteRuleRequest {
        id: "order".to_owned(),
        flag_key: path(&req, "flagKey"),
        namespace_key: p.string(&["namespaceKey", "namespace_key"]),
    };
    bind_namespace(&req, &mut m.namespace_key);
    service::rules::delete_rule(&state, m).await?;
    Ok(empty())
}

async fn get_rollout_named_order(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let p = Params::parse(&req)?;
    let mut m = pb::GetRolloutRequest {
        id: "order".to_owned(),
        flag_key: path(&req, "flagKey"),
        namespace_key: String::new(),
        reference: p.string(&["reference"]),
    };
    bind_namespace(&req, &mut m.namespace_key);
    respond(&service::rollouts::get_rollout(&state, m).await?)
}

async fn delete_rollout_named_order(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let mut m = pb::DeleteRolloutRequest {
        id: "order".to_owned(),
        flag_key: path(&req, "flagKey"),
        namespace_key: String::new(),
    };
    bind_namespace(&req, &mut m.namespace_key);
    service::rollouts::delete_rollout(&state, m).await?;
    Ok(empty())
}

// ------------------------------------------------------------------ routing

/// One path with its methods; any other method gets the gateway's 501.
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

/// Registers the flag, variant, rule, distribution, segment and constraint routes under
/// `base` (`/api/v1/namespaces/{ns}` or the legacy `/api/v1`).
fn scoped_routes(cfg: &mut web::ServiceConfig, base: &str) {
    let flags = format!("{base}/flags");
    let flag = format!("{flags}/{{key}}");
    let fk = format!("{flags}/{{flagKey}}");
    cfg.service(
        resource(&flags)
            .route(web::get().to(list_flags))
            .route(web::post().to(create_flag)),
    )
    .service(
        resource(&flag)
            .route(web::get().to(get_flag))
            .route(web::put().to(update_flag))
            .route(web::delete().to(delete_flag)),
    )
    .service(resource(&format!("{fk}/variants")).route(web::post().to(create_variant)))
    .service(
        resource(&format!("{fk}/variants/{{id}}"))
            .route(web::put().to(update_variant))
            .route(web::delete().to(delete_variant)),
    )
    .service(
        resource(&format!("{fk}/rules"))
            .route(web::get().to(list_rules))
            .route(web::post().to(create_rule)),
    )
    // The literal `order` wins over `{id}`: registered first.
    .service(
        resource(&format!("{fk}/rules/order"))
            .route(web::put().to(order_rules))
            .route(web::get().to(get_rule_named_order))
            .route(web::delete().to(delete_rule_named_order)),
    )
    .service(
        resource(&format!("{fk}/rules/{{id}}"))
            .route(web::get().to(get_rule))
            .route(web::put().to(update_rule))
            .route(web::delete().to(delete_rule)),
    )
    .service(
        resource(&format!("{fk}/rules/{{ruleId}}/distributions"))
            .route(web::post().to(create_distribution)),
    )
    .service(
        resource(&format!("{fk}/rules/{{ruleId}}/distributions/{{id}}"))
            .route(web::put().to(update_distribution))
            .route(web::delete().to(delete_distribution)),
    );

    let segments = format!("{base}/segments");
    cfg.service(
        resource(&segments)
            .route(web::get().to(list_segments))
            .route(web::post().to(create_segment)),
    )
    .service(
        resource(&format!("{segments}/{{key}}"))
            .route(web::get().to(get_segment))
            .route(web::put().to(update_segment))
            .route(web::delete().to(delete_segment)),
    )
    .service(
        resource(&format!("{segments}/{{segmentKey}}/constraints"))
            .route(web::post().to(create_constraint)),
    )
    .service(
        resource(&format!("{segments}/{{segmentKey}}/constraints/{{id}}"))
            .route(web::put().to(update_constraint))
            .route(web::delete().to(delete_constraint)),
    );
}

/// Registers every management route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/api/v1/namespaces")
            .route(web::get().to(list_namespaces))
            .route(web::post().to(create_namespace)),
    )
    .service(
        resource("/api/v1/namespaces/{key}")
            .route(web::get().to(get_namespace))
            .route(web::put().to(update_namespace))
            .route(web::delete().to(delete_namespace)),
    )
    .service(resource("/api/v1/namespaces/{key}/copy").route(web::post().to(copy_namespace)));
    let ns = "/api/v1/namespaces/{ns}";
    let rollouts = format!("{ns}/flags/{{flagKey}}/rollouts");
    cfg.service(
        resource(&rollouts)
            .route(web::get().to(list_rollouts))
            .route(web::post().to(create_rollout)),
    )
    .service(
        resource(&format!("{rollouts}/order"))
            .route(web::put().to(order_rollouts))
            .route(web::get().to(get_rollout_named_order))
            .route(web::delete().to(delete_rollout_named_order)),
    )
    .service(
        resource(&format!("{rollouts}/{{id}}"))
            .route(web::get().to(get_rollout))
            .route(web::put().to(update_rollout))
            .route(web::delete().to(delete_rollout)),
    );
    // Extensions (namespaced routes only). `segments/usage` is registered before
    // `segments/{key}` so it wins for GET: a segment literally keyed `usage` cannot be read
    // through GET on the namespaced route (list it, or use gRPC `GetSegment`). The pattern only
    // matches `usage`, and PUT and DELETE on it still reach that segment.
    let segments = format!("{ns}/segments");
    cfg.service(
        resource(&format!("{segments}/{{key:usage}}"))
            .route(web::get().to(list_segment_usage))
            .route(web::put().to(update_segment))
            .route(web::delete().to(delete_segment)),
    )
    .service(resource(&format!("{segments}/{{key}}/usage")).route(web::get().to(get_segment_usage)))
    .service(resource(&format!("{segments}/{{key}}/copy")).route(web::post().to(copy_segment)))
    .service(resource(&format!("{ns}/flags/{{key}}/copy")).route(web::post().to(copy_flag)));
    scoped_routes(cfg, ns);
    scoped_routes(cfg, "/api/v1");
}
