//! `flipt.meta.MetadataService`: the Meta API's JSON documents wrapped in `google.api.HttpBody`.

use flipt_proto::flipt::meta::metadata_service_server::MetadataService;
use flipt_proto::google::api::HttpBody;
use flipt_proto::pbjson_types::Empty;
use tonic::{Request, Response, Status};

use crate::service::meta;
use crate::state::AppState;

/// The Meta service implementation.
#[derive(Clone)]
pub struct MetaApi {
    state: AppState,
}

impl MetaApi {
    /// Wraps the tier's state.
    pub fn new(state: AppState) -> Self {
        MetaApi { state }
    }
}

fn json_body(value: &serde_json::Value) -> Response<HttpBody> {
    Response::new(HttpBody {
        content_type: "application/json".to_owned(),
        data: meta::render(value, false),
        extensions: Vec::new(),
    })
}

#[tonic::async_trait]
impl MetadataService for MetaApi {
    async fn get_configuration(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<HttpBody>, Status> {
        Ok(json_body(&self.state.meta.configuration))
    }

    async fn get_info(&self, _request: Request<Empty>) -> Result<Response<HttpBody>, Status> {
        Ok(json_body(&self.state.meta.info()))
    }
}
