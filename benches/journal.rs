//! Journal throughput: appends (one sync per command, and group commit), and replay with hash
//! verification. Figures go to BENCHMARKS.md.
//!
//! Run: `cargo bench --bench journal`

use std::hint::black_box;
use std::io::BufRead;
use std::path::PathBuf;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Anchors, Campaign, Command, Signing, SigningKey};
use chuangzheng::rules::RuleSet;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

fn demo_commands() -> Vec<Command> {
    demo::commands(&DemoSpec::seed())
}

/// The demo city's journal, built in memory: header plus one line per command.
fn demo_journal(commands: &[Command]) -> Vec<u8> {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
    let mut out = c.header_line().into_bytes();
    for cmd in commands {
        out.extend_from_slice(c.execute(cmd).expect("demo command").line.as_bytes());
    }
    out
}

fn scratch_path(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cz-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    dir.join(format!("{tag}-{n}.jsonl"))
}

fn replay(c: &mut Criterion) {
    let commands = demo_commands();
    let journal = demo_journal(&commands);
    let records = commands.len() as u64;
    let mut g = c.benchmark_group("replay");
    g.sample_size(20);
    g.throughput(Throughput::Elements(records));
    // The campaign is returned, so dropping it (freeing the state) is not timed: replay is
    // what is measured.
    g.bench_function("verify_and_apply_demo_city", |b| {
        b.iter_with_large_drop(|| {
            let (campaign, report) = Campaign::replay(journal.as_slice()).expect("replay");
            assert_eq!(report.records, records);
            campaign
        })
    });
    // The floor: the SM3 chain alone over the same lines.
    g.bench_function("sm3_chain_only", |b| {
        use sm3::{Digest, Sm3};
        b.iter(|| {
            let mut prev = [0u8; 32];
            for line in journal.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let mut h = Sm3::new();
                h.update(prev);
                h.update(&line[..line.len().saturating_sub(72)]);
                prev = h.finalize().into();
            }
            black_box(prev)
        })
    });
    // Reading lines and checking their seal only (no JSON), for the split of the cost.
    g.bench_function("read_lines_only", |b| {
        b.iter(|| {
            let mut n = 0u64;
            let mut r = journal.as_slice();
            let mut buf = Vec::new();
            while r.read_until(b'\n', &mut buf).unwrap_or(0) > 0 {
                n += buf.len() as u64;
                buf.clear();
            }
            black_box(n)
        })
    });
    g.finish();
}

fn execute_in_memory(c: &mut Criterion) {
    let commands = demo_commands();
    let mut g = c.benchmark_group("execute");
    g.sample_size(20);
    g.throughput(Throughput::Elements(commands.len() as u64));
    g.bench_function("in_memory_demo_city", |b| {
        b.iter_with_large_drop(|| {
            let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
            for cmd in &commands {
                c.execute(cmd).expect("demo command");
            }
            c
        })
    });
    g.finish();
}

fn append_to_file(c: &mut Criterion) {
    let commands = demo_commands();
    let mut g = c.benchmark_group("append");
    g.sample_size(10);
    // One sync per command: the first 200 commands of the demo city.
    let single = &commands[..200];
    g.throughput(Throughput::Elements(single.len() as u64));
    g.bench_function("one_sync_per_command_200", |b| {
        b.iter_batched(
            || scratch_path("single"),
            |path| {
                let mut c =
                    Campaign::create(&path, demo::info(), RuleSet::default()).expect("create");
                for cmd in single {
                    c.execute(cmd).expect("demo command");
                }
                drop(c);
                let _ = std::fs::remove_file(&path);
            },
            BatchSize::PerIteration,
        )
    });
    // Group commit: the whole demo city in batches of 1000, one sync each.
    g.throughput(Throughput::Elements(commands.len() as u64));
    g.bench_function("group_commit_1000_demo_city", |b| {
        b.iter_batched(
            || scratch_path("group"),
            |path| {
                let mut c =
                    Campaign::create(&path, demo::info(), RuleSet::default()).expect("create");
                for chunk in commands.chunks(1000) {
                    for outcome in c.execute_batch(chunk).expect("batch").outcomes {
                        outcome.expect("demo command");
                    }
                }
                drop(c);
                let _ = std::fs::remove_file(&path);
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// Checkpoints: writing one (signing the chain's last hash and sealing it, in memory), checking
/// one's signature, and replaying the demo city signed every 1000 records with every signature
/// checked, against `replay/verify_and_apply_demo_city` without.
fn checkpoints(c: &mut Criterion) {
    let commands = demo_commands();
    let pem = include_bytes!("../tests/data/keys/sm2-test-a.pem");
    let sm2 = SigningKey::sm2_pkcs8(pem, "bench").expect("the test key");
    let hmac = SigningKey::hmac_sm3(&[7; 32], "bench").expect("a 32-byte key");
    let mut g = c.benchmark_group("checkpoint");
    for (name, key) in [("sm2", &sm2), ("hmac_sm3", &hmac)] {
        let mut campaign = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
        campaign.execute_batch(&commands[..100]).expect("batch");
        g.bench_function(format!("write_{name}"), |b| {
            b.iter(|| campaign.checkpoint(key).expect("checkpoint").seq)
        });
        // Written here too: a filter that skips the bench above must not leave none to check.
        campaign.checkpoint(key).expect("checkpoint");
        let record = campaign.checkpoints().last().cloned().expect("one written");
        let keys = [key.verifying_key()];
        g.bench_function(format!("verify_{name}"), |b| {
            b.iter(|| assert_eq!(record.verifies_under(black_box(&keys)), Some(true)))
        });
    }
    let mut signed = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
    let every = std::num::NonZeroU64::new(1000);
    let receipt = signed
        .execute_batch_signed(&commands, Some(Signing { key: &sm2, every }))
        .expect("batch");
    let journal = signed.header_line() + &receipt.lines;
    let keys = [sm2.verifying_key()];
    g.sample_size(20);
    g.throughput(Throughput::Elements(commands.len() as u64));
    g.bench_function("verify_signed_demo_city_sm2_every_1000", |b| {
        b.iter_with_large_drop(|| {
            let (campaign, v) =
                Campaign::verify_signed(journal.as_bytes(), &Anchors::default(), &keys)
                    .expect("verify");
            assert!(v.is_whole());
            campaign
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    replay,
    execute_in_memory,
    append_to_file,
    checkpoints
);
criterion_main!(benches);
