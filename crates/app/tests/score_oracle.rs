//! `score` against a brute force over every package, with its own
//! acceptability, dominance and Nash product (utilities come from the
//! model's `UtilityModel`, which `score` is not).

use zopa_app::input::{load, resolve};
use zopa_model::{OutcomeSpace, Scenario, UtilityModel};

/// Margin for comparing utilities (the analysis compares on a 1e-9 grid).
const EPS: f64 = 1e-9;

fn packages(s: &Scenario) -> Vec<(Vec<usize>, Vec<f64>)> {
    let space = OutcomeSpace::numbered(&s.radices()).unwrap();
    let model = UtilityModel::new(s);
    (0..space.size())
        .map(|i| {
            let o = space.options_of(i);
            let u = model.utilities_of(&o);
            (o, u)
        })
        .collect()
}

fn accepts(s: &Scenario, k: usize, o: &[usize], u: f64) -> bool {
    let a = &s.actors()[k];
    o.iter()
        .enumerate()
        .all(|(i, &x)| !a.positions[i].rejects(x))
        && a.combinations.iter().all(|c| !c.hit(o))
        && u >= a.reservation - EPS
}

fn dominated(u: &[f64], among: &[&Vec<f64>]) -> bool {
    among.iter().any(|v| {
        v.iter().zip(u).all(|(x, y)| *x >= *y - EPS) && v.iter().zip(u).any(|(x, y)| *x > *y + EPS)
    })
}

fn check(source: &str) {
    let loaded = load(&resolve(Some(source), None).unwrap(), 1_000_000).unwrap();
    let s = &loaded.scenario;
    let all = packages(s);
    let n = s.actors().len();
    let passing: Vec<&(Vec<usize>, Vec<f64>)> = all
        .iter()
        .filter(|(o, u)| (0..n).all(|k| accepts(s, k, o, u[k])))
        .collect();
    let every: Vec<&Vec<f64>> = all.iter().map(|(_, u)| u).collect();
    let agreeable: Vec<&Vec<f64>> = passing.iter().map(|(_, u)| u).collect();
    // The Nash products of the agreement space, and its best.
    let product = |u: &[f64]| -> f64 { (0..n).map(|k| u[k] - s.actors()[k].reservation).product() };
    let best = agreeable
        .iter()
        .map(|u| product(u))
        .fold(f64::NEG_INFINITY, f64::max);
    for (o, u) in &all {
        let deal: Vec<String> = o
            .iter()
            .enumerate()
            .map(|(i, &x)| s.issues()[i].options[x].id.clone())
            .collect();
        let doc = zopa_app::score::score(
            s,
            &deal.join(","),
            1_000_000,
            1_000_000,
            &Default::default(),
        )
        .unwrap();
        for (k, (party, &uk)) in doc.parties.iter().zip(u.iter()).enumerate() {
            assert_eq!(party.utility, uk);
            assert_eq!(party.accepts, accepts(s, k, o, uk), "{deal:?} {k}");
            assert_eq!(party.refuses_because.is_empty(), party.accepts);
        }
        let passes = (0..n).all(|k| accepts(s, k, o, u[k]));
        assert_eq!(doc.passes, passes, "{deal:?}");
        assert_eq!(doc.pareto_optimal, !dominated(u, &every), "{deal:?}");
        assert_eq!(
            doc.pareto_optimal_among_agreements,
            passes.then(|| !dominated(u, &agreeable)),
            "{deal:?}"
        );
        match &doc.nash {
            None => assert!(passing.is_empty()),
            Some(nash) => {
                assert!((product(&nash.utilities) - best).abs() <= 1e-12, "{deal:?}");
                let d: f64 = u
                    .iter()
                    .zip(&nash.utilities)
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
                    .sqrt();
                assert!((nash.distance - d).abs() <= 1e-12);
            }
        }
    }
}

/// Every package of the default scenario (432, with red lines, a
/// combination rejected together and interactions).
#[test]
fn every_package_of_the_default_scenario() {
    check("security-guarantees");
}

/// Every package of the harbour fixture (3 parties, ties on purpose).
#[test]
fn every_package_of_the_harbour_fixture() {
    check(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/genius/harbour-expansion"
    ));
}

/// Deals are named by option ids in issue order or by issue=option pairs,
/// both the same package; a wrong one says what is expected.
#[test]
fn deals_are_read_both_ways_and_refused_clearly() {
    let loaded = load(
        &resolve(Some("security-guarantees"), None).unwrap(),
        1_000_000,
    )
    .unwrap();
    let s = &loaded.scenario;
    let score = |d: &str| zopa_app::score::score(s, d, 1_000_000, 1_000_000, &Default::default());
    let a = score("monitors,arms_aid,backstop,guarantor,europe_led").unwrap();
    let b = score("burden=europe_led, presence=monitors,guarantee=arms_aid,us_role=backstop,russia_role=guarantor").unwrap();
    assert_eq!(a, b);
    for (bad, says) in [
        ("monitors,arms_aid", "has 5 issues"),
        ("monitors,arms_aid,backstop,guarantor,nobody", "no option `nobody` (its options:"),
        ("presence=monitors,presence=none,guarantee=arms_aid,us_role=backstop,russia_role=guarantor", "given twice"),
        ("presence=monitors", "no option for issue(s) guarantee, us_role, russia_role, burden"),
        ("colour=red", "no issue `colour`"),
    ] {
        let e = score(bad).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
    }
}
