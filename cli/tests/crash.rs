//! Process death: the command-line tool imports into a journal in small synced batches, saying
//! `ack SEQ` after each, and is killed with SIGKILL at a pseudo-random moment; many times over.
//! After every kill the journal reopens, its chain verifies, every acknowledged record is in it,
//! and the import goes on from where the journal ends. In the end the journal holds every
//! command once, in order. Also: a second writer is refused while the first holds the journal.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::time::{Duration, Instant};

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, Command, OpenOptions};
use chuangzheng::rules::RuleSet;

fn commands() -> Vec<Command> {
    let spec = DemoSpec::small();
    let mut cmds = demo::commands(&spec);
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    c.execute_batch(&cmds).unwrap();
    cmds.extend(demo::records(c.state(), &spec));
    cmds
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cz-crash-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_lines(path: &PathBuf, cmds: &[Command]) {
    let mut text = String::new();
    for c in cmds {
        text.push_str(&c.to_json());
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

/// A small deterministic sequence of delays (SplitMix64).
fn delays(seed: u64) -> impl Iterator<Item = Duration> {
    let mut s = seed;
    std::iter::repeat_with(move || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Duration::from_micros((z ^ (z >> 31)) % 12_000)
    })
}

#[cfg(unix)]
#[test]
fn killed_importers_never_lose_an_acknowledged_record() {
    let dir = scratch("kill");
    let journal = dir.join("j.jsonl");
    let all = commands();
    let rest = dir.join("rest.jsonl");
    // The journal starts with the root.
    write_lines(&rest, &all[..1]);
    let out = Process::new(env!("CARGO_BIN_EXE_chuangzheng"))
        .arg("import")
        .arg(&journal)
        .arg(&rest)
        .args(["--create", "dg-2010", "东港市创先争优活动（演示数据）"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut kills = 0;
    let mut torn = 0;
    // Runs killed after acknowledging a record and before finishing.
    let mut mid_run = 0;
    for (run, delay) in delays(0xC2A5).take(60).enumerate() {
        let (c, report) = Campaign::open(&journal, OpenOptions::default())
            .unwrap_or_else(|e| panic!("after {kills} kills the journal does not open: {e}"));
        torn += usize::from(report.torn_tail.is_some());
        let start = usize::try_from(c.seq()).unwrap();
        drop(c);
        if start == all.len() {
            break;
        }
        write_lines(&rest, &all[start..]);
        let mut child = Process::new(env!("CARGO_BIN_EXE_chuangzheng"))
            .arg("import")
            .arg(&journal)
            .arg(&rest)
            .args(["--keep-going", "--batch", "3", "--ack"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let acked = Arc::new(AtomicU64::new(0));
        let reader = std::thread::spawn({
            let acked = Arc::clone(&acked);
            move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if let Some(seq) = line.strip_prefix("ack ") {
                        acked.store(seq.parse().unwrap(), SeqCst);
                    }
                }
            }
        });
        // Every other run starts its delay at the child's first acknowledgement, so some kills
        // land mid-import however slowly the machine starts a process (on one busy core a start
        // outlasts every delay); the others count from the spawn, so some land while the child
        // is still opening the journal.
        if run % 2 == 1 {
            let waiting = Instant::now();
            while acked.load(SeqCst) <= start as u64
                && child.try_wait().unwrap().is_none()
                && waiting.elapsed() < Duration::from_secs(60)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let status_killed = {
            use std::os::unix::process::ExitStatusExt;
            status.signal() == Some(9)
        };
        kills += usize::from(status_killed);
        reader.join().unwrap();
        let acked = acked.load(SeqCst);
        if status_killed && acked > start as u64 {
            mid_run += 1;
        }
        // Reopen: the chain verifies (open fails otherwise) and every acknowledged record is in.
        let (c, _) = Campaign::open(&journal, OpenOptions::default()).unwrap();
        assert!(
            c.seq() >= acked,
            "acknowledged up to {acked}, the reopened journal ends at {}",
            c.seq()
        );
    }
    assert!(kills >= 10, "only {kills} importers were killed");
    assert!(
        mid_run >= 5,
        "only {mid_run} importers were killed after acknowledging records"
    );
    // Finish, and compare with the same commands applied in memory.
    let (c, _) = Campaign::open(&journal, OpenOptions::default()).unwrap();
    let start = usize::try_from(c.seq()).unwrap();
    drop(c);
    if start < all.len() {
        write_lines(&rest, &all[start..]);
        let out = Process::new(env!("CARGO_BIN_EXE_chuangzheng"))
            .arg("import")
            .arg(&journal)
            .arg(&rest)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (c, _) = Campaign::open(&journal, OpenOptions::default()).unwrap();
    let mut whole = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    whole.execute_batch(&all).unwrap();
    assert_eq!(c.seq(), all.len() as u64);
    assert!(
        c.state_json() == whole.state_json(),
        "every command once, in order"
    );
    assert_eq!(c.last_hash(), whole.last_hash());
    eprintln!(
        "{kills} importers killed ({mid_run} after acknowledging records), {torn} torn tails dropped on reopen"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_journal() {
    let dir = scratch("lock");
    let journal = dir.join("j.jsonl");
    let all = commands();
    let mut first = Campaign::create(&journal, demo::info(), RuleSet::default()).unwrap();
    first.execute_batch(&all[..5]).unwrap();
    // Another handle in this process…
    let e = Campaign::open(&journal, OpenOptions::default()).unwrap_err();
    assert!(e.to_string().contains("another process"), "{e}");
    // …and another process.
    let rest = dir.join("rest.jsonl");
    write_lines(&rest, &all[5..10]);
    let out = Process::new(env!("CARGO_BIN_EXE_chuangzheng"))
        .arg("import")
        .arg(&journal)
        .arg(&rest)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[4003]"));
    // Readers are not writers: verification reads while the writer holds the journal.
    let out = Process::new(env!("CARGO_BIN_EXE_chuangzheng"))
        .args(["verify"])
        .arg(&journal)
        .output()
        .unwrap();
    assert!(out.status.success());
    first.execute_batch(&all[5..10]).unwrap();
    drop(first);
    let (c, _) = Campaign::open(&journal, OpenOptions::default()).unwrap();
    assert_eq!(c.seq(), 10, "no interleaved records");
    let _ = std::fs::remove_dir_all(&dir);
}
