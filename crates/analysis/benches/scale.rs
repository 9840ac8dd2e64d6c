//! Analyses beyond enumeration (issue 15): 2 and 3 actors × 10^12 packages
//! with red lines and reservations (exact counts by meet in the middle), and
//! 5 actors × 10^7 anti-correlated packages (a frontier of ~2·10^5, the k-d
//! skyline). Decision rules at 10^12: 2 actors where either one suffices,
//! 3 where a majority does (inclusion–exclusion over the coalitions),
//! counts, frontiers and solutions without the red-line studies, beside the
//! same scenarios under unanimity. `cargo bench -p zopa-analysis --bench
//! scale`; results in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use zopa_analysis::{analyze, Options};
use zopa_model::*;

/// `s` with `[decision] at_least = k`.
fn with_rule(s: &Scenario, k: usize) -> Scenario {
    s.with_decision(k, &[], None, Basis::assumption("benchmark rule"))
        .expect("valid rule")
}

/// `m` actors, `issues` issues of 10 options; values uniform (or, when
/// `anti`, each option's values across the actors summing to one); each
/// actor rejects each option with probability `red`; reservation `res`.
fn synthetic(m: usize, issues: usize, anti: bool, red: f64, res: f64, seed: u64) -> Scenario {
    Tables::synthetic(&Synthetic {
        actors: m,
        radices: vec![10; issues],
        anti_correlated: anti,
        red_line_rate: red,
        reservation: res,
        grid: None,
        seed,
    })
    .build()
    .expect("valid synthetic scenario")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("scale");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    let cases = [
        (
            "2_actors_red_lines",
            synthetic(2, 12, false, 0.03, 0.5, 1),
            "1e12",
        ),
        (
            "3_actors_red_lines",
            synthetic(3, 12, false, 0.03, 0.45, 1),
            "1e12",
        ),
        (
            "5_actors_anti_correlated",
            synthetic(5, 7, true, 0.0, 0.0, 1),
            "1e7",
        ),
    ];
    for (name, s, size) in &cases {
        let a = analyze(s, &Options::default()).expect("analysable");
        eprintln!(
            "{name}: {} red lines, agreement {} of {}, frontier {}",
            s.red_lines().len(),
            a.agreement_size,
            a.space_size,
            a.agreement_frontier.len()
        );
        g.bench_with_input(BenchmarkId::new(*name, size), s, |b, s| {
            b.iter(|| analyze(s, &Options::default()).unwrap())
        });
    }
    // Counting under a rule against unanimity: no red-line studies (each
    // recounts under the rule), the counts, frontiers and solutions only.
    let counts = Options {
        studies: false,
        ..Options::default()
    };
    let two = synthetic(2, 12, false, 0.03, 0.5, 1);
    let three = synthetic(3, 12, false, 0.03, 0.45, 1);
    let rules = [
        ("2_actors_unanimity_counts", two.clone()),
        ("2_actors_either_counts", with_rule(&two, 1)),
        ("3_actors_unanimity_counts", three.clone()),
        ("3_actors_majority_counts", with_rule(&three, 2)),
    ];
    for (name, s) in &rules {
        let a = analyze(s, &counts).expect("analysable");
        eprintln!(
            "{name}: passing {} of {} (unanimous {}), frontier {}",
            a.agreement_size,
            a.space_size,
            a.unanimous_size,
            a.agreement_frontier.len()
        );
        g.bench_with_input(BenchmarkId::new(*name, "1e12"), s, |b, s| {
            b.iter(|| analyze(s, &counts).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
