//! `chuangzheng verify` and `chuangzheng checkpoint`: a journal's chain, anchors and signed
//! checkpoints checked, and a checkpoint signed into a journal.

use std::mem::ManuallyDrop;
use std::path::Path;

use chuangzheng::Coded;
use chuangzheng::ledger::{Anchors, Campaign, OpenOptions, Verification, VerifyingKey, hash_hex};

use crate::args::{CheckpointArgs, SnapshotArgs, VerifyArgs};
use crate::cmd::keys::{signing_key, verifying_keys};
use crate::failure::{Failure, say, usage};
use crate::journal::{note_snapshot, note_torn_tail, read_journal};

pub fn run(a: &VerifyArgs) -> Result<(), Failure> {
    let anchors = Anchors {
        last_hash: a.expect_last_hash,
        seq: a.expect_seq,
    };
    let keys = verifying_keys(&a.public_keys, &a.hmac_keys)?;
    let (campaign, v) = verify(&a.journal, &anchors, &keys)?;
    let path = a.journal.display().to_string();
    if a.json {
        let json = verification_json(&path, &campaign, &v);
        say!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    } else {
        say_verification(&path, &campaign, &v);
    }
    // Every problem, in one message; its code is the first's: an anchor that differs (4011)
    // or a checkpoint that fails its key (4013) is a refusal (exit 1), an unsigned tail (4014,
    // exit 5) and bytes outside every record (4010, exit 4) findings.
    match v.problems_message() {
        None => Ok(()),
        Some((code, zh, en)) => Err(Failure { code, zh, en }),
    }
}

/// The journal verified, and the campaign it replays; never freed, as [`crate::journal::replay`]
/// says (freeing it would add about a sixth to the demo city's run: 80 ms of 0.47 s).
fn verify(
    path: &Path,
    anchors: &Anchors,
    keys: &[VerifyingKey],
) -> Result<(ManuallyDrop<Campaign>, Verification), Failure> {
    let (campaign, v) = read_journal(path, "校验 verify", |r| {
        Campaign::verify_signed(r, anchors, keys)
    })?;
    Ok((ManuallyDrop::new(campaign), v))
}

pub fn run_checkpoint(a: &CheckpointArgs) -> Result<(), Failure> {
    let Some(key) = signing_key(&a.signing, false)? else {
        return Err(usage(
            "须给出签名密钥：--sign-key 或 --hmac-key",
            "a signing key is needed: --sign-key or --hmac-key",
        ));
    };
    let (mut campaign, opened) = Campaign::open(&a.journal, OpenOptions::default())?;
    note_torn_tail(&a.journal, &opened);
    let receipt = campaign.checkpoint(&key)?;
    let journal = a.journal.display();
    let (seq, hash) = (receipt.seq, hash_hex(&receipt.hash));
    let (alg, id) = (key.alg(), key.key_id());
    say!("已写入检查点：日志 {journal} seq {seq}（{alg}，密钥标识 {id}），SM3 链末端哈希 {hash}");
    say!(
        "checkpoint written: journal {journal} seq {seq} ({alg}, key id {id}), SM3 last hash {hash}"
    );
    Ok(())
}

pub fn run_snapshot(a: &SnapshotArgs) -> Result<(), Failure> {
    let (campaign, opened) = Campaign::open(&a.journal, OpenOptions::default())?;
    note_torn_tail(&a.journal, &opened);
    note_snapshot(&opened);
    let saved = campaign.save_snapshot()?;
    let (path, seq, bytes) = (saved.path.display(), saved.seq, saved.bytes);
    say!("已写入快照 {path}：含日志全部 {seq} 条记录，{bytes} 字节");
    say!("snapshot written: {path}, holding all {seq} records of the journal, {bytes} bytes");
    Ok(())
}

fn verification_json(path: &str, campaign: &Campaign, v: &Verification) -> serde_json::Value {
    let state = campaign.state();
    serde_json::json!({
        "path": path,
        "campaign": campaign.info(),
        "whole": v.is_whole(),
        "records": v.last_seq,
        "last_seq": v.last_seq,
        "last_hash": hash_hex(&v.last_hash),
        "latest_date": campaign.latest_date(),
        "uncovered": v.uncovered.as_ref().map(|t| serde_json::json!({"offset": t.offset, "bytes": t.len})),
        "checkpoints": v.checkpoints,
        "signatures": v.signatures.as_ref().map(|s| serde_json::json!({
            "verified": s.verified,
            "unchecked": s.unchecked,
            "last_signed": s.last_signed,
            "bad": s.bad.iter().map(|(seq, alg, key_id)| serde_json::json!({
                "seq": seq, "alg": alg.name(), "key_id": key_id,
            })).collect::<Vec<_>>(),
        })),
        "unsigned_tail": v.unsigned_tail().map(|(from, to)| serde_json::json!({"from": from, "to": to})),
        "anchor_mismatches": v.mismatches.iter().map(|m| serde_json::json!({
            "anchor": m.what, "expected": m.expected, "found": m.found,
        })).collect::<Vec<_>>(),
        "problems": v.problems().iter().map(|p| serde_json::json!({
            "code": p.code(), "message_zh": p.message_zh(), "message_en": p.message_en(),
        })).collect::<Vec<_>>(),
        "orgs": state.orgs().len(),
        "members": state.members().len(),
        "pledges": state.pledges().len(),
    })
}

fn say_verification(path: &str, campaign: &Campaign, v: &Verification) {
    let (records, seq) = (v.last_seq, v.last_seq);
    let hash = hash_hex(&v.last_hash);
    say!("{}（{}）", campaign.info().name, campaign.info().id);
    if v.is_whole() {
        say!("已校验：{path}，共 {records} 条记录，seq 1..={seq}，SM3 链末端哈希 {hash}");
        say!("verified: {path}: {records} records, seq 1..={seq}, SM3 last hash {hash}");
    } else {
        say!(
            "记录已校验，但日志不完整：{path}，共 {records} 条记录，seq 1..={seq}，SM3 链末端哈希 {hash}"
        );
        say!(
            "records verified, but the journal is not whole: {path}: {records} records, seq 1..={seq}, SM3 last hash {hash}"
        );
    }
    if let Some(d) = campaign.latest_date() {
        say!("  最新记录日期：{d} / latest date recorded: {d}");
    }
    say_signatures(v);
    let state = campaign.state();
    let (orgs, members, pledges) = (
        state.orgs().len(),
        state.members().len(),
        state.pledges().len(),
    );
    say!(
        "  组织 {orgs} 个，党员 {members} 名，承诺 {pledges} 件 / orgs {orgs}, members {members}, pledges {pledges}"
    );
}

/// The checkpoints a verification found, and with keys what they showed.
fn say_signatures(v: &Verification) {
    let n = v.checkpoints;
    let Some(s) = &v.signatures else {
        if n > 0 {
            say!(
                "  检查点 {n} 个（未给密钥，只核对其在链中的位置）/ checkpoints {n} (no key given: their place in the chain checked only)"
            );
        }
        return;
    };
    let (ok, bad, unchecked) = (s.verified, s.bad.len(), s.unchecked);
    let (last_zh, last_en) = match s.last_signed {
        Some(seq) => (
            format!("最后签名 seq {seq}"),
            format!("last signed seq {seq}"),
        ),
        None => ("没有通过验证的签名".into(), "none signed".into()),
    };
    say!(
        "  检查点 {n} 个：签名验证通过 {ok} 个，不通过 {bad} 个，无对应密钥未核 {unchecked} 个；{last_zh}"
    );
    say!(
        "  checkpoints {n}: {ok} verified, {bad} failed, {unchecked} of an algorithm with no key; {last_en}"
    );
}
