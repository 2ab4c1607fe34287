//! The one error type of the service layers, shared by both tiers.
//!
//! Each variant names a kind; transports look only at the kind (see `transport`). Messages are
//! the exact texts Flipt v1 sends, because clients and Flipt's own test-suite compare them.

use std::fmt;

/// What a transport needs to know about an error: its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidArgument,
    NotFound,
    Unauthenticated,
    PermissionDenied,
    Unavailable,
    Unimplemented,
    Internal,
}

/// A service-layer error with Flipt's wire message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `<subject> not found`; the message is complete (Flipt's texts vary per resource).
    #[error("{0}")]
    NotFound(String),
    /// A free-text validation failure (`flag "default/x" is not unique`, `rank number: 2 already exists`).
    #[error("{0}")]
    Invalid(String),
    /// A field validation failure: `invalid field <field>: <reason>`.
    #[error("invalid field {field}: {reason}")]
    InvalidField { field: &'static str, reason: String },
    /// The request was not authenticated.
    #[error("request was not authenticated")]
    Unauthenticated,
    /// The caller is authenticated but not allowed.
    #[error("permission denied")]
    PermissionDenied,
    /// A mutation attempted while `storage.read_only` is set (Flipt answers INTERNAL).
    #[error("modification is not allowed in read-only mode")]
    ReadOnly,
    /// A dependency is not available right now.
    #[error("{0}")]
    Unavailable(String),
    /// The method exists on the wire but is not served by this process.
    #[error("{0}")]
    Unimplemented(String),
    /// Anything unexpected; the cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// Returns the class of this error; exhaustive so a new variant must pick one.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Invalid(_) => ErrorKind::InvalidArgument,
            Error::InvalidField { .. } => ErrorKind::InvalidArgument,
            Error::Unauthenticated => ErrorKind::Unauthenticated,
            Error::PermissionDenied => ErrorKind::PermissionDenied,
            Error::ReadOnly => ErrorKind::Internal,
            Error::Unavailable(_) => ErrorKind::Unavailable,
            Error::Unimplemented(_) => ErrorKind::Unimplemented,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Builds a not-found error from its full message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Error::NotFound(message.into())
    }

    /// Builds a free-text invalid-argument error.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid(message.into())
    }

    /// Builds `invalid field <field>: <reason>`.
    pub fn invalid_field(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidField {
            field,
            reason: reason.into(),
        }
    }

    /// Builds `invalid field <field>: must not be empty`.
    pub fn empty_field(field: &'static str) -> Self {
        Self::invalid_field(field, "must not be empty")
    }

    /// Wraps an unexpected failure.
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Internal(Box::new(err))
    }

    /// Wraps an unexpected failure described only by text.
    pub fn internal_msg(message: impl fmt::Display) -> Self {
        Error::Internal(message.to_string().into())
    }

    /// The text sent to clients: the `Display` form, except that internal causes stay private.
    pub fn public_message(&self) -> String {
        self.to_string()
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        // PostgreSQL refuses NUL in text and JSON values; that is the client's input, not a
        // server fault (SQLite and MySQL store it).
        let text = err.to_string();
        if text.contains("invalid byte sequence for encoding \"UTF8\": 0x00")
            || text.contains("unsupported Unicode escape sequence")
        {
            return Error::invalid("string values must not contain NUL characters");
        }
        Error::internal(err)
    }
}

impl From<sea_orm::TransactionError<Error>> for Error {
    fn from(err: sea_orm::TransactionError<Error>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => Error::internal(db),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

/// The result type of service functions.
pub type Result<T, E = Error> = std::result::Result<T, E>;
