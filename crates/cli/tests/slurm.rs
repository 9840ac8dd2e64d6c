//! A sharded tournament on a real Slurm cluster (Debian's slurm-wlm, started
//! on this machine by `.ci/slurm-up`): the script `zopa tournament --slurm`
//! prints, submitted with `sbatch`, runs one array task per shard; a merge
//! names a shard that is missing, its resubmission (`sbatch --array=K`)
//! completes the set, and the merged rows equal an unsharded run's.
//!
//! Without a cluster (`sinfo` absent or failing) the test says it skipped,
//! unless `ZOPA_REQUIRE_SLURM=1` (`.ci/run` sets it), when it fails.

mod common;

use std::process::Command;

use common::{repo, results_rows, tmp, zopa};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn cluster_up() -> bool {
    Command::new("sinfo")
        .args(["-h", "-o", "%t"])
        .output()
        .is_ok_and(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| ["idle", "mix", "alloc"].contains(&l.trim()))
        })
}

fn sbatch(args: &[&str]) {
    let o = Command::new("sbatch")
        .args(args)
        .output()
        .expect("run sbatch");
    assert!(
        o.status.success(),
        "sbatch {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_job_array_runs_the_shards_and_merges_to_the_unsharded_rows() {
    if !cluster_up() {
        assert!(
            std::env::var("ZOPA_REQUIRE_SLURM").is_err(),
            "ZOPA_REQUIRE_SLURM is set but no Slurm node is up (run .ci/slurm-up)"
        );
        zopa_testkit::say(
            "SKIPPED the Slurm job-array test: no Slurm cluster here (.ci/slurm-up starts one)",
        );
        return;
    }
    let dir = tmp("slurm");
    std::fs::create_dir_all(&dir).unwrap();
    let ex = repo("examples");
    let config = dir.join("t.toml");
    std::fs::write(
        &config,
        format!(
            "name = \"slurm test\"\nseed = 3\nrepetitions = 2\ndeadline = 80\ndomains = [{:?}, {:?}]\nstrategies = [\"boulware\", \"conceder\", \"micro\"]\n",
            ex.join("genius/harbour-expansion").display().to_string(),
            ex.join("supplier-contract.toml").display().to_string()
        ),
    )
    .unwrap();
    let (config, whole) = (config.to_str().unwrap(), dir.join("whole.sqlite"));
    let o = zopa(&["tournament", config, "--db", whole.to_str().unwrap()]);
    assert!(o.status.success(), "{o:?}");
    // The script, submitted as printed.
    let out = dir.join("shards");
    let o = zopa(&[
        "tournament",
        config,
        "--slurm",
        "3",
        "--partition",
        "hash",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let script = dir.join("run.sbatch");
    std::fs::write(&script, stdout(&o)).unwrap();
    assert!(stdout(&o).contains("#SBATCH --array=1-3"));
    sbatch(&["--wait", script.to_str().unwrap()]);
    // A lost shard is named with the array index to resubmit...
    std::fs::remove_file(out.join("shard-2-of-3.json")).unwrap();
    std::fs::remove_file(out.join("shard-2-of-3.sqlite")).unwrap();
    let merged = dir.join("merged.sqlite");
    let o = zopa(&[
        "tournament",
        "merge",
        out.to_str().unwrap(),
        "--db",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("missing shards 2/3")
            && String::from_utf8_lossy(&o.stderr).contains("--array=2"),
        "{o:?}"
    );
    // ...and resubmitting that index completes the set.
    sbatch(&["--wait", "--array=2", script.to_str().unwrap()]);
    let o = zopa(&[
        "tournament",
        "merge",
        out.to_str().unwrap(),
        "--db",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let want = results_rows(&whole);
    assert!(want.len() >= 72, "{}", want.len());
    assert_eq!(results_rows(&merged), want);
    zopa_testkit::say(&format!(
        "Slurm: 3 array tasks (and one resubmitted) merged to the unsharded {} rows",
        want.len()
    ));
}
