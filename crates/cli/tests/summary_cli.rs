//! The summary's words where the default scenario's agreement space is
//! emptied by one more assumed red line (Kyiv needs an armed Western force:
//! it rejects "no foreign forces" and "unarmed monitors").

mod common;

use common::{repo, tmp, zopa};

fn words(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn an_emptied_space_says_who_must_be_brought_around() {
    let dir = tmp("summary-empty");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    for entry in std::fs::read_dir(repo("scenarios/sources")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.join("sources").join(p.file_name().unwrap())).unwrap();
    }
    let mut text = std::fs::read_to_string(repo("scenarios/security-guarantees.toml")).unwrap();
    // The scenario's interpretation adds these very red lines: it goes.
    let cut = text
        .find("\n[[interpretations]]")
        .expect("an interpretation");
    text.truncate(cut);
    let note = "note = \"Kyiv is assumed to want partners' forces on its soil; the article does not say so.\"\n";
    assert!(text.contains(note));
    let edited = text.replacen(
        note,
        &format!("{note}red_lines = [\"none\", \"monitors\"]\n"),
        1,
    );
    let file = dir.join("sg.toml");
    std::fs::write(&file, edited).unwrap();
    let o = zopa(&["analyze", file.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let w = words(&o.stdout);
    assert!(
        w.contains("No package is acceptable to all 4 parties"),
        "{w}"
    );
    assert!(
        w.contains(
            "a package would pass if russia accepted what it now refuses, or if ukraine did"
        ),
        "{w}"
    );
    // The shared combination opens nothing once the space is empty for
    // other reasons: no "grows the ZOPA from 0 to 0".
    assert!(
        w.contains("dropping all of them opens nothing either"),
        "{w}"
    );
    assert!(!w.contains("from 0 to 0"), "{w}");
}
