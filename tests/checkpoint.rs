//! Keyed checkpoints (issue 18 §2): records signed with the host's SM2 or HMAC-SM3 key, and
//! what an attacker who can rewrite the journal, but holds no key, can and cannot get past.
//!
//! Each tampering here is done the way someone who read docs/events.md would do it: edit the
//! lines, then reseal the chain (and, where it helps them, fix the seq numbers, `through` and the
//! checkpoint's `h`) so that every unkeyed check passes. Only the key is out of their reach.

use std::num::NonZeroU64;
use std::path::PathBuf;

use chuangzheng::Coded;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{
    Alg, Anchors, Campaign, Command, KeyKind, OpenOptions, Signing, SigningKey, VerifyingKey,
};

fn key_file(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/keys");
    std::fs::read(path.join(name)).unwrap()
}

fn sm2(name: &str, id: &str) -> SigningKey {
    SigningKey::sm2_pkcs8(&key_file(name), id).unwrap()
}

fn sm2_public(name: &str) -> VerifyingKey {
    VerifyingKey::sm2_spki(&key_file(name)).unwrap()
}

fn hmac(byte: u8) -> SigningKey {
    SigningKey::hmac_sm3(&[byte; 32], "hmac-1").unwrap()
}

/// The first `n` of the small demo's commands: its tree, then its records.
fn commands(n: usize) -> Vec<Command> {
    static ALL: std::sync::OnceLock<Vec<Command>> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        let spec = DemoSpec::small();
        let mut cmds = demo::commands(&spec);
        let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
        c.execute_batch(&cmds).unwrap();
        cmds.extend(demo::records(c.state(), &spec));
        cmds
    });
    all[..n].to_vec()
}

/// A journal's text: `n` demo commands in one batch signed by `key`, a checkpoint every
/// `every` records and one at the end.
fn signed_journal(n: usize, key: &SigningKey, every: u64) -> (String, Campaign) {
    let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    let signing = Signing {
        key,
        every: NonZeroU64::new(every),
    };
    let receipt = c.execute_batch_signed(&commands(n), Some(signing)).unwrap();
    assert!(receipt.all_accepted());
    (c.header_line() + &receipt.lines, c)
}

fn verify(text: &str, keys: &[VerifyingKey]) -> chuangzheng::ledger::Verification {
    Campaign::verify_signed(text.as_bytes(), &Anchors::default(), keys)
        .unwrap()
        .1
}

fn codes(v: &chuangzheng::ledger::Verification) -> Vec<u32> {
    v.problems().iter().map(Coded::code).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// What an attacker may fix while resealing.
#[derive(Clone, Copy, Default)]
struct Fix {
    /// Number the records 1, 2, … again.
    seq: bool,
    /// Point each checkpoint's `through` and `h` at the record before it.
    checkpoints: bool,
}

/// The lines of `text` resealed from the header on as docs/events.md describes (SM3 of the
/// previous hash's 32 bytes and the line up to its last `,"h":"`), fixing what `fix` says.
fn reseal(lines: &[String], fix: Fix) -> String {
    use sm3::{Digest, Sm3};
    let mut prev = [0u8; 32];
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let at = line.rfind(",\"h\":\"").unwrap();
        let mut body = line[..at].to_string();
        if i > 0 && fix.seq {
            let end = body.find(",\"at\"").unwrap();
            body = format!("{{\"seq\":{i}{}", &body[end..]);
        }
        if i > 0 && fix.checkpoints && body.contains("\"checkpoint\":") {
            let start = body.find("\"through\":").unwrap();
            let end = body.find(",\"alg\"").unwrap();
            let place = format!("\"through\":{},\"h\":\"{}\"", i - 1, hex(&prev));
            body.replace_range(start..end, &place);
        }
        let mut h = Sm3::new();
        h.update(prev);
        h.update(body.as_bytes());
        prev = h.finalize().into();
        out.push_str(&format!("{body},\"h\":\"{}\"}}\n", hex(&prev)));
    }
    out
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// Index (line number − 1) of the checkpoint lines.
fn checkpoint_lines(text: &str) -> Vec<usize> {
    let is_cp = |l: &&str| l.contains("\"checkpoint\":");
    text.lines()
        .enumerate()
        .filter(|(_, l)| is_cp(l))
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn a_signed_journal_verifies_under_its_key_and_replays_to_the_same_state() {
    let key = sm2("sm2-test-a.pem", "ops-a");
    let (text, signed) = signed_journal(450, &key, 100);
    // After records 1–100, 102–201, …, and at the end.
    assert_eq!(
        signed
            .checkpoints()
            .iter()
            .map(|c| c.seq)
            .collect::<Vec<_>>(),
        [101, 202, 303, 404, 455]
    );
    let v = verify(&text, &[sm2_public("sm2-test-a.pub.pem")]);
    assert!(v.is_whole(), "{:?}", v.problems());
    let s = v.signatures.as_ref().unwrap();
    assert_eq!((s.verified, s.unchecked, s.last_signed), (5, 0, Some(455)));
    assert_eq!(v.checkpoints, 5);
    // The DER forms are the same key.
    let der = VerifyingKey::sm2_spki(&key_file("sm2-test-a.pub.der")).unwrap();
    assert!(verify(&text, &[der]).is_whole());
    let from_der = SigningKey::sm2_pkcs8(&key_file("sm2-test-a.der"), "ops-a").unwrap();
    let (text_der, _) = signed_journal(450, &from_der, 100);
    assert_eq!(
        text_der, text,
        "SM2 signing is deterministic (RFC 6979 nonces)"
    );

    // The checkpoints change nothing but the records' numbering.
    let mut plain = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    plain.execute_batch(&commands(450)).unwrap();
    let (replayed, _) = Campaign::replay(text.as_bytes()).unwrap();
    assert_eq!(replayed.state_json(), plain.state_json());
    assert_eq!(replayed.checkpoints(), signed.checkpoints());
    assert_eq!(
        (replayed.seq(), replayed.last_hash()),
        (signed.seq(), signed.last_hash())
    );
}

/// The signed bytes and the signature, recomputed from the line alone by the rule in
/// docs/events.md: SM2 with the identifier 1234567812345678 over the line up to `,"sig":"`,
/// `r ‖ s` in hex; HMAC-SM3 over the same bytes.
#[test]
fn the_signature_covers_the_line_up_to_sig_as_the_docs_say() {
    use hmac::{Hmac, KeyInit, Mac};
    use sm2::dsa::signature::Verifier;
    use sm2::pkcs8::DecodePublicKey;

    let (text, _) = signed_journal(30, &sm2("sm2-test-a.pem", "ops-a"), 0);
    let line = text.lines().last().unwrap();
    assert!(line.starts_with(r#"{"seq":31,"at":"#), "{line}");
    let cut = line.rfind(",\"sig\":\"").unwrap();
    let (signed, rest) = line.split_at(cut);
    let sig = &rest[8..8 + 128];
    let pem = String::from_utf8(key_file("sm2-test-a.pub.pem")).unwrap();
    let public = sm2::PublicKey::from_public_key_pem(&pem).unwrap();
    let key = sm2::dsa::VerifyingKey::new("1234567812345678", public).unwrap();
    let sig = sm2::dsa::Signature::from_slice(&unhex(sig)).unwrap();
    assert!(key.verify(signed.as_bytes(), &sig).is_ok());

    let (text, _) = signed_journal(30, &hmac(9), 0);
    let line = text.lines().last().unwrap();
    let cut = line.rfind(",\"sig\":\"").unwrap();
    let mut mac = <Hmac<sm3::Sm3> as KeyInit>::new_from_slice(&[9; 32]).unwrap();
    mac.update(&line.as_bytes()[..cut]);
    let expected = hex(&mac.finalize().into_bytes());
    assert_eq!(&line[cut + 8..cut + 8 + 64], expected);
}

#[test]
fn a_wrong_key_fails_every_checkpoint_and_leaves_everything_unsigned() {
    let (text, _) = signed_journal(250, &sm2("sm2-test-a.pem", "ops-a"), 100);
    let v = verify(&text, &[sm2_public("sm2-test-b.pub.pem")]);
    assert_eq!(codes(&v), [4013, 4013, 4013, 4014]);
    assert_eq!(v.unsigned_tail(), Some((1, 253)));
    let (code, zh, en) = v.problems_message().unwrap();
    assert_eq!(code, 4013);
    assert!(
        en.contains("checkpoint seq 101 (sm2, key id \"ops-a\")"),
        "{en}"
    );
    assert!(zh.contains("签名用所给密钥验证不通过"), "{zh}");
    // An HMAC key of another value, likewise.
    let (text, _) = signed_journal(50, &hmac(1), 0);
    let wrong = VerifyingKey::hmac_sm3(&[2; 32]).unwrap();
    assert_eq!(codes(&verify(&text, &[wrong])), [4013, 4014]);
    // A key of the other algorithm checks nothing: the records are unsigned, none is bad.
    let v = verify(&text, &[sm2_public("sm2-test-a.pub.pem")]);
    assert_eq!(codes(&v), [4014]);
    assert_eq!(v.signatures.unwrap().unchecked, 1);
}

#[test]
fn a_journal_rewritten_and_resealed_end_to_end_fails_against_the_key() {
    let key = sm2("sm2-test-a.pem", "ops-a");
    let (text, _) = signed_journal(250, &key, 100);
    let mut edited = lines(&text);
    let i = edited.iter().position(|l| l.contains('党')).unwrap();
    assert!(i < 100);
    edited[i] = edited[i].replacen('党', "团", 1);
    // Every seal and every checkpoint's place fixed: the unkeyed checks all pass.
    let forged = reseal(
        &edited,
        Fix {
            seq: false,
            checkpoints: true,
        },
    );
    let v = verify(&forged, &[]);
    assert!(v.is_whole(), "the chain alone cannot tell");
    // The key can: every checkpoint from the edit on fails.
    let v = verify(&forged, &[key.verifying_key()]);
    assert_eq!(codes(&v), [4013, 4013, 4013, 4014]);
    // Without fixing the checkpoints' place, even opening refuses it (4005).
    let resealed = reseal(&edited, Fix::default());
    let err = Campaign::replay(resealed.as_bytes()).unwrap_err();
    assert_eq!(err.code(), 4005);
    assert!(
        err.message_en().contains("is not the hash of record 100"),
        "{err}"
    );
    assert!(err.message_zh().contains("不是记录 100 的哈希"), "{err}");
}

#[test]
fn a_checkpoint_moved_or_copied_from_another_journal_is_refused_by_its_place() {
    let key = hmac(5);
    let (text, _) = signed_journal(120, &key, 50);
    // Moved: the first checkpoint (seq 51) taken out and put after record 80, the records
    // renumbered and resealed, `through` and `h` left as signed.
    let mut moved = lines(&text);
    assert_eq!(checkpoint_lines(&text), [51, 102, 123]);
    let cp = moved.remove(51);
    moved.insert(81, cp);
    let forged = reseal(
        &moved,
        Fix {
            seq: true,
            checkpoints: false,
        },
    );
    let err = Campaign::replay(forged.as_bytes()).unwrap_err();
    assert_eq!(err.code(), 4005);
    assert!(
        err.message_en()
            .contains("through 50 is not the record before it (80)"),
        "{err}"
    );
    // With `through` and `h` fixed to the new place, the signature no longer fits.
    let forged = reseal(
        &moved,
        Fix {
            seq: true,
            checkpoints: true,
        },
    );
    let v = verify(&forged, &[key.verifying_key()]);
    assert_eq!(codes(&v)[0], 4013);
    assert_eq!(v.signatures.unwrap().bad[0].0, 81);

    // Copied: another journal of the same campaign, its records otherwise, signed by the same
    // key; its checkpoint (through its record 50) pasted over this one's (through record 50).
    let mut other = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    let mut cmds = commands(60);
    cmds.remove(40);
    other.execute_batch(&cmds[..50]).unwrap();
    let copied = other.checkpoint(&key).unwrap().line;
    let mut pasted = lines(&text);
    pasted[51] = copied.trim_end().to_string();
    let forged = reseal(&pasted, Fix::default());
    let err = Campaign::replay(forged.as_bytes()).unwrap_err();
    assert!(
        err.message_en().contains("copied from another journal"),
        "{err}"
    );
}

/// An old checkpoint over `through` 10, re-pointed at a later place: its `through` and `h` made
/// to fit, its signature still over the old ones.
#[test]
fn a_signature_over_a_different_through_does_not_verify() {
    let key = sm2("sm2-test-a.pem", "ops-a");
    let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    let mut text = c.header_line();
    for cmd in &commands(10) {
        text += &c.execute(cmd).unwrap().line;
    }
    let old = c.checkpoint(&key).unwrap().line;
    for cmd in &commands(40)[10..] {
        text += &c.execute(cmd).unwrap().line;
    }
    let mut forged = lines(&text);
    forged.push(old.trim_end().to_string());
    let forged = reseal(
        &forged,
        Fix {
            seq: true,
            checkpoints: true,
        },
    );
    assert!(forged.lines().last().unwrap().contains("\"through\":40,"));
    let v = verify(&forged, &[key.verifying_key()]);
    assert_eq!(codes(&v), [4013, 4014]);
}

#[test]
fn records_after_the_last_checkpoint_are_an_unsigned_tail_and_a_cut_one_too() {
    let key = sm2("sm2-test-a.pem", "ops-a");
    let (text, mut c) = signed_journal(100, &key, 0);
    let keys = [key.verifying_key()];
    let mut more = text.clone();
    for cmd in &commands(105)[100..] {
        more += &c.execute(cmd).unwrap().line;
    }
    let v = verify(&more, &keys);
    assert_eq!(v.unsigned_tail(), Some((102, 106)));
    let (code, zh, en) = v.problems_message().unwrap();
    assert_eq!(code, 4014);
    assert!(
        en.contains("records 102 to 106") && en.contains("the last one is seq 101"),
        "{en}"
    );
    assert!(
        zh.contains("日志记录 102 至 106") && zh.contains("最后一个为 seq 101"),
        "{zh}"
    );
    // The journal cut just before its last checkpoint: the records it signed are unsigned now.
    let cut: String = text.split_inclusive('\n').take(101).collect();
    assert_eq!(codes(&verify(&cut, &keys)), [4014]);
    // Signed again at the end: whole.
    more += &c.checkpoint(&key).unwrap().line;
    assert!(verify(&more, &keys).is_whole());
}

#[test]
fn a_checkpoint_line_out_of_canonical_form_or_before_any_record_is_refused() {
    let (text, _) = signed_journal(20, &hmac(3), 0);
    let mut spaced = lines(&text);
    spaced[21] = spaced[21].replacen("\"through\":", "\"through\": ", 1);
    let err = Campaign::replay(reseal(&spaced, Fix::default()).as_bytes()).unwrap_err();
    assert_eq!(err.code(), 4005);
    assert!(err.message_en().contains("not in canonical form"), "{err}");
    assert!(err.message_zh().contains("检查点记录不是规范格式"), "{err}");

    let mut empty = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    let err = empty.checkpoint(&hmac(3)).unwrap_err();
    assert_eq!(err.code(), 4015);
    assert_eq!(empty.seq(), 0);
    // A checkpoint written by hand right after the header is refused on reading.
    let mut first = lines(&text);
    first.drain(1..21);
    let err = Campaign::replay(
        reseal(
            &first,
            Fix {
                seq: true,
                checkpoints: true,
            },
        )
        .as_bytes(),
    )
    .unwrap_err();
    assert!(
        err.message_en().contains("a checkpoint before any record"),
        "{err}"
    );
}

#[test]
fn keys_in_the_wrong_form_are_refused_with_what_to_do() {
    let private = |name: &str| SigningKey::sm2_pkcs8(&key_file(name), "k").unwrap_err();
    let e = private("sm2-test-a.sec1.pem");
    assert_eq!((e.code(), e.kind), (4012, KeyKind::Sm2Private));
    assert!(
        e.message_en().contains("openssl pkcs8 -topk8 -nocrypt"),
        "{e}"
    );
    assert!(e.message_zh().contains("SEC1"), "{}", e.message_zh());
    assert_eq!(private("sm2-test-a.sec1.der").problem, e.problem);
    assert!(
        private("sm2-test-a.enc.pem")
            .message_en()
            .contains("encrypted")
    );
    assert!(
        private("sm2-test-a.pub.pem")
            .message_en()
            .contains("public key")
    );
    let e = private("p256-test.pem");
    assert!(e.message_en().contains("SM2 curve"), "{e}");
    assert!(e.message_zh().contains("SM2 曲线"), "{}", e.message_zh());
    assert_eq!(
        SigningKey::sm2_pkcs8(b"\x30\x03\x02\x01", "k")
            .unwrap_err()
            .code(),
        4012
    );
    let e = VerifyingKey::sm2_spki(&key_file("sm2-test-a.pem")).unwrap_err();
    assert_eq!(e.kind, KeyKind::Sm2Public);
    assert!(e.message_en().contains("openssl pkey -pubout"), "{e}");
    let e = SigningKey::hmac_sm3(b"fifteen bytes!!", "k").unwrap_err();
    assert!(
        e.message_en().contains("15 bytes, shorter than the 16"),
        "{e}"
    );
    assert!(
        e.message_zh().contains("至少 16 字节"),
        "{}",
        e.message_zh()
    );
    assert!(SigningKey::hmac_sm3(&[0; 1025], "k").is_err());
    let e = SigningKey::hmac_sm3(&[0; 32], " k").unwrap_err();
    assert!(e.message_en().contains("key id"), "{e}");
    assert_eq!(hmac(0).alg(), Alg::HmacSm3);
    assert!(format!("{:?}", hmac(0)).contains("hmac-1"), "the id shows");
    assert!(
        !format!("{:?}", hmac(0)).contains("[0, 0"),
        "the secret does not"
    );
}

#[test]
fn two_keys_sign_one_journal_and_each_checks_its_own() {
    let (sm2_key, hmac_key) = (sm2("sm2-test-a.pem", "ops-a"), hmac(7));
    let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    let mut text = c.header_line();
    for cmd in &commands(30) {
        text += &c.execute(cmd).unwrap().line;
    }
    text += &c.checkpoint(&sm2_key).unwrap().line;
    text += &c.checkpoint(&hmac_key).unwrap().line;
    let both = [sm2_key.verifying_key(), hmac_key.verifying_key()];
    let v = verify(&text, &both);
    assert!(v.is_whole());
    assert_eq!(v.signatures.unwrap().last_signed, Some(32));
    // With the SM2 key alone, the HMAC checkpoint is unchecked and the last signed is 31: the
    // checkpoint after it is itself the unsigned tail.
    let v = verify(&text, &[sm2_key.verifying_key()]);
    assert_eq!(v.unsigned_tail(), Some((32, 32)));
    assert_eq!(v.signatures.unwrap().unchecked, 1);
}

#[test]
fn checkpoints_are_journaled_and_read_back_on_open() {
    let dir = std::env::temp_dir().join(format!("cz-checkpoint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("journal.jsonl");
    let key = sm2("sm2-test-a.pem", "ops-a");
    let signing = Some(Signing {
        key: &key,
        every: NonZeroU64::new(40),
    });
    let cmds = commands(120);
    {
        let mut c = Campaign::create(&path, demo::info(), Default::default()).unwrap();
        let r = c.execute_batch_signed(&cmds[..60], signing).unwrap();
        assert_eq!(r.checkpoints, [41, 62]);
    }
    let (mut c, _) = Campaign::open(&path, OpenOptions::default()).unwrap();
    assert_eq!(c.checkpoints().len(), 2);
    // Counting goes on from the last checkpoint read back.
    let r = c.execute_batch_signed(&cmds[60..], signing).unwrap();
    assert_eq!(r.checkpoints, [103, 124]);
    drop(c);
    let text = std::fs::read_to_string(&path).unwrap();
    let v = verify(&text, &[sm2_public("sm2-test-a.pub.pem")]);
    assert!(v.is_whole());
    assert_eq!(v.checkpoints, 4);
    assert_eq!(checkpoint_lines(&text), [41, 62, 103, 124]);
    std::fs::remove_dir_all(&dir).unwrap();
}
