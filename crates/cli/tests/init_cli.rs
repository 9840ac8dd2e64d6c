//! `zopa init`: a new scenario that validates without warnings and that
//! `zopa analyze` runs on, written without overwriting anything.

mod common;

use common::{tmp, zopa};

#[test]
fn init_writes_a_scenario_that_validates_and_never_overwrites() {
    let dir = tmp("init").join("lease");
    let d = dir.display().to_string();
    let o = zopa(&["init", &d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let scenario = dir.join("scenario.toml").display().to_string();
    let v = zopa(&["validate", &scenario]);
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(
        v.status.success() && text.contains("0 warning(s)"),
        "{text}"
    );
    assert!(zopa(&["analyze", &scenario]).status.success());
    // A second init refuses and leaves the edited file alone.
    std::fs::write(&scenario, "# mine\n").unwrap();
    let again = zopa(&["init", &d]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), "# mine\n");
    // --force writes it again; --json says what was written.
    let o = zopa(&["init", &d, "--force", "--json"]);
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["schema"], "zopa.init/1");
    assert_eq!(doc["files"].as_array().unwrap().len(), 2);
    assert!(zopa(&["validate", &scenario]).status.success());
}
