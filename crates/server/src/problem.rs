//! RFC 9457 problem documents: every failure the API answers.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zopa_app::documents::{self, Diagnostic};
use zopa_app::{AppError, Class};
use zopa_model::Knob;

/// An RFC 9457 problem document (`application/problem+json`), with the
/// located diagnostics of an invalid input.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank`: the title says it).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What happened, in one sentence or more.
    pub detail: String,
    /// Every located problem of the input (file, line, column, path,
    /// message); may be empty.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Problem {
    /// A problem with no diagnostics.
    pub fn new(status: StatusCode, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank".into(),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            diagnostics: vec![],
        }
    }

    /// 400 Bad Request.
    pub fn bad(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "bad request", detail)
    }

    /// 404 Not Found.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, "not found", detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&self).expect("plain data");
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

/// How a client of this server raises a bound: only the outcome-space
/// limit is a request parameter (capped at the CLI's default); the other
/// bounds are the server's.
fn setting(k: Knob) -> Option<String> {
    (k == Knob::Limit).then(|| format!("`?limit=`, at most {} here", zopa_model::DEFAULT_LIMIT))
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        let detail = e.message(setting);
        let diagnostics = e
            .diagnostics()
            .map(documents::diagnostics)
            .unwrap_or_default();
        let (status, title) = match e.class() {
            Class::Invalid => (StatusCode::BAD_REQUEST, "invalid input"),
            Class::NotFound => (StatusCode::NOT_FOUND, "not found"),
            Class::Usage => (StatusCode::BAD_REQUEST, "bad request"),
            Class::Refused => (StatusCode::UNPROCESSABLE_ENTITY, "refused"),
            Class::CannotLoad => (StatusCode::UNPROCESSABLE_ENTITY, "cannot load"),
            Class::Cancelled => (StatusCode::UNPROCESSABLE_ENTITY, "too long"),
            Class::Host => (StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
        };
        Problem {
            diagnostics,
            ..Problem::new(status, title, detail)
        }
    }
}
