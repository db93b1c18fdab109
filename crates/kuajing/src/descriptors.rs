//! The process's limit on open files (issue #14, finding 4: a flood of
//! connections hit the default soft limit, often 1,024, while the hard
//! limit allowed far more).

/// Raises the soft limit on open files to the hard one, and returns the
/// limit then in force (`None` where it cannot be read, or is unlimited).
#[cfg(unix)]
pub fn raise_limit() -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current != limit.maximum {
        let raised = Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        match setrlimit(Resource::Nofile, raised) {
            Ok(()) => tracing::info!(
                from = ?limit.current,
                to = ?limit.maximum,
                "raised the limit on open files"
            ),
            Err(error) => tracing::warn!(%error, "cannot raise the limit on open files"),
        }
    }
    getrlimit(Resource::Nofile).current
}

/// Elsewhere the limit is left as it is, and not known.
#[cfg(not(unix))]
pub fn raise_limit() -> Option<u64> {
    None
}
