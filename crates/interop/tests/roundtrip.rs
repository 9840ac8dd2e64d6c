//! Writing then reading gives the same scenario: the example GENIUS domains
//! (and, with external data, every ANAC corpus domain)
//! through GENIUS XML, GeniusWeb JSON and zopa TOML, and random scenarios in
//! GENIUS normal form through GENIUS XML (property test).

mod common;

use proptest::prelude::*;
use zopa_interop::convert::{
    genius_domain_xml, genius_profile_xml, geniusweb_to_scenario, to_genius, to_geniusweb,
    write_genius_folder, write_geniusweb_folder,
};
use zopa_interop::genius::{read_domain_str, read_folder, read_profile_str, GeniusFolder};
use zopa_interop::geniusweb;
use zopa_interop::semantics::{to_scenario, DEFAULT_REAL_STEPS};
use zopa_model::{load_str, MapLoader, Scenario, Syntax, Tables, DEFAULT_LIMIT};

/// Same issues, options, weights, values and reservations (ids included).
fn assert_same_preferences(a: &Scenario, b: &Scenario, what: &str, reservations: bool) {
    assert_eq!(a.issues().len(), b.issues().len(), "{what}: issues");
    for (x, y) in a.issues().iter().zip(b.issues()) {
        assert_eq!(x.id, y.id, "{what}: issue id");
        let ox: Vec<&str> = x.options.iter().map(|o| o.id.as_str()).collect();
        let oy: Vec<&str> = y.options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ox, oy, "{what}: options of {}", x.id);
    }
    assert_eq!(a.actors().len(), b.actors().len(), "{what}: actors");
    let close = |p: f64, q: f64| (p - q).abs() <= 1e-12;
    for (x, y) in a.actors().iter().zip(b.actors()) {
        assert_eq!(x.id, y.id, "{what}: actor id");
        if reservations {
            assert!(
                close(x.reservation, y.reservation),
                "{what}: reservation of {}",
                x.id
            );
        }
        for (i, (wx, wy)) in x.weights.iter().zip(&y.weights).enumerate() {
            assert!(
                close(*wx, *wy),
                "{what}: weight of {} on issue {i}: {wx} vs {wy}",
                x.id
            );
        }
        for (px, py) in x.positions.iter().zip(&y.positions) {
            for (vx, vy) in px.values.iter().zip(&py.values) {
                assert!(close(*vx, *vy), "{what}: value of {}: {vx} vs {vy}", x.id);
            }
        }
    }
}

fn genius_scenario(f: &GeniusFolder) -> Scenario {
    to_scenario(f, DEFAULT_LIMIT, DEFAULT_REAL_STEPS).unwrap().0
}

/// One GENIUS folder through GENIUS XML, zopa TOML and JSON, and GeniusWeb.
fn round_trip(dir: &std::path::Path) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let s1 = genius_scenario(&read_folder(dir).unwrap_or_else(|e| panic!("{name}: {e}")));

    // GENIUS XML.
    let (g, _) = to_genius(&s1);
    let out = common::tempdir(&format!("rt-genius-{name}"));
    write_genius_folder(&g, &out).unwrap();
    let s2 = genius_scenario(&read_folder(&out).unwrap_or_else(|e| panic!("{name}: {e}")));
    assert_same_preferences(&s1, &s2, &format!("{name} via GENIUS"), true);

    // zopa TOML and JSON.
    for (text, syntax) in [
        (s1.to_doc().to_toml_string().unwrap(), Syntax::Toml),
        (s1.to_doc().to_json_string().unwrap(), Syntax::Json),
    ] {
        let s3 = load_str(&text, syntax, &name, &MapLoader::default())
            .unwrap_or_else(|d| panic!("{name}: {d}"))
            .scenario;
        assert_eq!(s3, s1, "{name} via zopa {syntax:?}");
    }

    // GeniusWeb JSON: preferences exact; the reservation becomes the
    // lowest-utility bid at or above it.
    let (set, _) = to_geniusweb(&s1, DEFAULT_LIMIT);
    let out = common::tempdir(&format!("rt-gw-{name}"));
    write_geniusweb_folder(&set, &out).unwrap();
    let back = geniusweb::read_folder(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (s4, _) = geniusweb_to_scenario(&back, zopa_model::DEFAULT_LIMIT).unwrap();
    assert_same_preferences(&s1, &s4, &format!("{name} via GeniusWeb"), false);
    for (x, y) in s1.actors().iter().zip(s4.actors()) {
        assert!(
            y.reservation >= x.reservation - 1e-12,
            "{name}: reservation bid below the reservation"
        );
    }
}

#[test]
fn the_example_genius_domains_round_trip() {
    for d in ["supplier-contract", "harbour-expansion"] {
        round_trip(&common::example(&format!("genius/{d}")));
    }
}

#[test]
fn every_genius_corpus_domain_round_trips() {
    let Some(corpus) = zopa_testkit::external(
        "corpus/genius",
        "the GENIUS round trip (XML, TOML, JSON, GeniusWeb) of the 47 ANAC domains",
    ) else {
        return;
    };
    let domains = zopa_testkit::folders(&corpus);
    assert!(domains.len() >= 47);
    for dir in &domains {
        round_trip(dir);
    }
    zopa_testkit::say(&format!(
        "{} ANAC domains round-trip through GENIUS XML, zopa TOML/JSON and GeniusWeb",
        domains.len()
    ));
}

/// Random scenarios in GENIUS normal form: every party's best value on every
/// issue is 1 (GENIUS divides evaluations by the issue maximum).
fn arb_normal_form() -> impl Strategy<Value = Scenario> {
    (2usize..=4, prop::collection::vec(1usize..=5, 1..=4)).prop_flat_map(|(m, radices)| {
        let n_opts: usize = radices.iter().sum();
        (
            Just(m),
            Just(radices.clone()),
            prop::collection::vec(1u32..=1000, m * radices.len()),
            prop::collection::vec(0u32..=1000, m * n_opts),
            prop::collection::vec(0u32..=100, m),
        )
            .prop_map(|(m, radices, sal, vals, res)| {
                let k = radices.len();
                let mut t = Tables {
                    radices: radices.clone(),
                    note: "property test".into(),
                    ..Tables::default()
                };
                let mut vi = 0;
                for a in 0..m {
                    let s: Vec<f64> = (0..k).map(|i| sal[a * k + i] as f64).collect();
                    let total: f64 = s.iter().sum();
                    t.saliences.push(s.iter().map(|x| x / total).collect());
                    let mut values = vec![];
                    for &r in &radices {
                        let mut v: Vec<f64> =
                            (0..r).map(|o| vals[vi + o] as f64 / 1000.0).collect();
                        vi += r;
                        let max = v.iter().copied().fold(0.0, f64::max);
                        if max > 0.0 {
                            v.iter_mut().for_each(|x| *x /= max);
                        }
                        values.push(v);
                    }
                    t.values.push(values);
                    t.reservations.push(res[a] as f64 / 100.0);
                }
                t.build().unwrap()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn genius_xml_round_trips(s in arb_normal_form()) {
        let (g, _) = to_genius(&s);
        let domain = read_domain_str(&genius_domain_xml(&g.domain), "domain.xml").unwrap();
        let profiles = g
            .profiles
            .iter()
            .map(|p| {
                let mut q = read_profile_str(&genius_profile_xml(&g.domain, p), &p.file, &domain).unwrap();
                q.file = p.file.clone();
                q
            })
            .collect();
        let back = genius_scenario(&GeniusFolder { dir: "generated".into(), domain, profiles });
        assert_same_preferences(&s, &back, "property", true);
    }
}
