//! The only place that knows HTTP statuses and gRPC codes: maps `Error` onto both transports.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;

use crate::error::{Error, ErrorKind};

impl ErrorKind {
    /// The gRPC status code of this kind.
    pub fn grpc_code(self) -> tonic::Code {
        match self {
            ErrorKind::InvalidArgument => tonic::Code::InvalidArgument,
            ErrorKind::NotFound => tonic::Code::NotFound,
            ErrorKind::Unauthenticated => tonic::Code::Unauthenticated,
            ErrorKind::PermissionDenied => tonic::Code::PermissionDenied,
            ErrorKind::Unavailable => tonic::Code::Unavailable,
            ErrorKind::Unimplemented => tonic::Code::Unimplemented,
            ErrorKind::Internal => tonic::Code::Internal,
        }
    }

    /// The HTTP status Flipt's gateway uses for this kind's gRPC code.
    pub fn http_status(self) -> StatusCode {
        http_status_for_code(self.grpc_code())
    }
}

/// Maps a gRPC code to the gateway's HTTP status (api.md §2.4).
pub fn http_status_for_code(code: tonic::Code) -> StatusCode {
    use tonic::Code;
    match code {
        Code::Ok => StatusCode::OK,
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        Code::Unknown => StatusCode::INTERNAL_SERVER_ERROR,
        Code::InvalidArgument => StatusCode::BAD_REQUEST,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::FailedPrecondition => StatusCode::BAD_REQUEST,
        Code::Aborted => StatusCode::CONFLICT,
        Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
    }
}

/// The gateway's error body: a `google.rpc.Status` in JSON and nothing else.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub code: i32,
    pub message: String,
    pub details: [(); 0],
}

impl ErrorBody {
    /// Builds a body from a gRPC code and message.
    pub fn new(code: tonic::Code, message: impl Into<String>) -> Self {
        ErrorBody {
            code: code as i32,
            message: message.into(),
            details: [],
        }
    }

    /// Builds the full HTTP response for this body.
    pub fn into_response(self) -> HttpResponse {
        let code = tonic::Code::from_i32(self.code);
        let status = http_status_for_code(code);
        let mut builder = HttpResponse::build(status);
        builder.insert_header((header::CONTENT_TYPE, "application/json"));
        if code == tonic::Code::Unauthenticated {
            builder.insert_header((header::WWW_AUTHENTICATE, self.message.clone()));
        }
        let body = serde_json::to_vec(&self).unwrap_or_default();
        builder.body(body)
    }
}

impl actix_web::ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        self.kind().http_status()
    }

    fn error_response(&self) -> HttpResponse {
        log_if_internal(self);
        ErrorBody::new(self.kind().grpc_code(), self.public_message()).into_response()
    }
}

impl From<Error> for tonic::Status {
    fn from(err: Error) -> Self {
        log_if_internal(&err);
        tonic::Status::new(err.kind().grpc_code(), err.public_message())
    }
}

/// Logs the cause chain of internal errors once, at the boundary where they leave the process.
fn log_if_internal(err: &Error) {
    if let Error::Internal(cause) = err {
        tracing::error!(error = %cause, "internal error");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_exactly_flipt_fields() {
        let body = ErrorBody::new(tonic::Code::NotFound, "flag \"default/foo\" not found");
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(
            json,
            r#"{"code":5,"message":"flag \"default/foo\" not found","details":[]}"#
        );
    }

    #[test]
    fn kinds_map_to_gateway_statuses() {
        assert_eq!(
            ErrorKind::InvalidArgument.http_status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(ErrorKind::NotFound.http_status(), StatusCode::NOT_FOUND);
        assert_eq!(
            ErrorKind::Unimplemented.http_status(),
            StatusCode::NOT_IMPLEMENTED
        );
        assert_eq!(
            ErrorKind::Internal.http_status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            ErrorKind::Unauthenticated.http_status(),
            StatusCode::UNAUTHORIZED
        );
    }

    #[test]
    fn read_only_is_internal_with_flipt_message() {
        let err = Error::ReadOnly;
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert_eq!(
            err.public_message(),
            "modification is not allowed in read-only mode"
        );
    }
}
