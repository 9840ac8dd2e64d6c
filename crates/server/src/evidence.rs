//! `POST /api/v1/evidence`: the statements of position in a news report —
//! who says what, with what stance — and, against a scenario, what they
//! change in it (`zopa.evidence/1`, as `zopa evidence --json` prints it);
//! with `?draft=true`, a scenario drafted from one or more reports
//! (`zopa.evidence-draft/1`) or what they add to the scenario given
//! (`zopa.evidence-update/1`).
//!
//! The report comes as a `text/plain` body, or as `article` parts of a
//! `multipart/form-data` upload beside an optional `scenario` part (with
//! the source files it cites) and an optional `gold` part (annotations to
//! score against).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use zopa_app::evidence::ReportInput;
use zopa_app::input::{self, Input};
use zopa_model::Syntax;

use crate::problem::Problem;
use crate::request::{media_type, parts, rejected, utf8, Part};
use crate::routes::{json_response, pretty, run_in};
use crate::AppState;

/// `POST /api/v1/evidence`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvidenceQuery {
    /// Resolve speakers and topics through this built-in scenario (instead
    /// of a `scenario` part).
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// The report's name in the document (a `text/plain` body; an `article`
    /// part's file name otherwise).
    pub name: Option<String>,
    /// Draft a scenario from the reports (with a scenario: what they add
    /// to it).
    pub draft: Option<bool>,
}

/// A `multipart/form-data` evidence upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct EvidenceUpload {
    /// The report (plain UTF-8 text); several with `?draft=true`.
    #[schema(value_type = Vec<String>, format = Binary)]
    article: Vec<Vec<u8>>,
    /// A zopa scenario file (.toml or .json) to read the report against.
    #[schema(value_type = Option<String>, format = Binary)]
    scenario: Option<Vec<u8>>,
    /// Annotations to score against (zopa's TOML or the JSON list).
    #[schema(value_type = Option<String>, format = Binary)]
    gold: Option<Vec<u8>>,
    /// The source documents the scenario cites, by the path it cites.
    #[schema(value_type = Option<Vec<String>>, format = Binary)]
    file: Option<Vec<Vec<u8>>>,
}

/// The documents `POST /api/v1/evidence` answers.
#[derive(utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)] // a schema only: never built
pub enum EvidenceAnswer {
    /// `zopa.evidence/1`.
    Evidence(zopa_app::evidence::EvidenceDoc),
    /// `zopa.evidence-draft/1`.
    Draft(zopa_app::evidence::DraftDoc),
    /// `zopa.evidence-update/1`.
    Update(zopa_app::evidence::UpdateDoc),
}

/// What an evidence request carries.
struct Upload {
    articles: Vec<(String, Vec<u8>)>,
    scenario: Option<Input>,
    gold: Option<(String, String)>,
}

/// Attributed statements of position in a news report (`zopa.evidence/1`);
/// with `?draft=true`, a drafted scenario (`zopa.evidence-draft/1`) or,
/// with a scenario, what the reports add to it (`zopa.evidence-update/1`).
#[utoipa::path(post, path = "/api/v1/evidence", tag = "evidence",
    params(EvidenceQuery),
    request_body(content((String = "text/plain"), (EvidenceUpload = "multipart/form-data")), description = "The report as text, or an upload with `article`, `scenario`, `gold` and source parts"),
    responses((status = 200, description = "`zopa.evidence/1`; with ?draft=true, `zopa.evidence-draft/1` (no scenario) or `zopa.evidence-update/1` (docs/json-report.md)", body = EvidenceAnswer), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn evidence(
    State(state): State<Arc<AppState>>,
    req: Request,
) -> Result<Response, Problem> {
    let Query(q) = Query::<EvidenceQuery>::try_from_uri(req.uri())
        .map_err(|e| Problem::new(e.status(), "bad request", e.body_text()))?;
    let mut up = match media_type(req.headers()).as_str() {
        "multipart/form-data" => {
            let mp = Multipart::from_request(req, &state).await.map_err(rejected)?;
            upload(parts(mp).await?)?
        }
        "text/plain" | "" => {
            let body = axum::body::Bytes::from_request(req, &state).await.map_err(rejected)?;
            let name = q.name.clone().unwrap_or_else(|| "article".into());
            Upload { articles: vec![(name, body.to_vec())], scenario: None, gold: None }
        }
        other => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported media type",
                format!("a report is text/plain, or multipart/form-data with `article` parts, not `{other}`"),
            ))
        }
    };
    if let Some(name) = &q.scenario {
        if up.scenario.is_some() {
            return Err(Problem::bad(
                "send either ?scenario=NAME or a `scenario` part, not both",
            ));
        }
        let b = zopa_app::builtin::find(name).ok_or_else(|| {
            Problem::not_found(format!(
                "no built-in scenario `{name}` (GET /api/v1/scenarios lists them)"
            ))
        })?;
        up.scenario = Some(Input::Builtin(b));
    }
    let draft = q.draft.unwrap_or(false);
    if up.articles.len() != 1 && !draft {
        return Err(Problem::bad(format!(
            "{} `article` parts: send one, or several with ?draft=true",
            up.articles.len()
        )));
    }
    if draft && up.gold.is_some() {
        return Err(Problem::bad(
            "`gold` scores one report's statements; it does not go with ?draft=true",
        ));
    }
    let body: Vec<u8> = run_in(&state, &state.heavy, move |_cancel| answer(up, draft)).await?;
    Ok(json_response(body))
}

fn answer(up: Upload, draft: bool) -> Result<Vec<u8>, Problem> {
    let scenario = match &up.scenario {
        Some(i) => Some((
            i,
            input::load(i, zopa_model::DEFAULT_LIMIT).map_err(Problem::from)?,
        )),
        None => None,
    };
    let scenario = scenario.as_ref().map(|(i, l)| (*i, l));
    if draft {
        let reports: Vec<ReportInput<'_>> = up
            .articles
            .iter()
            .map(|(name, bytes)| ReportInput {
                name: name.clone(),
                cite: name.clone(),
                bytes,
            })
            .collect();
        return Ok(match scenario {
            Some(s) => pretty(&zopa_app::evidence::update(s, &reports)?),
            None => pretty(&zopa_app::evidence::draft(&reports)?),
        });
    }
    let (name, bytes) = &up.articles[0];
    let gold = up.gold.as_ref().map(|(n, t)| (n.as_str(), t.as_str()));
    Ok(pretty(&zopa_app::evidence::evidence(
        name, bytes, scenario, gold,
    )?))
}

/// The parts of an evidence upload.
fn upload(all: Vec<Part>) -> Result<Upload, Problem> {
    let mut up = Upload {
        articles: Vec::new(),
        scenario: None,
        gold: None,
    };
    let mut scenario: Option<(String, Syntax, String)> = None;
    let mut sources = HashMap::new();
    for p in all {
        match (p.field.as_str(), p.file) {
            ("article", file) => {
                let n = up.articles.len() + 1;
                up.articles.push((file.unwrap_or_else(|| format!("article{n}")), p.bytes));
            }
            ("gold", file) => {
                up.gold = Some((file.unwrap_or_else(|| "gold".into()), utf8("the annotations", p.bytes)?));
            }
            ("scenario", file) => {
                let file = file.unwrap_or_else(|| "scenario.toml".into());
                let json = file.ends_with(".json") || p.content_type.as_deref() == Some("application/json");
                let syntax = if json { Syntax::Json } else { Syntax::Toml };
                scenario = Some((file, syntax, utf8("the scenario", p.bytes)?));
            }
            (_, Some(file)) => {
                sources.insert(file, utf8("a source", p.bytes)?);
            }
            (other, None) => {
                return Err(Problem::bad(format!(
                    "unexpected form field `{other}`: send `article` parts, optionally `scenario`, `gold` and the scenario's source files"
                )))
            }
        }
    }
    if up.articles.is_empty() {
        return Err(Problem::bad(
            "the upload holds no `article` part (the report's text)",
        ));
    }
    up.scenario = scenario.map(|(name, syntax, text)| Input::Text {
        name,
        syntax,
        text,
        sources,
    });
    Ok(up)
}
