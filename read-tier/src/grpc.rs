//! gRPC adapter of the read tier: `flipt.evaluation.EvaluationService`, `DataService`,
//! `flipt.ofrep.OFREPService`, and `flipt.Flipt` whose legacy evaluation methods are served
//! here while its management methods answer that this process does not serve them.

use flipt_proto::flipt as pb;
use flipt_proto::flipt::evaluation as ev;
use flipt_proto::flipt::evaluation::data_service_server::{DataService, DataServiceServer};
use flipt_proto::flipt::evaluation::evaluation_service_server::{
    EvaluationService, EvaluationServiceServer,
};
use flipt_proto::flipt::flipt_server::{Flipt, FliptServer};
use flipt_proto::flipt::ofrep as of;
use flipt_proto::flipt::ofrep::ofrep_service_server::{OfrepService, OfrepServiceServer};
use flipt_proto::pbjson_types::Empty;
use tonic::{Request, Response, Status};

use crate::service;
use crate::state::ReadState;

/// The evaluation services over one state.
#[derive(Clone)]
pub struct ReadApi {
    state: ReadState,
}

impl ReadApi {
    /// Wraps the tier's state.
    pub fn new(state: ReadState) -> Self {
        ReadApi { state }
    }

    /// `flipt.evaluation.EvaluationService`.
    pub fn evaluation_service(&self) -> EvaluationServiceServer<ReadApi> {
        EvaluationServiceServer::new(self.clone())
    }

    /// `flipt.evaluation.DataService` (client-side snapshots).
    pub fn data_service(&self) -> DataServiceServer<ReadApi> {
        DataServiceServer::new(self.clone())
    }

    /// `flipt.ofrep.OFREPService`.
    pub fn ofrep_service(&self) -> OfrepServiceServer<ReadApi> {
        OfrepServiceServer::new(self.clone())
    }

    /// `flipt.Flipt` for a read-only process: legacy evaluation only.
    pub fn flipt_service(&self) -> FliptServer<ReadApi> {
        FliptServer::new(self.clone())
    }

    /// Legacy `Evaluate`, for a process that serves `flipt.Flipt` itself (standalone).
    pub fn legacy_evaluate(
        &self,
        req: pb::EvaluationRequest,
    ) -> Result<pb::EvaluationResponse, Status> {
        Ok(service::legacy::evaluate_one(&self.state.cache, req)?)
    }

    /// Legacy `BatchEvaluate`, for a process that serves `flipt.Flipt` itself (standalone).
    pub fn legacy_batch(
        &self,
        req: pb::BatchEvaluationRequest,
    ) -> Result<pb::BatchEvaluationResponse, Status> {
        Ok(service::legacy::evaluate_batch(&self.state.cache, req)?)
    }
}

fn metadata<'r, T>(request: &'r Request<T>, name: &str) -> Option<&'r str> {
    request.metadata().get(name).and_then(|v| v.to_str().ok())
}

#[tonic::async_trait]
impl EvaluationService for ReadApi {
    async fn boolean(
        &self,
        request: Request<ev::EvaluationRequest>,
    ) -> Result<Response<ev::BooleanEvaluationResponse>, Status> {
        Ok(Response::new(service::evaluation::boolean(
            &self.state.cache,
            request.into_inner(),
        )?))
    }

    async fn variant(
        &self,
        request: Request<ev::EvaluationRequest>,
    ) -> Result<Response<ev::VariantEvaluationResponse>, Status> {
        Ok(Response::new(service::evaluation::variant(
            &self.state.cache,
            request.into_inner(),
        )?))
    }

    async fn batch(
        &self,
        request: Request<ev::BatchEvaluationRequest>,
    ) -> Result<Response<ev::BatchEvaluationResponse>, Status> {
        Ok(Response::new(service::evaluation::batch(
            &self.state.cache,
            request.into_inner(),
        )?))
    }
}

#[tonic::async_trait]
impl DataService for ReadApi {
    async fn evaluation_snapshot_namespace(
        &self,
        request: Request<ev::EvaluationNamespaceSnapshotRequest>,
    ) -> Result<Response<ev::EvaluationNamespaceSnapshot>, Status> {
        let accept = metadata(&request, "x-flipt-accept-server-version").map(str::to_owned);
        let req = request.into_inner();
        Ok(Response::new(service::snapshot::document(
            &self.state.cache,
            &req.key,
            accept.as_deref(),
        )))
    }
}

fn ofrep_status(err: service::ofrep::OfrepError) -> Status {
    Status::new(err.code.grpc_code(), err.details)
}

#[tonic::async_trait]
impl OfrepService for ReadApi {
    async fn get_provider_configuration(
        &self,
        _request: Request<of::GetProviderConfigurationRequest>,
    ) -> Result<Response<of::GetProviderConfigurationResponse>, Status> {
        Ok(Response::new(service::ofrep::configuration(
            self.state.ofrep_polling_ms,
        )))
    }

    async fn evaluate_flag(
        &self,
        request: Request<of::EvaluateFlagRequest>,
    ) -> Result<Response<of::EvaluatedFlag>, Status> {
        let namespace = metadata(&request, "x-flipt-namespace")
            .unwrap_or_default()
            .to_owned();
        let req = request.into_inner();
        service::ofrep::evaluate_flag(&self.state.cache, &namespace, &req.key, &req.context)
            .map(Response::new)
            .map_err(ofrep_status)
    }

    async fn evaluate_bulk(
        &self,
        request: Request<of::EvaluateBulkRequest>,
    ) -> Result<Response<of::BulkEvaluationResponse>, Status> {
        let namespace = metadata(&request, "x-flipt-namespace")
            .unwrap_or_default()
            .to_owned();
        let req = request.into_inner();
        service::ofrep::evaluate_bulk(&self.state.cache, &namespace, &req.context)
            .map(Response::new)
            .map_err(ofrep_status)
    }
}

/// Management methods on a read instance: nothing here writes, and reads belong to the
/// write tier too.
fn write_tier_only() -> Status {
    Status::unimplemented("the management API is served by the write tier, not by a read instance")
}

/// Generates the `flipt.Flipt` methods that only the write tier serves.
macro_rules! management_unimplemented {
    (message { $($name:ident($req:ty) -> $resp:ty;)* } empty { $($ename:ident($ereq:ty);)* }) => {
        #[tonic::async_trait]
        impl Flipt for ReadApi {
            async fn evaluate(&self, request: Request<pb::EvaluationRequest>) -> Result<Response<pb::EvaluationResponse>, Status> {
                Ok(Response::new(self.legacy_evaluate(request.into_inner())?))
            }

            async fn batch_evaluate(&self, request: Request<pb::BatchEvaluationRequest>) -> Result<Response<pb::BatchEvaluationResponse>, Status> {
                Ok(Response::new(self.legacy_batch(request.into_inner())?))
            }

            $(
                async fn $name(&self, _request: Request<$req>) -> Result<Response<$resp>, Status> {
                    Err(write_tier_only())
                }
            )*

            $(
                async fn $ename(&self, _request: Request<$ereq>) -> Result<Response<Empty>, Status> {
                    Err(write_tier_only())
                }
            )*
        }
    };
}

management_unimplemented! {
    message {
        get_namespace(pb::GetNamespaceRequest) -> pb::Namespace;
        list_namespaces(pb::ListNamespaceRequest) -> pb::NamespaceList;
        create_namespace(pb::CreateNamespaceRequest) -> pb::Namespace;
        update_namespace(pb::UpdateNamespaceRequest) -> pb::Namespace;
        get_flag(pb::GetFlagRequest) -> pb::Flag;
        list_flags(pb::ListFlagRequest) -> pb::FlagList;
        create_flag(pb::CreateFlagRequest) -> pb::Flag;
        update_flag(pb::UpdateFlagRequest) -> pb::Flag;
        create_variant(pb::CreateVariantRequest) -> pb::Variant;
        update_variant(pb::UpdateVariantRequest) -> pb::Variant;
        get_rule(pb::GetRuleRequest) -> pb::Rule;
        list_rules(pb::ListRuleRequest) -> pb::RuleList;
        create_rule(pb::CreateRuleRequest) -> pb::Rule;
        update_rule(pb::UpdateRuleRequest) -> pb::Rule;
        get_rollout(pb::GetRolloutRequest) -> pb::Rollout;
        list_rollouts(pb::ListRolloutRequest) -> pb::RolloutList;
        create_rollout(pb::CreateRolloutRequest) -> pb::Rollout;
        update_rollout(pb::UpdateRolloutRequest) -> pb::Rollout;
        create_distribution(pb::CreateDistributionRequest) -> pb::Distribution;
        update_distribution(pb::UpdateDistributionRequest) -> pb::Distribution;
        get_segment(pb::GetSegmentRequest) -> pb::Segment;
        list_segments(pb::ListSegmentRequest) -> pb::SegmentList;
        create_segment(pb::CreateSegmentRequest) -> pb::Segment;
        update_segment(pb::UpdateSegmentRequest) -> pb::Segment;
        create_constraint(pb::CreateConstraintRequest) -> pb::Constraint;
        update_constraint(pb::UpdateConstraintRequest) -> pb::Constraint;
    }
    empty {
        delete_namespace(pb::DeleteNamespaceRequest);
        delete_flag(pb::DeleteFlagRequest);
        delete_variant(pb::DeleteVariantRequest);
        order_rules(pb::OrderRulesRequest);
        delete_rule(pb::DeleteRuleRequest);
        delete_rollout(pb::DeleteRolloutRequest);
        order_rollouts(pb::OrderRolloutsRequest);
        delete_distribution(pb::DeleteDistributionRequest);
        delete_segment(pb::DeleteSegmentRequest);
        delete_constraint(pb::DeleteConstraintRequest);
    }
}
