//! A format-neutral, spanned document tree.
//!
//! TOML and JSON scenario files are both parsed into a [`Node`] tree that keeps
//! the byte span of every value and key. One decoder (`crate::decode`) then reads
//! the scenario schema from that tree, so both formats share one schema, and every
//! diagnostic points at a line and column whichever format the user wrote.

use crate::diag::{Diagnostic, Span};

use crate::limits::MAX_DEPTH;

/// A value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: Kind,
    /// Where it is in the text.
    pub span: Span,
}

/// A table key with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where it is in the text.
    pub span: Span,
}

/// The value kinds a scenario file can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A string.
    Str(String),
    /// Any number (TOML integers and floats, JSON numbers).
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// An array.
    Array(Vec<Node>),
    /// A table/object, in document order.
    Table(Vec<(Key, Node)>),
    /// JSON `null`.
    Null,
    /// A TOML datetime (kept as text).
    Datetime(String),
}

impl Kind {
    /// The kind's name, for "expected X, found Y" messages.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Str(_) => "a string",
            Kind::Num(_) => "a number",
            Kind::Bool(_) => "a boolean",
            Kind::Array(_) => "an array",
            Kind::Table(_) => "a table",
            Kind::Null => "null",
            Kind::Datetime(_) => "a datetime",
        }
    }
}

/// Input syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// TOML 1.0.
    Toml,
    /// Strict JSON (no comments, no trailing commas).
    Json,
}

/// Parse `text` into a tree, or give the syntax error(s) with their spans.
pub fn parse(text: &str, syntax: Syntax) -> Result<Node, Vec<Diagnostic>> {
    if let Some(at) = too_deep(text) {
        return Err(vec![Diagnostic::error(
            "",
            Some(at..at + 1),
            format!("input is nested more than {MAX_DEPTH} levels deep"),
        )]);
    }
    match syntax {
        Syntax::Toml => parse_toml(text),
        Syntax::Json => parse_json(text),
    }
}

/// Offset of the first bracket that opens nesting level `MAX_DEPTH + 1`,
/// ignoring brackets inside strings. Conservative for both TOML and JSON.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_str: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match in_str {
            Some(q) => {
                if b == b'\\' && q == b'"' {
                    i += 1;
                } else if b == q {
                    in_str = None;
                }
            }
            None => match b {
                b'"' | b'\'' => in_str = Some(b),
                b'#' => {
                    // TOML comment to end of line (harmless for JSON: '#' is invalid there anyway).
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'\n' => {}
                _ => {}
            },
        }
        i += 1;
    }
    None
}

fn parse_toml(text: &str) -> Result<Node, Vec<Diagnostic>> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).map_err(|e| {
        vec![Diagnostic::error(
            "",
            e.span(),
            format!("TOML syntax error: {}", e.message().trim()),
        )]
    })?;

    fn conv(v: &DeValue<'_>, span: Span) -> Result<Node, Diagnostic> {
        let kind = match v {
            DeValue::String(s) => Kind::Str(s.to_string()),
            DeValue::Integer(i) => {
                let n =
                    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).map_err(|_| {
                        Diagnostic::error("", Some(span.clone()), "integer out of range")
                    })?;
                Kind::Num(n as f64)
            }
            DeValue::Float(f) => {
                let s = f.as_str().replace('_', "");
                let n = match s.as_str() {
                    "inf" | "+inf" => f64::INFINITY,
                    "-inf" => f64::NEG_INFINITY,
                    "nan" | "+nan" | "-nan" => f64::NAN,
                    other => other.parse::<f64>().map_err(|_| {
                        Diagnostic::error("", Some(span.clone()), "malformed float")
                    })?,
                };
                Kind::Num(n)
            }
            DeValue::Boolean(b) => Kind::Bool(*b),
            DeValue::Datetime(d) => Kind::Datetime(d.to_string()),
            DeValue::Array(items) => Kind::Array(
                items
                    .iter()
                    .map(|it| conv(it.get_ref(), it.span()))
                    .collect::<Result<_, _>>()?,
            ),
            DeValue::Table(t) => Kind::Table(conv_table(t)?),
        };
        Ok(Node { kind, span })
    }
    fn conv_table(t: &toml::de::DeTable<'_>) -> Result<Vec<(Key, Node)>, Diagnostic> {
        t.iter()
            .map(|(k, v)| {
                Ok((
                    Key {
                        name: k.get_ref().to_string(),
                        span: k.span(),
                    },
                    conv(v.get_ref(), v.span())?,
                ))
            })
            .collect()
    }

    let span = doc.span();
    let table = conv_table(doc.get_ref()).map_err(|d| vec![d])?;
    Ok(Node {
        kind: Kind::Table(table),
        span,
    })
}

fn parse_json(text: &str) -> Result<Node, Vec<Diagnostic>> {
    use jsonc_parser::ast::{ObjectPropName, Value};
    use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

    // A byte-order mark, as TOML accepts it: read as three spaces, so every
    // byte offset (and so every line and column) stays the file's.
    let unmarked;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            unmarked = format!("   {rest}");
            unmarked.as_str()
        }
        None => text,
    };

    let opts = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
    };
    let res = parse_to_ast(text, &CollectOptions::default(), &opts).map_err(|e| {
        let r = e.range();
        vec![Diagnostic::error(
            "",
            Some(r.start..r.end.max(r.start + 1)),
            format!("JSON syntax error: {}", e.kind()),
        )]
    })?;
    let Some(value) = res.value else {
        return Err(vec![Diagnostic::error(
            "",
            Some(0..0),
            "JSON document is empty",
        )]);
    };

    fn conv(v: &Value<'_>) -> Result<Node, Diagnostic> {
        Ok(match v {
            Value::StringLit(s) => Node {
                kind: Kind::Str(s.value.to_string()),
                span: s.range.start..s.range.end,
            },
            Value::NumberLit(n) => {
                let span = n.range.start..n.range.end;
                let x = n
                    .value
                    .parse::<f64>()
                    .map_err(|_| Diagnostic::error("", Some(span.clone()), "malformed number"))?;
                Node {
                    kind: Kind::Num(x),
                    span,
                }
            }
            Value::BooleanLit(b) => Node {
                kind: Kind::Bool(b.value),
                span: b.range.start..b.range.end,
            },
            Value::NullKeyword(n) => Node {
                kind: Kind::Null,
                span: n.range.start..n.range.end,
            },
            Value::Array(a) => Node {
                kind: Kind::Array(a.elements.iter().map(conv).collect::<Result<_, _>>()?),
                span: a.range.start..a.range.end,
            },
            Value::Object(o) => {
                let mut entries = Vec::with_capacity(o.properties.len());
                for p in &o.properties {
                    let (name, r) = match &p.name {
                        ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    entries.push((
                        Key {
                            name,
                            span: r.start..r.end,
                        },
                        conv(&p.value)?,
                    ));
                }
                Node {
                    kind: Kind::Table(entries),
                    span: o.range.start..o.range.end,
                }
            }
        })
    }
    conv(&value).map_err(|d| vec![d])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A byte-order mark is accepted in JSON as in TOML, and error offsets
    /// stay the file's.
    #[test]
    fn json_accepts_a_byte_order_mark() {
        let plain = parse(r#"   {"a": [1, 2]}"#, Syntax::Json).unwrap();
        let marked = parse("\u{feff}{\"a\": [1, 2]}", Syntax::Json).unwrap();
        assert_eq!(format!("{:?}", plain.kind), format!("{:?}", marked.kind));
        let e = parse("\u{feff}{\"a\": }", Syntax::Json).unwrap_err();
        assert_eq!(e[0].span.as_ref().map(|s| s.start), Some(9), "{e:?}");
    }

    #[test]
    fn toml_and_json_give_the_same_tree_shape() {
        let t = parse("a = 1\nb = [\"x\", true]\n[c]\nd = 0.5\n", Syntax::Toml).unwrap();
        let j = parse(
            r#"{"a": 1, "b": ["x", true], "c": {"d": 0.5}}"#,
            Syntax::Json,
        )
        .unwrap();
        fn strip(n: &Node) -> String {
            match &n.kind {
                Kind::Table(es) => es
                    .iter()
                    .map(|(k, v)| format!("{}={}", k.name, strip(v)))
                    .collect::<Vec<_>>()
                    .join(","),
                Kind::Array(xs) => {
                    format!("[{}]", xs.iter().map(strip).collect::<Vec<_>>().join(","))
                }
                other => format!("{other:?}"),
            }
        }
        assert_eq!(strip(&t), strip(&j));
    }

    #[test]
    fn spans_point_at_values() {
        let text = "x = 1\ny = \"hello\"\n";
        let n = parse(text, Syntax::Toml).unwrap();
        let Kind::Table(es) = n.kind else { panic!() };
        assert_eq!(&text[es[1].1.span.clone()], "\"hello\"");
        let text = r#"{"x": 1, "y": "hello"}"#;
        let n = parse(text, Syntax::Json).unwrap();
        let Kind::Table(es) = n.kind else { panic!() };
        assert_eq!(&text[es[1].1.span.clone()], "\"hello\"");
        assert_eq!(&text[es[1].0.span.clone()], "\"y\"");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("x = {}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse(&deep, Syntax::Toml).unwrap_err();
        assert!(e[0].message.contains("nested"));
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep, Syntax::Json).is_err());
    }

    #[test]
    fn syntax_errors_have_spans() {
        let e = parse("a = \n", Syntax::Toml).unwrap_err();
        assert!(e[0].span.is_some());
        let e = parse("{\"a\": }", Syntax::Json).unwrap_err();
        assert!(e[0].span.is_some());
        let e = parse("{\"a\": 1,}", Syntax::Json).unwrap_err();
        assert!(e[0].message.contains("JSON"));
    }
}
