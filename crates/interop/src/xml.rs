//! A small XML element tree with byte positions, built on quick-xml.
//!
//! Safe on hostile input: entity references other than the five predefined
//! ones and character references are errors (no DTD entity is ever expanded,
//! so "billion laughs" cannot happen), nesting is limited to [`MAX_DEPTH`],
//! and a truncated document is an error naming the unclosed element.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use zopa_model::limits::MAX_DEPTH;

/// An element: name, attributes in document order, child elements.
#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    /// Tag name.
    pub name: String,
    /// Attributes, unescaped.
    pub attrs: Vec<(String, String)>,
    /// Child elements (text content is ignored).
    pub children: Vec<Elem>,
    /// Byte offset of the element's `<`.
    pub pos: usize,
}

impl Elem {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements called `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Elem> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Elem> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlError {
    /// Byte offset.
    pub pos: usize,
    /// What is wrong.
    pub message: String,
}

fn open(e: &BytesStart<'_>, pos: usize) -> Result<Elem, XmlError> {
    let name = AsRef::<str>::as_ref(&e.name()).to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| XmlError {
            pos,
            message: format!("malformed attribute in <{name}>: {err}"),
        })?;
        let key = AsRef::<str>::as_ref(&a.key).to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| XmlError {
                pos,
                message: format!("attribute `{key}` of <{name}>: {err}"),
            })?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Elem {
        name,
        attrs,
        children: Vec::new(),
        pos,
    })
}

/// Add a finished element to its parent, or make it the root.
fn attach(
    stack: &mut [Elem],
    root: &mut Option<Elem>,
    el: Elem,
    pos: usize,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None if root.is_none() => *root = Some(el),
        None => {
            return Err(XmlError {
                pos,
                message: "more than one root element".into(),
            })
        }
    }
    Ok(())
}

/// Parse a document and give its root element.
pub fn parse(text: &str) -> Result<Elem, XmlError> {
    let (text, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Elem> = Vec::new();
    let mut root: Option<Elem> = None;
    loop {
        let pos = reader.buffer_position() as usize + bom;
        let ev = reader.read_event().map_err(|e| XmlError {
            pos: reader.error_position() as usize + bom,
            message: format!("XML syntax error: {e}"),
        })?;
        match ev {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        pos,
                        message: format!("elements nested more than {MAX_DEPTH} levels deep"),
                    });
                }
                stack.push(open(&e, pos)?);
            }
            Event::Empty(e) => attach(&mut stack, &mut root, open(&e, pos)?, pos)?,
            Event::End(_) => {
                let el = stack.pop().expect("quick-xml checks end names");
                attach(&mut stack, &mut root, el, pos)?;
            }
            Event::GeneralRef(r) => {
                // Only character and predefined references are allowed in text;
                // text is ignored anyway, but an unknown entity is refused.
                let name = AsRef::<str>::as_ref(&r).to_string();
                let predefined = ["lt", "gt", "amp", "apos", "quot"].contains(&name.as_str());
                if !predefined && !name.starts_with('#') {
                    return Err(XmlError {
                        pos,
                        message: format!(
                            "entity `&{name};` is not allowed (no DTD entities are expanded)"
                        ),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            pos: text.len() + bom,
            message: format!(
                "unexpected end of file: <{}> (at byte {}) is not closed",
                open.name, open.pos
            ),
        });
    }
    root.ok_or(XmlError {
        pos: 0,
        message: "no root element".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_and_positions() {
        let t = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\">\n  <b/>\n  <c><d y='z'/></c>\n</a>\n";
        let a = parse(t).unwrap();
        assert_eq!(a.name, "a");
        assert_eq!(a.attr("x"), Some("1 & 2"));
        assert_eq!(a.children.len(), 2);
        assert_eq!(&t[a.children[0].pos..a.children[0].pos + 4], "<b/>");
        assert_eq!(a.children[1].children[0].attr("y"), Some("z"));
    }

    #[test]
    fn hostile_input_is_refused() {
        let laughs = "<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><r v=\"&b;\"/>";
        assert!(parse(laughs).unwrap_err().message.contains("attribute"));
        let laughs_text = "<!DOCTYPE l [<!ENTITY a \"aaaa\">]><r>&a;</r>";
        assert!(parse(laughs_text)
            .unwrap_err()
            .message
            .contains("not allowed"));
        let e = parse("<a><b></a>").unwrap_err();
        assert!(e.message.contains("syntax"), "{e:?}");
        let e = parse("<a><b>").unwrap_err();
        assert!(e.message.contains("not closed"), "{e:?}");
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
        assert!(parse("").is_err());
        assert!(parse("<a/><b/>").is_err());
    }
}
