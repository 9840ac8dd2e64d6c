//! Analyses beyond enumeration (issue 15): 2 and 3 actors × 10^12 packages
//! with red lines and reservations (exact counts by meet in the middle), and
//! 5 actors × 10^7 anti-correlated packages (a frontier of ~2·10^5, the k-d
//! skyline). `cargo bench -p zopa-analysis --bench scale`; results in
//! docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use zopa_analysis::{analyze, Options};
use zopa_model::*;

/// SplitMix64: the same scenarios on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `m` actors, `issues` issues of 10 options; values uniform (or, when
/// `anti`, each option's values across the actors summing to one); each
/// actor rejects each option with probability `red` (never all of an
/// issue's); reservation `res` for everyone.
fn synthetic(m: usize, issues: usize, anti: bool, red: f64, res: f64, seed: u64) -> Scenario {
    let mut rng = Rng(seed);
    let mut t = Tables {
        radices: vec![10; issues],
        reservations: vec![res; m],
        note: "synthetic benchmark".into(),
        ..Tables::default()
    };
    let mut values = vec![vec![]; m];
    for _ in 0..issues {
        let per_option: Vec<Vec<f64>> = (0..10)
            .map(|_| {
                let raw: Vec<f64> = (0..m).map(|_| rng.next()).collect();
                let total: f64 = raw.iter().sum();
                raw.iter()
                    .map(|x| if anti { x / total } else { *x })
                    .collect()
            })
            .collect();
        for (a, v) in values.iter_mut().enumerate() {
            v.push(per_option.iter().map(|o| o[a]).collect::<Vec<f64>>());
        }
    }
    t.values = values;
    for _ in 0..m {
        t.saliences
            .push((0..issues).map(|_| 0.1 + rng.next()).collect());
        let mut reds = vec![];
        for i in 0..issues {
            let rejected: Vec<usize> = (0..10).filter(|_| rng.next() < red).collect();
            reds.extend(rejected.into_iter().take(9).map(|o| (i, o)));
        }
        t.red_lines.push(reds);
    }
    t.build().expect("valid synthetic scenario")
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
