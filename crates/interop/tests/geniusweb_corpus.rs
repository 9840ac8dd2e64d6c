//! Every GeniusWeb file of the external corpus
//! (`$ZOPA_EXTERNAL_DATA/corpus/geniusweb`) reads, and reproduces the
//! utilities worked out by hand in that corpus's README; the project's own
//! GeniusWeb example reads in both type spellings.

mod common;

use zopa_interop::geniusweb::{read_folder, GwSet};

/// (folder, profile, bid as (issue, value) pairs, utility from the README).
type Case = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    f64,
);

const FIRST_00: &[(&str, &str)] = &[
    ("issueA", "valueA"),
    ("issueB", "valueA"),
    ("issueC", "valueA"),
    ("issueD", "valueA"),
    ("issueE", "valueA"),
];
const LAST_00: &[(&str, &str)] = &[
    ("issueA", "valueC"),
    ("issueB", "valueH"),
    ("issueC", "valueB"),
    ("issueD", "valueI"),
    ("issueE", "valueO"),
];
const NASH_00: &[(&str, &str)] = &[
    ("issueA", "valueB"),
    ("issueB", "valueB"),
    ("issueC", "valueA"),
    ("issueD", "valueH"),
    ("issueE", "valueB"),
];
const FIRST_09: &[(&str, &str)] = &[
    ("issueA", "valueA"),
    ("issueB", "valueA"),
    ("issueC", "valueA"),
    ("issueD", "valueA"),
    ("issueE", "valueA"),
    ("issueF", "valueA"),
    ("issueG", "valueA"),
];
const LAST_09: &[(&str, &str)] = &[
    ("issueA", "valueB"),
    ("issueB", "valueC"),
    ("issueC", "valueB"),
    ("issueD", "valueB"),
    ("issueE", "valueB"),
    ("issueF", "valueC"),
    ("issueG", "valueC"),
];
const NASH_09: &[(&str, &str)] = &[
    ("issueA", "valueB"),
    ("issueB", "valueC"),
    ("issueC", "valueB"),
    ("issueD", "valueB"),
    ("issueE", "valueA"),
    ("issueF", "valueA"),
    ("issueG", "valueC"),
];
const FIRST_15: &[(&str, &str)] = &[
    ("issueA", "valueA"),
    ("issueB", "valueA"),
    ("issueC", "valueA"),
    ("issueD", "valueA"),
    ("issueE", "valueA"),
];
const LAST_15: &[(&str, &str)] = &[
    ("issueA", "valueH"),
    ("issueB", "valueB"),
    ("issueC", "valueB"),
    ("issueD", "valueH"),
    ("issueE", "valueB"),
];
const NASH_15: &[(&str, &str)] = &[
    ("issueA", "valueC"),
    ("issueB", "valueB"),
    ("issueC", "valueA"),
    ("issueD", "valueA"),
    ("issueE", "valueB"),
];
const FIRST_JT: &[(&str, &str)] = &[
    ("place", "Tokyo"),
    ("budget", "900"),
    ("days", "3"),
    ("purpose", "Sightseeing"),
];
const LAST_JT: &[(&str, &str)] = &[
    ("place", "Hokkaido"),
    ("budget", "100"),
    ("days", "6"),
    ("purpose", "Shopping"),
];
const FIRST_PA: &[(&str, &str)] = &[
    ("Food", "Chips and Nuts"),
    ("Drinks", "Non-Alcoholic"),
    ("Location", "Party Tent"),
    ("Invitations", "Plain"),
    ("Music", "MP3"),
    ("Cleanup", "Water and Soap"),
];
const LAST_PA: &[(&str, &str)] = &[
    ("Food", "Catering"),
    ("Drinks", "Catering"),
    ("Location", "Ballroom"),
    ("Invitations", "Custom, Printed"),
    ("Music", "Band"),
    ("Cleanup", "Hired Help"),
];

const CASES: &[Case] = &[
    ("anl2023-domain00", "profileA", FIRST_00, 0.4496113874),
    ("anl2023-domain00", "profileA", LAST_00, 0.1743228760),
    ("anl2023-domain00", "profileA", NASH_00, 0.9369106940),
    ("anl2023-domain00", "profileB", FIRST_00, 0.2255631533),
    ("anl2023-domain00", "profileB", LAST_00, 0.5773913178),
    ("anl2023-domain00", "profileB", NASH_00, 0.5282021763),
    ("anl2023-domain09", "profileA", FIRST_09, 0.416880),
    ("anl2023-domain09", "profileA", LAST_09, 0.583120),
    ("anl2023-domain09", "profileA", NASH_09, 0.901330),
    ("anl2023-domain09", "profileB", FIRST_09, 0.5314446051),
    ("anl2023-domain09", "profileB", LAST_09, 0.3999809556),
    ("anl2023-domain09", "profileB", NASH_09, 0.856490),
    ("anl2023-domain15", "profileA", FIRST_15, 0.5027074967),
    ("anl2023-domain15", "profileA", LAST_15, 0.3937269159),
    ("anl2023-domain15", "profileA", NASH_15, 0.9154542877),
    ("anl2023-domain15", "profileB", FIRST_15, 0.4039716709),
    ("anl2023-domain15", "profileB", LAST_15, 0.4008610757),
    ("anl2023-domain15", "profileB", NASH_15, 0.955450),
    ("negmas-japantrip", "japantrip1", FIRST_JT, 0.923),
    ("negmas-japantrip", "japantrip1", LAST_JT, 0.191),
    ("negmas-japantrip", "japantrip2", FIRST_JT, 0.450),
    ("negmas-japantrip", "japantrip2", LAST_JT, 0.49),
    ("negmas-party", "party1", FIRST_PA, 0.51544),
    ("negmas-party", "party1", LAST_PA, 0.40882),
    ("negmas-party", "party2", FIRST_PA, 0.65802),
    ("negmas-party", "party2", LAST_PA, 0.45754),
];

/// Reservation values: the utility of each profile's reservation bid (README B3).
const RESERVATIONS: &[(&str, &str, f64)] = &[
    ("negmas-japantrip", "japantrip1", 0.200),
    ("negmas-japantrip", "japantrip2", 0.170),
    ("negmas-party", "party1", 0.50636),
    ("negmas-party", "party2", 0.36638),
];

fn utility(set: &GwSet, profile: &str, bid: &[(&str, &str)]) -> f64 {
    let p = set.profiles.iter().find(|p| p.name == profile).unwrap();
    let idx: Vec<usize> = set
        .domain
        .issues
        .iter()
        .map(|issue| {
            let (_, v) = bid.iter().find(|(i, _)| *i == issue.name).unwrap();
            issue.values.iter().position(|x| x.label() == *v).unwrap()
        })
        .collect();
    p.utility(&idx)
}

/// The external GeniusWeb corpus, or `None` (and a line saying so).
fn corpus(what: &str) -> Option<std::path::PathBuf> {
    zopa_testkit::external("corpus/geniusweb", what)
}

#[test]
fn every_corpus_set_reads() {
    let Some(gw) = corpus("reading the 5 GeniusWeb sets (ANL 2023, NegMAS)") else {
        return;
    };
    let folders = zopa_testkit::folders(&gw);
    assert_eq!(folders.len(), 5);
    for f in &folders {
        let set = read_folder(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(set.profiles.len(), 2, "{}", f.display());
    }
    zopa_testkit::say(&format!("{} GeniusWeb sets read", folders.len()));
}

#[test]
fn hand_checked_utilities_are_reproduced() {
    let Some(gw) = corpus("the GeniusWeb corpus's hand-checked utilities") else {
        return;
    };
    for (folder, profile, bid, expected) in CASES {
        let set = read_folder(&gw.join(folder)).unwrap();
        let u = utility(&set, profile, bid);
        assert!(
            (u - expected).abs() < 1e-9,
            "{folder}/{profile}: {u} vs {expected}"
        );
    }
    for (folder, profile, expected) in RESERVATIONS {
        let set = read_folder(&gw.join(folder)).unwrap();
        let p = set.profiles.iter().find(|p| p.name == *profile).unwrap();
        let r = p.utility(p.reservation_bid.as_ref().unwrap());
        assert!(
            (r - expected).abs() < 1e-9,
            "{folder}/{profile} reservation: {r} vs {expected}"
        );
    }
    zopa_testkit::say(&format!(
        "{} hand-checked GeniusWeb utilities and {} reservation bids reproduced",
        CASES.len(),
        RESERVATIONS.len()
    ));
}

#[test]
fn both_type_spellings_are_read_and_the_long_one_written() {
    let Some(gw) = corpus("GeniusWeb's old and new type spellings in the corpus") else {
        return;
    };
    let old = read_folder(&gw.join("negmas-party")).unwrap();
    let text = zopa_interop::geniusweb::profile_json(&old.domain, &old.profiles[0]).to_string();
    assert!(text.contains("DiscreteValueSetUtilities") && !text.contains("discreteutils"));
    let new = read_folder(&gw.join("anl2023-domain00")).unwrap();
    assert!(new.profiles.iter().all(|p| p.reservation_bid.is_none()));
}

/// The project's own GeniusWeb example: a number range and discrete
/// issues, reservation bids, the new type names; the old spellings
/// (`discreteutils`, `numberutils`) of the same profile read the same.
#[test]
fn the_example_set_reads_in_both_spellings() {
    let dir = common::example("geniusweb/job-offer");
    let set = read_folder(&dir).unwrap();
    assert_eq!(set.domain.issues.len(), 4);
    assert_eq!(set.domain.issues[0].values.len(), 5);
    let names: Vec<&str> = set.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["candidate", "employer"]);
    // 45000 is the second salary step: the candidate's 0 → 1 line gives 0.25.
    assert!((set.profiles[0].utilities[0][1] - 0.25).abs() < 1e-12);
    let old_dir = common::tempdir("gw-old-spelling");
    for f in ["job-offer.json", "employer.json", "candidate.json"] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        let text = text
            .replace("DiscreteValueSetUtilities", "discreteutils")
            .replace("NumberValueSetUtilities", "numberutils");
        std::fs::write(old_dir.join(f), text).unwrap();
    }
    let old = read_folder(&old_dir).unwrap();
    assert_eq!(old.domain, set.domain);
    assert_eq!(old.profiles, set.profiles);
}
