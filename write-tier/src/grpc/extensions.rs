//! `flipt.extensions.Extensions`: this implementation's additions, one service call per method.

use flipt_proto::flipt as pb;
use flipt_proto::flipt::extensions as ext;
use flipt_proto::flipt::extensions::extensions_server::Extensions;
use tonic::{Request, Response, Status};

use crate::service;
use crate::state::AppState;

/// The extensions service implementation.
#[derive(Clone)]
pub struct ExtensionsApi {
    state: AppState,
}

impl ExtensionsApi {
    /// Wraps the tier's state.
    pub fn new(state: AppState) -> Self {
        ExtensionsApi { state }
    }
}

#[tonic::async_trait]
impl Extensions for ExtensionsApi {
    async fn copy_flag(
        &self,
        request: Request<ext::CopyFlagRequest>,
    ) -> Result<Response<pb::Flag>, Status> {
        Ok(Response::new(
            service::extensions::copy_flag(&self.state, request.into_inner()).await?,
        ))
    }

    async fn copy_segment(
        &self,
        request: Request<ext::CopySegmentRequest>,
    ) -> Result<Response<pb::Segment>, Status> {
        Ok(Response::new(
            service::extensions::copy_segment(&self.state, request.into_inner()).await?,
        ))
    }

    async fn get_segment_usage(
        &self,
        request: Request<ext::GetSegmentUsageRequest>,
    ) -> Result<Response<ext::SegmentUsage>, Status> {
        Ok(Response::new(
            service::extensions::get_segment_usage(&self.state, request.into_inner()).await?,
        ))
    }

    async fn list_segment_usage(
        &self,
        request: Request<ext::ListSegmentUsageRequest>,
    ) -> Result<Response<ext::SegmentUsageList>, Status> {
        Ok(Response::new(
            service::extensions::list_segment_usage(&self.state, request.into_inner()).await?,
        ))
    }

    async fn copy_namespace(
        &self,
        request: Request<ext::CopyNamespaceRequest>,
    ) -> Result<Response<pb::Namespace>, Status> {
        Ok(Response::new(
            service::extensions::copy_namespace(&self.state, request.into_inner()).await?,
        ))
    }
}
