//! `zopa brief`: one page a minister's office can read — the bottom line
//! first, then the three findings that matter (whether a deal exists, where
//! the parties clash, the most balanced deal and its costs), what each
//! depends on, what rests on what, and who said what. Labels, never ids;
//! every term defined where it is used; every sentence cites the claims it
//! rests on (`zopa.brief/1`, docs/json-report.md).

use serde::Serialize;
use zopa_model::{Claim, ClaimKind, Grade, Scenario, Stated};

use crate::analyze::{AnalysisDoc, AnalyzeRequest, Progress};
use crate::report::critical::{ChangeDoc, ConclusionDoc, ReadingDoc};
use crate::report::{and_list, capitalised, or_list};
use crate::{AppError, Loaded};

/// Schema of the JSON document.
pub const SCHEMA: &str = "zopa.brief/1";

/// One sentence of the brief and the claims it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = brief::Sentence)]
pub struct Sentence {
    /// `bottom_line`, `findings`, `rests_on`, `statements` or `terms`.
    pub section: &'static str,
    /// The sentence (Markdown emphasis allowed).
    pub text: String,
    /// Ids of the claims it rests on (`zopa claims --json`); definitions
    /// (`terms`) and zopa's own default rule (unanimity, when the scenario
    /// states none) cite none.
    pub claims: Vec<String>,
}

/// `zopa.brief/1`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = brief::Brief)]
pub struct BriefDoc {
    /// `zopa.brief/1`.
    pub schema: &'static str,
    /// The scenario's title.
    pub title: String,
    /// Every sentence, in reading order.
    pub sentences: Vec<Sentence>,
    /// The brief in Markdown, as `zopa brief` prints it.
    pub markdown: String,
}

/// Section headings, in order.
const SECTIONS: [(&str, &str); 5] = [
    ("bottom_line", "Bottom line"),
    ("findings", "What matters"),
    ("rests_on", "What this rests on"),
    ("statements", "Who said what"),
    ("terms", "Terms"),
];

/// The brief of a loaded scenario: its analysis with the critical
/// assumptions and the readings side by side, in words.
pub fn brief(
    loaded: &Loaded,
    limit: u64,
    cancel: zopa_model::Cancel,
) -> Result<BriefDoc, AppError> {
    let req = AnalyzeRequest {
        limit,
        compare: true,
        cancel,
        ..AnalyzeRequest::default()
    };
    let doc = crate::analyze::analyze(loaded, &req, Progress::none())?;
    // Where deals can land: an analysis beyond enumeration has none to say.
    let landing = match zopa_analysis::critical::landing(&loaded.scenario, limit, &req.cancel) {
        Ok(x) => Some(x),
        Err(zopa_analysis::AnalysisError::Space(_)) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(write(&loaded.scenario, &doc, landing.as_deref()))
}

/// The brief of an analysis (with its critical search and comparison);
/// `landing[i][o]`: passing packages holding option o of issue i, when
/// counted.
pub fn write(s: &Scenario, doc: &AnalysisDoc, landing: Option<&[Vec<u64>]>) -> BriefDoc {
    let claims = s.claims();
    let b = Builder {
        s,
        claims: &claims,
        out: vec![],
        landing,
    };
    let mut brief = b.run(doc);
    brief.markdown = brief.render_markdown(s);
    brief
}

struct Builder<'a> {
    s: &'a Scenario,
    claims: &'a [Claim<'a>],
    out: Vec<Sentence>,
    landing: Option<&'a [Vec<u64>]>,
}

/// A count in words for small numbers (`two`), digits beyond.
fn count(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS.get(n).map_or(n.to_string(), |w| w.to_string())
}

impl<'a> Builder<'a> {
    fn say(&mut self, section: &'static str, text: String, claims: Vec<String>) {
        let mut claims = claims;
        claims.sort();
        claims.dedup();
        self.out.push(Sentence {
            section,
            text,
            claims,
        });
    }

    /// Ids of the claims of `kind` that pass `keep`.
    fn ids(&self, kind: ClaimKind, keep: impl Fn(&Claim<'_>) -> bool) -> Vec<String> {
        self.claims
            .iter()
            .filter(|c| c.kind == kind && keep(c))
            .map(|c| c.id(self.s))
            .collect()
    }

    /// The claims deciding who accepts what: red lines, reservations and
    /// the decision rule.
    fn acceptability(&self) -> Vec<String> {
        let mut v = self.ids(ClaimKind::RedLine, |_| true);
        v.extend(self.ids(ClaimKind::Reservation, |_| true));
        v.extend(self.ids(ClaimKind::Decision, |_| true));
        v
    }

    fn actor_index(&self, id: &Option<String>) -> Option<usize> {
        let id = id.as_deref()?;
        self.s.actors().iter().position(|a| a.id == id)
    }

    fn issue_index(&self, id: &Option<String>) -> Option<usize> {
        let id = id.as_deref()?;
        self.s.issues().iter().position(|i| i.id == id)
    }

    /// The claims a change varies.
    fn change_claims(&self, c: &ChangeDoc) -> Vec<String> {
        let (a, i) = (self.actor_index(&c.actor), self.issue_index(&c.issue));
        let opt = |cl: &Claim<'_>| {
            cl.actor == a
                && cl.issue == i
                && cl.option.map(|o| {
                    self.s.issues()[cl.issue.unwrap_or(0)].options[o]
                        .id
                        .as_str()
                }) == c.option.as_deref()
        };
        match c.kind {
            "insist" | "refuse" => self.ids(ClaimKind::Value, opt),
            "drop_red_line" | "add_red_line" => self.ids(ClaimKind::RedLine, opt),
            "drop_combination" => {
                self.ids(ClaimKind::RedLine, |cl| cl.actor == a && cl.issue.is_none())
            }
            "reservation" => self.ids(ClaimKind::Reservation, |cl| cl.actor == a),
            "rule" => self.ids(ClaimKind::Decision, |_| true),
            "value" => self.ids(ClaimKind::Value, opt),
            "salience" => self.ids(ClaimKind::Salience, |cl| cl.actor == a && cl.issue == i),
            _ => vec![],
        }
    }

    /// The value claims behind a package's utilities.
    fn package_claims(&self, options: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
        self.ids(ClaimKind::Value, |c| {
            let (Some(i), Some(o)) = (c.issue, c.option) else {
                return false;
            };
            let issue = &self.s.issues()[i];
            options.get(&issue.id).and_then(|v| v.as_str()) == Some(issue.options[o].id.as_str())
        })
    }

    fn package_words(&self, options: &serde_json::Map<String, serde_json::Value>) -> String {
        self.s
            .issues()
            .iter()
            .filter_map(|i| {
                let id = options.get(&i.id)?.as_str()?;
                let o = i.options.iter().find(|o| o.id == id)?;
                Some(format!("“{}”", o.label))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn run(mut self, doc: &AnalysisDoc) -> BriefDoc {
        let s = self.s;
        let a = &doc.analysis;
        let critical = doc.critical.as_ref();
        let conclusion = |key: &str| -> Option<&ConclusionDoc> {
            critical?.conclusions.iter().find(|c| c.conclusion == key)
        };
        let readings: Vec<&ReadingDoc> = doc
            .comparison
            .as_ref()
            .map(|c| {
                c.readings
                    .iter()
                    .filter(|r| r.kind != "as_written")
                    .collect()
            })
            .unwrap_or_default();
        let clashes: Vec<&&ReadingDoc> = readings.iter().filter(|r| r.clash.is_some()).collect();
        let n = s.n_actors();
        let parties = if s.decision().is_unanimity() {
            if n == 2 {
                "both parties".to_string()
            } else {
                format!("all {} parties", count(n))
            }
        } else {
            "enough parties to pass it under the decision rule".to_string()
        };
        let nash = a.solution(zopa_analysis::Concept::Nash);
        // The Nash package's options and flags, once for the bottom line and
        // the third finding.
        let nash_options = nash.map(|x| crate::documents::option_map(s, &x.point.options));
        let flags = nash
            .map(|x| crate::report::flags::Flagger::new(s).flags(&x.point.options))
            .unwrap_or_default();
        let reading = if s.sources().is_empty() {
            "On the scenario's numbers"
        } else {
            "On this reading of the sources"
        };

        // Bottom line.
        if a.agreement_size == 0 {
            self.say(
                "bottom_line",
                format!(
                    "{reading} no deal exists that {parties} could accept: each of the {} possible deals crosses some party's red line or leaves it worse off than walking away.",
                    a.space_size
                ),
                self.acceptability(),
            );
        } else {
            let fragile = conclusion("agreement").filter(|c| c.found > 0);
            let tail = match fragile.and_then(|c| c.reversed_by.first()) {
                Some(r) => {
                    let changes: Vec<String> = r.changes.iter().map(|c| c.text.clone()).collect();
                    format!(", but no deal would remain if {}", and_list(&changes))
                }
                None => String::new(),
            };
            let mut cited = self.acceptability();
            if let Some(r) = fragile.and_then(|c| c.reversed_by.first()) {
                for c in &r.changes {
                    cited.extend(self.change_claims(c));
                }
            }
            self.say(
                "bottom_line",
                format!(
                    "{reading} a deal is possible: {} of the {} possible deals would be acceptable to {parties}{tail}.{}",
                    a.agreement_size,
                    a.space_size,
                    self.excluded()
                ),
                cited,
            );
        }
        if let Some(r) = clashes.first() {
            let clash = clash_words(r.clash.as_deref().unwrap_or_default());
            let cited = r
                .changes
                .iter()
                .flat_map(|c| self.change_claims(c))
                .collect::<Vec<_>>();
            let mut cited = cited;
            cited.extend(self.ids(ClaimKind::RedLine, |_| true));
            self.say(
                "bottom_line",
                format!(
                    "Under another plausible reading — {} — no deal is possible: {clash}.",
                    r.name.to_lowercase_first()
                ),
                cited,
            );
        }
        if let Some(options) = &nash_options {
            let caveat = match flags.len() {
                0 => String::new(),
                1 => " Before recommending it, note the problem listed below.".to_string(),
                k => format!(
                    " Before recommending it, note the {} problems listed below.",
                    count(k)
                ),
            };
            let mut cited = self.package_claims(options);
            cited.extend(self.ids(ClaimKind::Reservation, |_| true));
            self.say(
                "bottom_line",
                format!(
                    "The most balanced of those deals (the Nash bargaining solution: the deal that maximises the product of every party's gain over walking away) is: {}.{caveat}",
                    self.package_words(options)
                ),
                cited,
            );
        }

        // Findings.
        if let Some(c) = conclusion("agreement") {
            let cited: Vec<String> = self
                .acceptability()
                .into_iter()
                .chain(
                    c.reversed_by
                        .iter()
                        .flat_map(|r| r.changes.iter().flat_map(|x| self.change_claims(x))),
                )
                .collect();
            let answer = if a.agreement_size > 0 {
                format!(
                    "Yes: {} of the {} possible deals would be acceptable to {parties}.",
                    a.agreement_size, a.space_size
                )
            } else {
                format!(
                    "No: none of the {} possible deals would be acceptable to {parties}.",
                    a.space_size
                )
                .replace("No: none of", "No: not one of")
            };
            self.say(
                "findings",
                format!(
                    "**Is a deal possible?** {answer} {}{}",
                    c.unless,
                    self.excluded()
                ),
                cited,
            );
        }
        if clashes.is_empty() {
            if !readings.is_empty() {
                self.say(
                    "findings",
                    format!(
                        "**Where the parties clash.** None of the {} other readings compared (the scenario's interpretations and zopa's stress tests) leaves the parties without a deal.",
                        count(readings.len())
                    ),
                    self.acceptability(),
                );
            }
        } else {
            let parts: Vec<String> = clashes
                .iter()
                .map(|r| {
                    format!(
                        "if {}, {}",
                        r.name.to_lowercase_first(),
                        clash_words(r.clash.as_deref().unwrap_or_default())
                    )
                })
                .collect();
            let cited = clashes
                .iter()
                .flat_map(|r| r.changes.iter().flat_map(|c| self.change_claims(c)))
                .chain(self.ids(ClaimKind::RedLine, |_| true))
                .collect();
            self.say(
                "findings",
                format!(
                    "**Where the parties clash.** {} of the {} other readings compared leave no deal: {}.",
                    capitalised(&count(clashes.len())),
                    count(readings.len()),
                    parts.join("; ")
                ),
                cited,
            );
        }
        if let (Some(options), Some(c)) = (&nash_options, conclusion("nash")) {
            let costs: Vec<String> = critical
                .map(|k| {
                    k.conclusions
                        .iter()
                        .filter(|c| c.conclusion == "concessions")
                        .map(|c| {
                            c.text
                                .trim_start_matches("In the Nash package ")
                                .trim_end_matches('.')
                                .to_string()
                        })
                        .collect()
                })
                .unwrap_or_default();
            let flag_text: Vec<String> = flags.iter().map(|f| f.text.clone()).collect();
            let unless = match c.reversed_by.first() {
                Some(r) if c.found > 1 => format!(
                    " It is fragile: {} minimal sets of changes to the assumptions move it, the first being that {}.",
                    c.found,
                    r.changes.iter().map(|x| x.text.clone()).collect::<Vec<_>>().join(" and ")
                ),
                Some(r) => format!(
                    " It moves only if {}.",
                    r.changes.iter().map(|x| x.text.clone()).collect::<Vec<_>>().join(" and ")
                ),
                None => " No change searched moves it.".to_string(),
            };
            let mut cited = self.package_claims(options);
            cited.extend(
                c.reversed_by
                    .first()
                    .into_iter()
                    .flat_map(|r| r.changes.iter().flat_map(|x| self.change_claims(x))),
            );
            self.say(
                "findings",
                format!(
                    "**The most balanced deal, and its costs.** In it, {}. {}{unless}",
                    and_list(&costs),
                    flag_text.join(" ")
                ),
                cited,
            );
        }

        // What this rests on.
        let counts = s.claim_counts();
        let every: Vec<String> = self.claims.iter().map(|c| c.id(s)).collect();
        let text = if counts.quoted == 0 {
            format!(
                "None of the {} claims behind this analysis is stated in a source: every number — walk-away points, how much each party cares about each issue, valuations — is an assumption or comes from the game's own files.",
                counts.claims
            )
        } else {
            format!(
                "Of the {} claims behind this analysis, {} are stated in the sources: {} in the parties' own words in quotation marks, {} in a journalist's paraphrase and {} only in the analyst's reading of a passage. The other {} — every walk-away point, how much each party cares about each issue, and most valuations — are the analyst's assumptions, each with its reason.",
                counts.claims, counts.quoted, counts.direct, counts.reported, counts.inferred, counts.assumed
            )
        };
        self.say("rests_on", text, every);
        let d = s.decision();
        let names: Vec<&str> = s.actors().iter().map(|a| a.name.as_str()).collect();
        let rule = if d.is_unanimity() && d.must_include.is_empty() && d.power_share.is_none() {
            if n == 2 {
                "a deal needs both parties".to_string()
            } else {
                format!("a deal needs all {} parties", count(n))
            }
        } else {
            d.describe(&names)
        };
        let text = if !d.stated {
            format!("How a deal passes: no source says, so zopa assumes that {rule} (unanimity, its default).")
        } else if d.is_quoted() {
            format!("How a deal passes: {rule}, as a source states.")
        } else {
            format!(
                "How a deal passes: {rule} (an assumption: no source states how a deal passes)."
            )
        };
        self.say("rests_on", text, self.ids(ClaimKind::Decision, |_| true));

        // Who said what.
        for c in self
            .claims
            .iter()
            .filter(|c| c.is_quoted() && c.actor.is_some())
        {
            let Some(text) = self.statement(c) else {
                continue;
            };
            self.say("statements", text, vec![c.id(s)]);
        }

        // Terms.
        for t in [
            "*Deal*: one option on each issue; the analysis weighs every possible combination.",
            "*Walk-away point*: how good a deal must be, on a scale from a party's worst deal (0) to its best (1), before the party prefers no deal.",
            "*Red line*: an option a party will not accept in any deal.",
            "*Zone of possible agreement (ZOPA)*: the deals every party can accept — crossing no red line and at least as good as walking away.",
            "*Nash bargaining solution*: among those deals, the one that maximises the product of every party's gain over walking away; a standard measure of the most balanced deal.",
            "*Graded evidence*: direct (the speaker's words in quotation marks), reported (a journalist's paraphrase), inferred (the analyst's reading of a passage).",
        ] {
            self.say("terms", t.to_string(), vec![]);
        }
        BriefDoc {
            schema: SCHEMA,
            title: s.meta().title.clone(),
            sentences: self.out,
            markdown: String::new(),
        }
    }

    /// The options no deal that passes can hold, in words (empty when the
    /// counts are unknown, nothing passes, or every option can land).
    fn excluded(&self) -> String {
        let Some(landing) = self.landing else {
            return String::new();
        };
        if landing.iter().flatten().all(|&n| n == 0) {
            return String::new();
        }
        let out: Vec<String> = landing
            .iter()
            .enumerate()
            .flat_map(|(i, counts)| {
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &n)| n == 0)
                    .map(move |(o, _)| format!("“{}”", self.s.issues()[i].options[o].label))
            })
            .collect();
        if out.is_empty() {
            String::new()
        } else {
            let n: u64 = landing[0].iter().sum();
            format!(" None of the {n} includes {}.", or_list(&out))
        }
    }

    /// A quoted claim as a line of "who said what": the speaker, what the
    /// claim says in labels, the grade and where.
    fn statement(&self, c: &Claim<'_>) -> Option<String> {
        let s = self.s;
        let who = &s.actors()[c.actor?].name;
        let label = |i: usize, o: usize| format!("“{}”", s.issues()[i].options[o].label);
        let issue = |i: usize| format!("“{}”", s.issues()[i].name);
        let stated = |pick: &dyn Fn(&Stated) -> bool| -> Option<Stated> {
            c.quotes
                .iter()
                .flat_map(|e| e.states.iter())
                .find(|st| pick(st))
                .cloned()
        };
        let what = match (c.kind, c.issue, c.option) {
            (ClaimKind::Value, Some(i), Some(o)) => {
                let v = s.actors()[c.actor?].positions[i].values[o];
                let rank = if v == 1.0 { "best" } else { "worst" };
                format!("its {rank} option on {} is {}", issue(i), label(i, o))
            }
            (ClaimKind::RedLine, Some(i), Some(o)) => {
                format!("it rejects {} (on {})", label(i, o), issue(i))
            }
            (ClaimKind::RedLine, None, _) => {
                let k = c.index?;
                let comb = &s.actors()[c.actor?].combinations[k];
                let parts: Vec<String> = comb.options.iter().map(|&(i, o)| label(i, o)).collect();
                if comb.unless.is_empty() {
                    format!("it rejects {} together", and_list(&parts))
                } else {
                    let unless: Vec<String> =
                        comb.unless.iter().map(|&(i, o)| label(i, o)).collect();
                    format!(
                        "it rejects {} unless the deal also holds {}",
                        and_list(&parts),
                        and_list(&unless)
                    )
                }
            }
            (ClaimKind::Order, Some(i), _) => {
                let Stated::Order(v) = stated(&|st| matches!(st, Stated::Order(_)))? else {
                    return None;
                };
                let parts: Vec<String> = v.iter().map(|&o| label(i, o)).collect();
                format!(
                    "it prefers {} in that order (on {})",
                    parts.join(" to "),
                    issue(i)
                )
            }
            (ClaimKind::Salience, None, _) => {
                match stated(&|st| {
                    matches!(st, Stated::Best(_) | Stated::Worst(_) | Stated::Order(_))
                })? {
                    Stated::Best(i) => format!("{} matters most to it", issue(i)),
                    Stated::Worst(i) => format!("{} matters least to it", issue(i)),
                    Stated::Order(v) => {
                        let parts: Vec<String> = v.iter().map(|&i| issue(i)).collect();
                        format!("it cares about {} in that order", parts.join(", then "))
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        let e = c.quotes.iter().min_by_key(|e| e.grade)?;
        let words: Vec<&str> = e.quote.split_whitespace().collect();
        let excerpt = if words.len() > 14 {
            format!("{} …", words[..14].join(" "))
        } else {
            words.join(" ")
        };
        let grade = match e.grade {
            Grade::Direct => "in its own words",
            Grade::Reported => "as reported",
            Grade::Inferred => "the analyst's reading",
        };
        let source = if s.sources().len() == 1 {
            String::new()
        } else {
            let title = s.sources()[e.source]
                .title
                .clone()
                .unwrap_or_else(|| format!("source {}", e.source + 1));
            format!("; {title}")
        };
        let line = if e.line > 0 {
            format!(", line {}", e.line)
        } else {
            String::new()
        };
        Some(format!(
            "**{who}**: {what} — “{excerpt}” ({grade}{source}{line})."
        ))
    }
}

/// A clash sentence as a clause: "The clash: no option of X is left — A
/// rejects …." → "no option of X is left, as A rejects …".
fn clash_words(clash: &str) -> String {
    clash
        .trim_start_matches("The clash: ")
        .trim_end_matches('.')
        .replacen(" is left — ", " is left, as ", 1)
}

/// Lower-case a sentence's first letter when it starts a clause ("The
/// clash" → "the clash"), leaving names and acronyms ("Kyiv", "US") alone.
trait LowerFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowerFirst for str {
    fn to_lowercase_first(&self) -> String {
        let first = self.split_whitespace().next().unwrap_or("");
        let common = ["The", "Each", "Every", "A", "An", "No"];
        if !common.contains(&first) {
            return self.to_string();
        }
        let mut cs = self.chars();
        match cs.next() {
            Some(c) => c.to_lowercase().chain(cs).collect(),
            None => String::new(),
        }
    }
}

impl LowerFirst for String {
    fn to_lowercase_first(&self) -> String {
        self.as_str().to_lowercase_first()
    }
}

impl BriefDoc {
    /// The brief in Markdown, from its sentences.
    fn render_markdown(&self, s: &Scenario) -> String {
        let mut o = format!("# {} — brief\n\n", self.title);
        let date = s
            .meta()
            .date
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let sources: Vec<String> = s
            .sources()
            .iter()
            .map(|x| x.title.clone().unwrap_or_else(|| x.path.clone()))
            .collect();
        o.push_str(&format!(
            "*Prepared with zopa from {}{date}. Every sentence cites the claims it rests on (`zopa brief --json`).*\n",
            if sources.is_empty() { "the scenario's numbers".to_string() } else { and_list(&sources) }
        ));
        for (key, heading) in SECTIONS {
            let lines: Vec<&Sentence> =
                self.sentences.iter().filter(|x| x.section == key).collect();
            if lines.is_empty() {
                continue;
            }
            o.push_str(&format!("\n## {heading}\n\n"));
            match key {
                "bottom_line" => {
                    let text: Vec<&str> = lines.iter().map(|x| x.text.as_str()).collect();
                    o.push_str(&text.join(" "));
                    o.push('\n');
                }
                "findings" => {
                    for (k, x) in lines.iter().enumerate() {
                        o.push_str(&format!("{}. {}\n", k + 1, x.text));
                    }
                }
                _ => {
                    for x in lines {
                        o.push_str(&format!("- {}\n", x.text));
                    }
                }
            }
        }
        o
    }

    /// The brief as a standalone HTML page.
    pub fn html(&self) -> String {
        let md = &self.markdown;
        let mut body = String::new();
        let mut list: Option<&str> = None;
        let close = |body: &mut String, list: &mut Option<&str>| {
            if let Some(tag) = list.take() {
                body.push_str(&format!("</{tag}>\n"));
            }
        };
        for line in md.lines() {
            if let Some(h) = line.strip_prefix("# ") {
                close(&mut body, &mut list);
                body.push_str(&format!("<h1>{}</h1>\n", inline(h)));
            } else if let Some(h) = line.strip_prefix("## ") {
                close(&mut body, &mut list);
                body.push_str(&format!("<h2>{}</h2>\n", inline(h)));
            } else if let Some(item) = line.strip_prefix("- ") {
                if list != Some("ul") {
                    close(&mut body, &mut list);
                    body.push_str("<ul>\n");
                    list = Some("ul");
                }
                body.push_str(&format!("<li>{}</li>\n", inline(item)));
            } else if let Some((n, item)) = line
                .split_once(". ")
                .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
            {
                let _ = n;
                if list != Some("ol") {
                    close(&mut body, &mut list);
                    body.push_str("<ol>\n");
                    list = Some("ol");
                }
                body.push_str(&format!("<li>{}</li>\n", inline(item)));
            } else if !line.trim().is_empty() {
                close(&mut body, &mut list);
                body.push_str(&format!("<p>{}</p>\n", inline(line)));
            }
        }
        close(&mut body, &mut list);
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — brief</title>\n<style>body{{font:16px/1.5 Georgia,serif;max-width:44em;margin:2em auto;padding:0 1em;color:#222}}h1{{font-size:1.5em}}h2{{font-size:1.15em;margin-top:1.5em}}li{{margin:.4em 0}}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
            crate::html::esc(&self.title)
        )
    }
}

/// Markdown emphasis and code spans to HTML, the rest escaped.
fn inline(text: &str) -> String {
    let escaped = crate::html::esc(text);
    let mut out = String::new();
    let mut rest = escaped.as_str();
    let mut strong = false;
    let mut em = false;
    let mut code = false;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("**") {
            out.push_str(if strong { "</strong>" } else { "<strong>" });
            strong = !strong;
            rest = &rest[2..];
        } else if c == '*' {
            out.push_str(if em { "</em>" } else { "<em>" });
            em = !em;
            rest = &rest[1..];
        } else if c == '`' {
            out.push_str(if code { "</code>" } else { "<code>" });
            code = !code;
            rest = &rest[1..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}
