//! The journal's worked example (docs/events.md, "Worked example (test vector)"): a header and
//! three records the library writes, kept byte for byte in `tests/data/journal-vector.jsonl`, so
//! that a third party can check its own reader and its own SM3 chain against known bytes.
//!
//! The vector breaks when the library's bytes change (field order, escaping, the rules' defaults,
//! the seal), and the docs break with it: that is its purpose. After a deliberate change to the
//! format, regenerate the file with
//!
//! ```text
//! CZ_WRITE_VECTOR=1 cargo test --test journal_vector
//! ```
//!
//! then copy the file and its hashes into docs/events.md, which the last test compares.

use std::path::PathBuf;
use std::sync::OnceLock;

use chuangzheng::ledger::{Campaign, CampaignInfo, Command};
use chuangzheng::model::{ExtId, Name};
use chuangzheng::rules::RuleSet;
use sm3::{Digest, Sm3};

/// The commands, as a host sends them. The third one's goal, `"12.50"`, is written `"12.5"` in
/// its record: the journal holds the library's serialization of the command, not the host's
/// bytes.
const COMMANDS: [&str; 3] = [
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"示例市委","kind":"city_committee"}}}"#,
    r#"{"at":"2010-05-04T09:30:00","actor":{"org":"city"},"event":{"create_org":{"id":"t-01","name":"前阳镇党委","kind":"township_committee","parent":"city"}}}"#,
    r#"{"at":"2010-05-10","actor":{"org":"t-01"},"event":{"draft_pledge":{"id":"p-1","owner":{"org":"t-01"},"kind":"practical_matter","focus":"masses_wishes","content":{"title":"修通村组公路","text":"年内新修、改造村组公路12.5公里。\n资金由市、镇/村共筹，\"一事一议\"。","deadline":"2010-12-31","targets":[{"metric":"公路新建改造里程","unit":"km","goal":"12.50"}]}}}}"#,
];

/// The heading of the worked example in docs/events.md.
const HEADING: &str = "### Worked example (test vector)";

/// The hash field; a line ends with it, 64 lowercase hex digits, `"}` and a newline.
const HASH_FIELD: &str = ",\"h\":\"";

fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The kept vector; with `CZ_WRITE_VECTOR=1`, first written anew from [`written`] (once, for
/// every test of the run).
fn vector() -> &'static str {
    static VECTOR: OnceLock<String> = OnceLock::new();
    kept(&VECTOR, "tests/data/journal-vector.jsonl", written)
}

/// The file `relative` as kept, read once into `cell`; with `CZ_WRITE_VECTOR=1`, first written
/// anew from `write`.
fn kept(cell: &'static OnceLock<String>, relative: &str, write: fn() -> String) -> &'static str {
    cell.get_or_init(|| {
        let p = path(relative);
        if std::env::var_os("CZ_WRITE_VECTOR").is_some_and(|v| v == "1") {
            let text = write();
            std::fs::write(&p, &text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            return text;
        }
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    })
}

/// The journal the library writes for [`COMMANDS`]: its header line and each record's line.
fn written() -> String {
    let info = CampaignInfo {
        id: ExtId::new("id", "vector").unwrap(),
        name: Name::new("name", "示例市创先争优活动").unwrap(),
    };
    let mut campaign = Campaign::in_memory(info, RuleSet::default()).unwrap();
    let mut out = campaign.header_line();
    for (i, json) in COMMANDS.iter().enumerate() {
        let cmd = Command::from_json(json).unwrap();
        let receipt = campaign
            .execute(&cmd)
            .unwrap_or_else(|e| panic!("command {}: {e}", i + 1));
        assert_eq!(receipt.seq, i as u64 + 1);
        out.push_str(&receipt.line);
    }
    out
}

#[test]
fn the_library_writes_the_vector_byte_for_byte() {
    let written = written();
    let kept = vector();
    for (n, (w, k)) in written.lines().zip(kept.lines()).enumerate() {
        assert_eq!(w, k, "line {} differs", n + 1);
    }
    assert_eq!(
        written, kept,
        "the journal differs from tests/data/journal-vector.jsonl; after a deliberate change \
         to the format, regenerate it with CZ_WRITE_VECTOR=1 and update docs/events.md"
    );
}

/// Each line's `h`, recomputed from the file's bytes by the rule docs/events.md gives, with
/// nothing of the library but its output: SM3 of the previous hash's 32 raw bytes (32 zero
/// bytes before the header) and the line's bytes up to, not including, its last `,"h":"`.
fn chain(text: &str) -> Result<Vec<String>, String> {
    let mut prev = [0u8; 32];
    let mut hashes = Vec::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let n = n + 1;
        let line = line
            .strip_suffix('\n')
            .ok_or(format!("line {n} does not end with a newline"))?;
        let at = line
            .rfind(HASH_FIELD)
            .ok_or(format!("line {n} has no hash field"))?;
        let (body, seal) = line.split_at(at);
        let written = seal
            .strip_prefix(HASH_FIELD)
            .and_then(|s| s.strip_suffix("\"}"))
            .ok_or(format!("line {n} does not end with its hash field"))?;
        let mut sm3 = Sm3::new();
        sm3.update(prev);
        sm3.update(body.as_bytes());
        prev = sm3.finalize().into();
        let hex: String = prev.iter().map(|b| format!("{b:02x}")).collect();
        if written != hex {
            return Err(format!("line {n}: {written} written, {hex} computed"));
        }
        hashes.push(hex);
    }
    Ok(hashes)
}

#[test]
fn every_hash_follows_the_documented_rule() {
    let text = vector();
    let hashes = chain(text).unwrap();
    assert_eq!(hashes.len(), 4, "a header and three records");
    // The check can fail: one character changed in the second record breaks its line's hash.
    let altered = text.replacen("前阳镇", "前杨镇", 1);
    assert_ne!(altered, text);
    assert_eq!(
        chain(&altered).unwrap_err().split(':').next(),
        Some("line 3")
    );
}

/// serde_json's escaping, which the journal's strings get (docs/events.md, "Canonical
/// serialization"): `"` and `\` and the controls U+0000–U+001F are escaped, the common controls
/// by their short forms and the rest as `\u00XX` in lowercase hex; nothing else is, not `/`,
/// not U+007F, not non-ASCII text.
#[test]
fn strings_are_escaped_as_documented() {
    for c in (0u8..=0x7f)
        .map(char::from)
        .chain(['é', '党', '\u{2028}', '😀'])
    {
        let expected = match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            '\u{8}' => "\\b".to_string(),
            '\t' => "\\t".to_string(),
            '\n' => "\\n".to_string(),
            '\u{c}' => "\\f".to_string(),
            '\r' => "\\r".to_string(),
            c if (c as u32) < 0x20 => format!("\\u{:04x}", c as u32),
            c => c.to_string(),
        };
        let json = serde_json::to_string(&c.to_string()).unwrap();
        assert_eq!(json, format!("\"{expected}\""), "U+{:04X}", c as u32);
    }
    // And in the vector: the pledge's line break, its quotes, its slash, its Chinese text.
    let text = vector();
    let record = text.lines().nth(3).unwrap();
    assert!(record.contains(r#"公里。\n资金由市、镇/村共筹，\"一事一议\"。"#));
    assert!(!text.contains("\\u") && !text.contains("\\/"));
    assert!(text.bytes().all(|b| b >= 0x20 || b == b'\n'));
}

/// The section of docs/events.md under [`HEADING`], up to the next heading of its level or above.
fn doc_section() -> String {
    let p = path("docs/events.md");
    let doc = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let start = doc
        .find(&format!("\n{HEADING}\n"))
        .unwrap_or_else(|| panic!("docs/events.md has no heading {HEADING:?}"));
    let rest = &doc[start + 1 + HEADING.len()..];
    let end = ["\n### ", "\n## "]
        .iter()
        .filter_map(|h| rest.find(h))
        .min()
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn the_docs_show_the_vector_its_commands_and_its_hashes() {
    let section = doc_section();
    let block = section
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("\n```\n"))
        .map(|(block, _)| format!("{block}\n"))
        .expect("a ```text block under the heading");
    assert_eq!(
        block,
        vector(),
        "the worked example in docs/events.md shows tests/data/journal-vector.jsonl exactly"
    );
    for json in COMMANDS {
        assert!(section.contains(json), "the docs show the command {json}");
    }
    // Each line's hash and length in the table, the hash again in the file above it.
    let lines: Vec<&str> = vector().split_inclusive('\n').collect();
    for (n, h) in chain(vector()).unwrap().iter().enumerate() {
        let row = section
            .lines()
            .find(|l| l.starts_with('|') && l.contains(h.as_str()))
            .unwrap_or_else(|| panic!("line {}'s hash {h} has its row in the table", n + 1));
        let len = lines[n].len();
        assert!(row.contains(&format!("| {len} |")), "{row}: {len} bytes");
        assert!(section.matches(h.as_str()).count() >= 2, "{h}");
    }
    // The step by step: the header's hash as raw bytes, then record 1's bytes before its seal.
    let header = lines[0];
    let raw = &header[header.rfind(HASH_FIELD).unwrap() + HASH_FIELD.len()..][..64];
    let spaced: Vec<&str> = (0..32).map(|i| &raw[2 * i..2 * i + 2]).collect();
    assert!(
        section.contains(&spaced.join(" ")),
        "the header's hash as 32 bytes"
    );
    let body = &lines[1][..lines[1].rfind(HASH_FIELD).unwrap()];
    assert!(
        section.contains(&format!("\n   {body}\n")),
        "record 1's hashed bytes"
    );
    for count in [body.len(), body.len() + 32] {
        assert!(section.contains(&format!("{count} bytes")), "{count} bytes");
    }
}

/// The heading of the checkpoints' worked example in docs/events.md.
const CHECKPOINT_HEADING: &str = "### Checkpoint records";

/// The HMAC-SM3 key of the checkpoint vector: the 32 bytes 00, 01, …, 1f.
fn vector_hmac_key() -> Vec<u8> {
    (0u8..32).collect()
}

/// The journal vector, then a checkpoint signed with the HMAC key above (`vector-hmac`) and one
/// signed with the SM2 test key `tests/data/keys/sm2-test-a.pem` (`vector-sm2`), as the library
/// writes them: SM2 signing is deterministic here (RFC 6979 nonces), so the bytes are fixed.
fn checkpoints_written() -> String {
    use chuangzheng::ledger::SigningKey;
    let (mut campaign, _) = Campaign::replay(vector().as_bytes()).unwrap();
    let hmac = SigningKey::hmac_sm3(&vector_hmac_key(), "vector-hmac").unwrap();
    let pem = std::fs::read(path("tests/data/keys/sm2-test-a.pem")).unwrap();
    let sm2 = SigningKey::sm2_pkcs8(&pem, "vector-sm2").unwrap();
    let mut out = vector().to_string();
    out.push_str(&campaign.checkpoint(&hmac).unwrap().line);
    out.push_str(&campaign.checkpoint(&sm2).unwrap().line);
    out
}

fn checkpoint_vector() -> &'static str {
    static VECTOR: OnceLock<String> = OnceLock::new();
    kept(
        &VECTOR,
        "tests/data/checkpoint-vector.jsonl",
        checkpoints_written,
    )
}

/// The checkpoint vector: written byte for byte as kept, its chain by the documented rule, its
/// signatures recomputed from the lines alone (HMAC-SM3 with the `hmac` crate, SM2 with the
/// `sm2` crate and the identifier 1234567812345678, over the line up to `,"sig":"`), and the
/// docs showing the two lines, the HMAC's signed bytes and its value.
#[test]
fn the_checkpoint_vector_is_written_signed_and_shown_as_documented() {
    use hmac::{Hmac, KeyInit, Mac};
    use sm2::dsa::signature::Verifier;
    use sm2::pkcs8::DecodePublicKey;

    let kept = checkpoint_vector();
    assert_eq!(
        checkpoints_written(),
        kept,
        "regenerate with CZ_WRITE_VECTOR=1"
    );
    assert!(kept.starts_with(vector()));
    assert_eq!(chain(kept).unwrap().len(), 6);
    let lines: Vec<&str> = kept.lines().collect();
    let (hmac_line, sm2_line) = (lines[4], lines[5]);
    let signed = |line: &'static str| -> (&'static str, Vec<u8>) {
        let cut = line.rfind(",\"sig\":\"").unwrap();
        let rest = &line[cut + 8..];
        let hex = &rest[..rest.find('"').unwrap()];
        let sig = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        (&line[..cut], sig)
    };
    let (hmac_signed, hmac_sig) = signed(hmac_line);
    let mut mac = <Hmac<sm3::Sm3> as KeyInit>::new_from_slice(&vector_hmac_key()).unwrap();
    mac.update(hmac_signed.as_bytes());
    assert!(mac.verify_slice(&hmac_sig).is_ok());
    let (sm2_signed, sm2_sig) = signed(sm2_line);
    let pem = std::fs::read_to_string(path("tests/data/keys/sm2-test-a.pub.pem")).unwrap();
    let public = sm2::PublicKey::from_public_key_pem(&pem).unwrap();
    let key = sm2::dsa::VerifyingKey::new("1234567812345678", public).unwrap();
    let sig = sm2::dsa::Signature::from_slice(&sm2_sig).unwrap();
    assert!(key.verify(sm2_signed.as_bytes(), &sig).is_ok());

    let p = path("docs/events.md");
    let doc = std::fs::read_to_string(&p).unwrap();
    let start = doc
        .find(&format!("\n{CHECKPOINT_HEADING}\n"))
        .expect("the heading");
    let section = &doc[start..];
    let section = &section[..section[1..].find("\n### ").map_or(section.len(), |e| e + 1)];
    for shown in [hmac_line, sm2_line, hmac_signed] {
        assert!(
            section.contains(&format!("\n{shown}\n")),
            "the docs show {shown}"
        );
    }
    let mac_hex: String = hmac_sig.iter().map(|b| format!("{b:02x}")).collect();
    assert!(section.contains(&mac_hex));
}
