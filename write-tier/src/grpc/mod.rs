//! gRPC adapter: `flipt.Flipt` over the same service functions as REST, plus
//! `flipt.meta.MetadataService`, our `flipt.extensions.Extensions`, health and reflection.

mod extensions;
mod flipt;
mod meta;

pub use self::extensions::ExtensionsApi;
pub use self::flipt::FliptApi;
pub use self::meta::MetaApi;

/// Services the health endpoints answer for (`""` is the whole server).
const KNOWN_SERVICES: &[&str] = &["", "flipt.Flipt"];

/// Whether a health check may ask for this service name.
pub fn is_known_service(name: &str) -> bool {
    KNOWN_SERVICES.contains(&name)
}
