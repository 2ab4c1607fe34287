//! The read tier: evaluation over read replicas and the shared cache.
//!
//! Empty until the evaluation issue lands; it exists so the workspace layout is final and the
//! write tier can depend on it for standalone mode.
