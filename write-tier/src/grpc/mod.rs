//! gRPC adapter: `flipt.Flipt` over the same service functions as REST, plus health and
//! reflection.

mod flipt;

pub use self::flipt::FliptApi;

/// Services the health endpoints answer for (`""` is the whole server).
const KNOWN_SERVICES: &[&str] = &["", "flipt.Flipt"];

/// Whether a health check may ask for this service name.
pub fn is_known_service(name: &str) -> bool {
    KNOWN_SERVICES.contains(&name)
}
