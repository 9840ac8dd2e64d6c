//! Why a request fails, and the one classification of failures that every
//! surface maps to its own outcome (an exit code, an HTTP status, a Python
//! exception), wording the remedy of a refusal ([`Knob`]) in its own terms.

use zopa_interop::InteropError;
use zopa_model::{Diagnostics, Knob, LimitError, LoadError, SpaceError};

/// Why an input cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is not a valid scenario (or file of its kind); every problem
    /// is located.
    #[error("{} is not a valid scenario: {} error(s)", .0.origin, .0.error_count())]
    Invalid(Diagnostics),
    /// Nothing by that name: no file, folder or built-in.
    #[error("{0}")]
    NotFound(String),
    /// A scenario file cannot be read.
    #[error(transparent)]
    Load(LoadError),
    /// A folder cannot be imported (unreadable, too large, not a domain).
    #[error(transparent)]
    Import(InteropError),
    /// The outcome space is above the limit.
    #[error(transparent)]
    Space(#[from] SpaceError),
    /// A size is above its bound (docs/limits.md).
    #[error(transparent)]
    Refused(#[from] LimitError),
    /// An input that is not a scenario (a KTAB CSV, …) is malformed; every
    /// problem is located.
    #[error("{} is not {what}: {} error(s)", .diagnostics.origin, .diagnostics.error_count())]
    InvalidInput {
        /// What it should have been.
        what: &'static str,
        /// Every problem.
        diagnostics: Diagnostics,
    },
    /// An option the request cannot mean (an unknown model, …).
    #[error("{0}")]
    Usage(String),
    /// An engine cannot run on this input.
    #[error("{0}")]
    Engine(String),
    /// An article cannot be read as text (`zopa evidence`).
    /// (The message includes the cause; it is not chained again.)
    #[error("{name}: {problem}")]
    Article {
        /// The article's name (its path).
        name: String,
        /// Where it stops being text.
        problem: zopa_evidence::EvidenceError,
    },
    /// The data directory of stored jobs cannot be used (a fault of the
    /// host, not of the input).
    #[error("the data directory: {0}")]
    Storage(#[source] std::io::Error),
    /// Only enumeration counts this scenario exactly and its space is above
    /// the limit: refused, with a labelled estimate in the message.
    #[error(transparent)]
    Unanalysed(Box<zopa_analysis::AnalysisError>),
    /// The request's [`zopa_model::Cancel`] was cancelled (a time limit ran
    /// out, the client left): the work stopped and nothing is answered.
    #[error("the work was cancelled before it finished")]
    Cancelled,
}

impl From<InteropError> for AppError {
    fn from(e: InteropError) -> Self {
        match e {
            InteropError::Invalid(d) => AppError::Invalid(d),
            other => AppError::Import(other),
        }
    }
}

impl From<zopa_analysis::AnalysisError> for AppError {
    fn from(e: zopa_analysis::AnalysisError) -> Self {
        match e {
            zopa_analysis::AnalysisError::Space(s) => AppError::Space(s),
            zopa_analysis::AnalysisError::Frontier(l) | zopa_analysis::AnalysisError::Work(l) => {
                AppError::Refused(l)
            }
            e @ zopa_analysis::AnalysisError::BeyondEnumeration { .. } => {
                AppError::Unanalysed(Box::new(e))
            }
            zopa_analysis::AnalysisError::Cancelled => AppError::Cancelled,
        }
    }
}

impl From<LoadError> for AppError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Invalid { diags } => AppError::Invalid(diags),
            other => AppError::Load(other),
        }
    }
}

/// What kind of failure an [`AppError`] is; surfaces map these, and only
/// these, to their outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The input is malformed; its problems are located.
    Invalid,
    /// Nothing by that name.
    NotFound,
    /// The request asks for something that cannot be meant.
    Usage,
    /// A size is above a bound, or an engine cannot run on this input.
    Refused,
    /// The input cannot be read or imported.
    CannotLoad,
    /// The work was cancelled (a time limit, a client that left).
    Cancelled,
    /// The host failed (storage), not the request.
    Host,
}

impl AppError {
    /// Its class.
    pub fn class(&self) -> Class {
        match self {
            AppError::Invalid(_) | AppError::InvalidInput { .. } => Class::Invalid,
            AppError::NotFound(_) => Class::NotFound,
            AppError::Usage(_) | AppError::Article { .. } => Class::Usage,
            AppError::Space(_)
            | AppError::Refused(_)
            | AppError::Engine(_)
            | AppError::Unanalysed(_) => Class::Refused,
            AppError::Load(_) | AppError::Import(_) => Class::CannotLoad,
            AppError::Cancelled => Class::Cancelled,
            AppError::Storage(_) => Class::Host,
        }
    }

    /// The located problems of an invalid input.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            AppError::Invalid(d) | AppError::InvalidInput { diagnostics: d, .. } => Some(d),
            _ => None,
        }
    }

    /// The setting that would let the request through, when a bound refused
    /// it and the bound can be raised.
    pub fn knob(&self) -> Option<Knob> {
        match self {
            AppError::Refused(l) => l.knob,
            AppError::Space(SpaceError::TooLarge { .. }) | AppError::Unanalysed(_) => {
                Some(Knob::Limit)
            }
            _ => None,
        }
    }

    /// The message with the remedy of a refusal, worded by the surface:
    /// `setting` names a knob as the surface offers it (`--limit`,
    /// `?limit=`), or `None` where the surface cannot raise it.
    pub fn message(&self, setting: impl Fn(Knob) -> Option<String>) -> String {
        match self.knob().and_then(setting) {
            Some(s) => format!("{self} (raise it with {s})"),
            None => self.to_string(),
        }
    }
}
