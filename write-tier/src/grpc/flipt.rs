//! `flipt.Flipt`: proto in, one service call, proto out.

use flipt_proto::flipt as pb;
use flipt_proto::flipt::flipt_server::Flipt;
use flipt_proto::pbjson_types::Empty;
use tonic::{Request, Response, Status};

use flipt_read::grpc::ReadApi;

use crate::service;
use crate::state::AppState;

/// The management service implementation.
#[derive(Clone)]
pub struct FliptApi {
    state: AppState,
}

impl FliptApi {
    /// Wraps the tier's state.
    pub fn new(state: AppState) -> Self {
        FliptApi { state }
    }

    /// The evaluation surfaces, when this process serves them (`server.role: all`).
    fn reader(&self) -> Result<ReadApi, Status> {
        self.state.reader.clone().map(ReadApi::new).ok_or_else(|| {
            Status::unimplemented(
                "evaluation is served by the read tier, not by this write-only process",
            )
        })
    }
}

/// Generates the trait impl from two lists: methods answering a message, and methods answering
/// `google.protobuf.Empty`. (Methods must be written out here, not by a nested macro call:
/// `async_trait` sees the impl before nested macros expand.)
macro_rules! flipt_impl {
    (
        message { $($name:ident($req:ty) -> $resp:ty = $svc:path;)* }
        empty { $($ename:ident($ereq:ty) = $esvc:path;)* }
    ) => {
        #[tonic::async_trait]
        impl Flipt for FliptApi {
            async fn evaluate(
                &self,
                request: Request<pb::EvaluationRequest>,
            ) -> Result<Response<pb::EvaluationResponse>, Status> {
                let reader = self.reader()?;
                Ok(Response::new(reader.legacy_evaluate(request.into_inner())?))
            }

            async fn batch_evaluate(
                &self,
                request: Request<pb::BatchEvaluationRequest>,
            ) -> Result<Response<pb::BatchEvaluationResponse>, Status> {
                let reader = self.reader()?;
                Ok(Response::new(reader.legacy_batch(request.into_inner())?))
            }

            $(
                async fn $name(&self, request: Request<$req>) -> Result<Response<$resp>, Status> {
                    Ok(Response::new($svc(&self.state, request.into_inner()).await?))
                }
            )*

            $(
                async fn $ename(&self, request: Request<$ereq>) -> Result<Response<Empty>, Status> {
                    $esvc(&self.state, request.into_inner()).await?;
                    Ok(Response::new(Empty::default()))
                }
            )*
        }
    };
}

flipt_impl! {
    message {
        get_namespace(pb::GetNamespaceRequest) -> pb::Namespace = service::namespaces::get_namespace;
        list_namespaces(pb::ListNamespaceRequest) -> pb::NamespaceList = service::namespaces::list_namespaces;
        create_namespace(pb::CreateNamespaceRequest) -> pb::Namespace = service::namespaces::create_namespace;
        update_namespace(pb::UpdateNamespaceRequest) -> pb::Namespace = service::namespaces::update_namespace;
        get_flag(pb::GetFlagRequest) -> pb::Flag = service::flags::get_flag;
        list_flags(pb::ListFlagRequest) -> pb::FlagList = service::flags::list_flags;
        create_flag(pb::CreateFlagRequest) -> pb::Flag = service::flags::create_flag;
        update_flag(pb::UpdateFlagRequest) -> pb::Flag = service::flags::update_flag;
        create_variant(pb::CreateVariantRequest) -> pb::Variant = service::variants::create_variant;
        update_variant(pb::UpdateVariantRequest) -> pb::Variant = service::variants::update_variant;
        get_rule(pb::GetRuleRequest) -> pb::Rule = service::rules::get_rule;
        list_rules(pb::ListRuleRequest) -> pb::RuleList = service::rules::list_rules;
        create_rule(pb::CreateRuleRequest) -> pb::Rule = service::rules::create_rule;
        update_rule(pb::UpdateRuleRequest) -> pb::Rule = service::rules::update_rule;
        get_rollout(pb::GetRolloutRequest) -> pb::Rollout = service::rollouts::get_rollout;
        list_rollouts(pb::ListRolloutRequest) -> pb::RolloutList = service::rollouts::list_rollouts;
        create_rollout(pb::CreateRolloutRequest) -> pb::Rollout = service::rollouts::create_rollout;
        update_rollout(pb::UpdateRolloutRequest) -> pb::Rollout = service::rollouts::update_rollout;
        create_distribution(pb::CreateDistributionRequest) -> pb::Distribution = service::distributions::create_distribution;
        update_distribution(pb::UpdateDistributionRequest) -> pb::Distribution = service::distributions::update_distribution;
        get_segment(pb::GetSegmentRequest) -> pb::Segment = service::segments::get_segment;
        list_segments(pb::ListSegmentRequest) -> pb::SegmentList = service::segments::list_segments;
        create_segment(pb::CreateSegmentRequest) -> pb::Segment = service::segments::create_segment;
        update_segment(pb::UpdateSegmentRequest) -> pb::Segment = service::segments::update_segment;
        create_constraint(pb::CreateConstraintRequest) -> pb::Constraint = service::constraints::create_constraint;
        update_constraint(pb::UpdateConstraintRequest) -> pb::Constraint = service::constraints::update_constraint;
    }
    empty {
        delete_namespace(pb::DeleteNamespaceRequest) = service::namespaces::delete_namespace;
        delete_flag(pb::DeleteFlagRequest) = service::flags::delete_flag;
        delete_variant(pb::DeleteVariantRequest) = service::variants::delete_variant;
        order_rules(pb::OrderRulesRequest) = service::rules::order_rules;
        delete_rule(pb::DeleteRuleRequest) = service::rules::delete_rule;
        delete_rollout(pb::DeleteRolloutRequest) = service::rollouts::delete_rollout;
        order_rollouts(pb::OrderRolloutsRequest) = service::rollouts::order_rollouts;
        delete_distribution(pb::DeleteDistributionRequest) = service::distributions::delete_distribution;
        delete_segment(pb::DeleteSegmentRequest) = service::segments::delete_segment;
        delete_constraint(pb::DeleteConstraintRequest) = service::constraints::delete_constraint;
    }
}
