//! LAMEN games: scores scaled as LAMEN scales them (payoff × normalised
//! weight × scale, truncated), mapped affinely onto utilities, both sides
//! deciding; located errors.

use std::path::{Path, PathBuf};

use zopa_interop::lamen;
use zopa_interop::InteropError;
use zopa_model::{OutcomeSpace, UtilityModel};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/lamen/office-lease.yaml")
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lamen");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The example's scores, worked out by hand from its YAML: side 1 weighs
/// the issues 2:1:1 (0.5, 0.25, 0.25 × 100), side 2 1:2:1.
#[test]
fn the_example_scores_as_lamen_scales_it() {
    let (s, warnings) = lamen::read_file(&example()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let side1 = [
        vec![0, 100, 200, 300, 400, 500],
        vec![0, 75, 125, 150],
        vec![0, 100, 200],
    ];
    let side2 = [
        vec![250, 200, 150, 100, 50, 0],
        vec![500, 350, 150, 0],
        vec![50, 150, 250],
    ];
    let ids: Vec<&str> = s.actors().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["property_manager", "start_up"]);
    assert!(s.decision().is_unanimity());
    let model = UtilityModel::new(&s);
    let space = OutcomeSpace::new(&s.radices(), 1000).unwrap();
    for idx in 0..space.size() {
        let o = space.options_of(idx);
        let u = model.utilities_of(&o);
        let total =
            |t: &[Vec<i64>; 3]| -> f64 { o.iter().enumerate().map(|(i, &x)| t[i][x] as f64).sum() };
        // lo and hi: side 1 0..850, side 2 50..1000.
        assert!((u[0] * 850.0 - total(&side1)).abs() < 1e-9, "{o:?}");
        assert!((u[1] * 950.0 + 50.0 - total(&side2)).abs() < 1e-9, "{o:?}");
    }
    assert_eq!(s.issues()[1].options[2].label, "landlord pays 1/3");
}

/// 1 × (1/3) × 100 is 33.33…: LAMEN keeps 33.
#[test]
fn scaled_payoffs_are_truncated() {
    let p = tmp(
        "thirds.yaml",
        "issues:\n  - name: a\n    payoffs: [[0, 1], [1, 0]]\n  - name: b\n    payoffs: [[0, 1], [1, 0]]\n  - name: c\n    payoffs: [[0, 3], [3, 0]]\nparties: [A, B]\n",
    );
    let (s, _) = lamen::read_file(&p).unwrap();
    // Side 1's scores: a 0/33, b 0/33, c 0/100 (3 × 1/3 × 100 = 100):
    // issue a's share of its range is 33 / 166.
    let w = &s.actors()[0].weights;
    assert!((w[0] - 33.0 / 166.0).abs() < 1e-12, "{w:?}");
    assert!((w[2] - 100.0 / 166.0).abs() < 1e-12, "{w:?}");
}

#[test]
fn errors_name_the_file_and_line() {
    let p = tmp("missing.yaml", "game:\n  issues:\n    - rent\n");
    match lamen::read_file(&p) {
        Err(InteropError::Invalid(d)) => {
            assert_eq!(d.items[0].pos.map(|x| x.line), Some(3), "{d}");
            assert!(d.items[0].message.contains("no issue file `rent`"), "{d}");
        }
        other => panic!("{other:?}"),
    }
    let p = tmp(
        "uneven.yaml",
        "issues:\n  - name: a\n    payoffs: [[0, 1, 2], [1, 0]]\n",
    );
    let e = lamen::read_file(&p).unwrap_err().to_string();
    assert!(e.contains("the sides score 3 and 2 options"), "{e}");
    let p = tmp(
        "words.yaml",
        "issues:\n  - name: a\n    payoffs: [[0, x], [1, 0]]\n",
    );
    let e = lamen::read_file(&p).unwrap_err().to_string();
    assert!(e.contains("expected a number, found `x`"), "{e}");
}
