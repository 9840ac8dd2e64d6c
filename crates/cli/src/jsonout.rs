//! The JSON documents of the commands that have no report of their own
//! (`scenarios`, `validate`, errors) and the pieces every document shares.
//! Shapes are documented in docs/json-report.md.

use serde_json::{json, Value};
use zopa_model::{Diagnostics, Severity};

use crate::builtin;
use crate::input::Loaded;

/// Pretty-printed, with a final newline.
pub fn pretty(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).expect("a serde_json::Value always serialises") + "\n"
}

/// Every item of a diagnostics list: file, line, column, severity, path, message.
pub fn diagnostics(d: &Diagnostics) -> Vec<Value> {
    d.items
        .iter()
        .map(|item| {
            json!({
                "file": d.origin,
                "line": item.pos.map(|p| p.line),
                "column": item.pos.map(|p| p.col),
                "severity": match item.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "path": (!item.path.is_empty()).then_some(&item.path),
                "message": item.message,
            })
        })
        .collect()
}

/// The error object printed instead of plain text under `--json`.
pub fn error(message: &str, exit_code: u8, diags: Option<&Diagnostics>) -> Value {
    json!({
        "schema": "zopa.error/1",
        "error": message,
        "exit_code": exit_code,
        "diagnostics": diags.map(diagnostics).unwrap_or_default(),
    })
}

/// `zopa scenarios --json`.
pub fn scenarios() -> Value {
    json!({
        "schema": "zopa.scenarios/1",
        "default": builtin::DEFAULT,
        "scenarios": builtin::BUILTINS.iter().map(|b| json!({
            "name": b.name,
            "summary": b.summary,
            "default": b.name == builtin::DEFAULT,
        })).collect::<Vec<_>>(),
    })
}

/// Every warning of a loaded scenario: located ones first, then conversion
/// warnings (which have no position).
pub fn warnings(loaded: &Loaded) -> Vec<Value> {
    let mut out = diagnostics(&loaded.diagnostics);
    for d in &loaded.located {
        out.extend(diagnostics(d));
    }
    out.extend(loaded.warnings.iter().map(|w| {
        json!({
            "file": loaded.origin,
            "line": null,
            "column": null,
            "severity": "warning",
            "path": null,
            "message": w,
        })
    }));
    out
}

/// `zopa validate --json` for a valid scenario.
pub fn validation(loaded: &Loaded) -> Value {
    let s = &loaded.scenario;
    let claims = s.claims();
    json!({
        "schema": "zopa.validation/1",
        "origin": loaded.origin,
        "valid": true,
        "actors": s.actors.len(),
        "issues": s.issues.len(),
        "claims": claims.len(),
        "assumptions": claims.iter().filter(|c| c.basis.is_assumption()).count(),
        "evidence_quotes": claims.iter().map(|c| c.basis.evidence.len()).sum::<usize>(),
        "warnings": warnings(loaded),
    })
}
