//! What a scenario route receives: a built-in (`?scenario=NAME`), a
//! scenario body (TOML or JSON, by `Content-Type`), or a
//! `multipart/form-data` upload (a scenario with its sources, or a GENIUS
//! or GeniusWeb folder's files), with the options of the query string.
//! Every rejection is a problem document.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Query, Request};
use axum::http::{header, HeaderMap, StatusCode};
use zopa_app::input::Input;
use zopa_interop::FileBytes;
use zopa_model::Syntax;

use crate::problem::Problem;
use crate::queries::RouteQuery;

/// A scenario request: its input, outcome-space limit and the route's
/// query (`Q`, one of [`crate::queries`]).
pub struct ScenarioRequest<Q> {
    /// The scenario (or folder) to load.
    pub input: Input,
    /// Outcome-space limit.
    pub limit: u64,
    /// The query's options.
    pub query: Q,
    /// The route and query as sent (what a built-in's document depends on).
    pub key: String,
}

impl<S: Send + Sync, Q: RouteQuery> FromRequest<S> for ScenarioRequest<Q> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let Query(query) = Query::<Q>::try_from_uri(req.uri())
            .map_err(|e| Problem::new(e.status(), "bad request", e.body_text()))?;
        let limit = limit_of(&query)?;
        let key = format!(
            "{}?{}",
            req.uri().path(),
            req.uri().query().unwrap_or_default()
        );
        let input = match (query.scenario(), media_type(req.headers()).as_str()) {
            (Some(name), _) => {
                let body = Bytes::from_request(req, state).await.map_err(rejected)?;
                builtin_input(name, &body)?
            }
            (None, "multipart/form-data") => {
                let mp = Multipart::from_request(req, state)
                    .await
                    .map_err(rejected)?;
                multipart_input(mp).await?
            }
            (None, ct) => {
                let ct = ct.to_string();
                let body = Bytes::from_request(req, state).await.map_err(rejected)?;
                body_input(&ct, &body)?
            }
        };
        Ok(ScenarioRequest {
            input,
            limit,
            query,
            key,
        })
    }
}

/// An axum rejection (body too large: 413; a body that did not arrive in
/// time: 408; …) as a problem.
pub fn rejected<E>(e: E) -> Problem
where
    E: axum::response::IntoResponse + std::error::Error + 'static,
{
    if let Some(t) = crate::conn::timed_out(&e) {
        return Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "request timeout",
            t.to_string(),
        );
    }
    let text = e.to_string();
    let status = e.into_response().status();
    Problem::new(status, "bad request", text)
}

/// The request's media type, lower case, without parameters.
pub fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn builtin_input(name: &str, body: &Bytes) -> Result<Input, Problem> {
    if !body.is_empty() {
        return Err(Problem::bad(
            "send either ?scenario=NAME or a scenario body, not both",
        ));
    }
    zopa_app::builtin::find(name)
        .map(Input::Builtin)
        .ok_or_else(|| {
            Problem::not_found(format!(
                "no built-in scenario `{name}` (GET /api/v1/scenarios lists them)"
            ))
        })
}

fn syntax_of(media_type: &str) -> Option<Syntax> {
    match media_type {
        "application/toml" | "text/toml" => Some(Syntax::Toml),
        "application/json" => Some(Syntax::Json),
        _ => None,
    }
}

fn body_input(media_type: &str, body: &Bytes) -> Result<Input, Problem> {
    if body.is_empty() && media_type.is_empty() {
        return Err(Problem::bad(
            "no scenario: send ?scenario=NAME, a scenario body (application/toml or application/json) or a multipart/form-data upload",
        ));
    }
    let syntax = syntax_of(media_type).ok_or_else(|| {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported media type",
            format!("a scenario is application/toml, application/json or multipart/form-data, not `{media_type}`"),
        )
    })?;
    Ok(Input::Text {
        name: "request".into(),
        syntax,
        text: utf8("the body", body.to_vec())?,
        sources: HashMap::new(),
    })
}

/// Uploaded bytes as text, or a 400 naming `what` and the first bad byte.
pub fn utf8(what: &str, bytes: Vec<u8>) -> Result<String, Problem> {
    String::from_utf8(bytes).map_err(|e| {
        Problem::bad(format!(
            "{what} is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// A name for an uploaded folder ([`zopa_app::jobs::plain_name`], the
/// rule of every uploaded name).
fn folder_name(name: String) -> Result<String, Problem> {
    if zopa_app::jobs::plain_name(&name) {
        Ok(name)
    } else {
        Err(Problem::bad(
            "`name` is 1 to 255 letters, digits, `.`, `_`, `-`, `+` or spaces, not starting with `.`",
        ))
    }
}

/// One part of a `multipart/form-data` body.
pub struct Part {
    /// The form field's name.
    pub field: String,
    /// Its file name, for a file part.
    pub file: Option<String>,
    /// Its content type, lower case.
    pub content_type: Option<String>,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Every part of a multipart body (each bounded by the body limit).
pub async fn parts(mut mp: Multipart) -> Result<Vec<Part>, Problem> {
    let mut out = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(rejected)? {
        out.push(Part {
            field: field.name().unwrap_or_default().to_string(),
            file: field.file_name().map(str::to_string),
            content_type: field.content_type().map(str::to_ascii_lowercase),
            bytes: field.bytes().await.map_err(rejected)?.to_vec(),
        });
    }
    Ok(out)
}

/// A multipart upload: a `scenario` part (a zopa file) with its cited
/// sources as further file parts (by the path the scenario cites), or the
/// files of a GENIUS or GeniusWeb folder, optionally named by a `name` field.
async fn multipart_input(mp: Multipart) -> Result<Input, Problem> {
    let mut scenario: Option<(String, Syntax, String)> = None;
    let mut name: Option<String> = None;
    let mut files = Vec::new();
    for Part {
        field,
        file,
        content_type: ct,
        bytes,
    } in parts(mp).await?
    {
        match (field.as_str(), file) {
            ("name", None) => name = Some(folder_name(utf8("`name`", bytes)?)?),
            ("scenario", file) => {
                let file = file.unwrap_or_else(|| "scenario.toml".into());
                let syntax = if file.ends_with(".json") {
                    Syntax::Json
                } else {
                    ct.as_deref().and_then(syntax_of).unwrap_or(Syntax::Toml)
                };
                scenario = Some((file, syntax, utf8("the scenario", bytes)?));
            }
            (_, Some(file)) => files.push(FileBytes { name: file, bytes }),
            (other, None) => {
                return Err(Problem::bad(format!(
                    "unexpected form field `{other}`: send file parts (with a filename), optionally `scenario` and `name`"
                )))
            }
        }
    }
    if let Some((file, syntax, text)) = scenario {
        let sources = files
            .into_iter()
            .map(|f| Ok((f.name, utf8("a source", f.bytes)?)))
            .collect::<Result<_, Problem>>()?;
        return Ok(Input::Text {
            name: file,
            syntax,
            text,
            sources,
        });
    }
    if files.is_empty() {
        return Err(Problem::bad(
            "the upload holds no file: send a `scenario` part, or a GENIUS or GeniusWeb folder's files",
        ));
    }
    // Folder files by their own names (clients may send a path).
    for f in &mut files {
        if let Some(base) = f.name.rsplit(['/', '\\']).next() {
            f.name = base.to_string();
        }
    }
    Ok(Input::Files {
        name: name.unwrap_or_else(|| "upload".into()),
        files,
    })
}

/// The outcome-space limit asked for, at most the CLI's default.
fn limit_of(q: &impl RouteQuery) -> Result<u64, Problem> {
    let limit = q.limit().unwrap_or(zopa_model::DEFAULT_LIMIT);
    if limit == 0 {
        return Err(Problem::bad("`limit` is at least 1"));
    }
    zopa_model::limits::check(
        "the outcome-space limit",
        u128::from(limit),
        zopa_model::DEFAULT_LIMIT,
        None,
    )
    .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "refused", e.to_string()))?;
    Ok(limit)
}
