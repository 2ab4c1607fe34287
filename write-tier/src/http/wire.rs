//! The REST gateway mechanics live in `flipt_shared::gateway`, shared with the read tier.

pub use flipt_shared::gateway::*;
