//! Why a command produced nothing, and so its exit code: content errors (1), usage errors (2),
//! a failure to write (1) or to keep serving (1). Plain data: printing is the diagnostics
//! layer's job, in `cli`.

use crate::diagnostics::Problem;
use crate::write;

/// Why a run produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The content has errors; every one found is listed, and the warnings found beside them
    /// are counted (a failed build printed no word of them, so a warning seemed to vanish).
    #[error("the site has errors")]
    Content {
        errors: Vec<Problem>,
        warnings: usize,
    },
    /// The command line asked for something kroniek will not do.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Write(#[from] write::WriteError),
    /// The preview could not go on serving (its listener died, its threads would not start).
    #[error("{0}")]
    Serve(String),
}
