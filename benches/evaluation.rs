//! Member grading over a province's members: the compiled integer grading, the explained
//! grading, and a hand-written integer loop over the same data as the floor. Figures go to
//! BENCHMARKS.md.
//!
//! Run: `cargo bench --bench evaluation`

use std::hint::black_box;

use chuangzheng::evaluation::{Ballots, CompiledMemberRules, MemberEvaluationInputs, grade};
use chuangzheng::model::{ExtId, MemberIdx, OrgIdx};
use chuangzheng::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;
use rust_decimal::Decimal;

/// A province's worth of evaluation inputs, deterministic: half the evaluations ballots per
/// grade, half scores; a few reports missing, a few sanctions.
fn inputs(n: usize) -> Vec<MemberEvaluationInputs> {
    let mut x: u64 = 0x5eed;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let mut source = || {
                if next() % 2 == 0 {
                    Some(Ballots::Score(Decimal::new(
                        6000 + (next() % 4001) as i64,
                        2,
                    )))
                } else {
                    Some(Ballots::Counts {
                        excellent: next() % 20,
                        qualified: next() % 20,
                        basically_qualified: next() % 5,
                        unqualified: 1 + next() % 3,
                    })
                }
            };
            MemberEvaluationInputs {
                member: MemberIdx(i as u32),
                org: OrgIdx(0),
                round: "2010".parse().expect("year"),
                on: date(2010, 12, 20),
                report_submitted: (i % 50 != 0).then_some(date(2010, 12, 1)),
                self_review: source(),
                peers: source(),
                masses: source(),
                committee: source(),
                sanctioned: i % 200 == 0,
                correction: false,
            }
        })
        .collect()
}

fn grading(c: &mut Criterion) {
    let rules = RuleSet::default().member_evaluation;
    let compiled = CompiledMemberRules::compile(&rules);
    let data = inputs(1_000_000);
    let mut g = c.benchmark_group("member_grading");
    g.sample_size(10);
    g.throughput(Throughput::Elements(data.len() as u64));
    g.bench_function("compiled_1m", |b| {
        b.iter(|| {
            let mut excellent = 0u64;
            for i in &data {
                if let Some(chuangzheng::evaluation::Outcome::Graded(
                    chuangzheng::rules::Grade::Excellent,
                )) = compiled.grade(i)
                {
                    excellent += 1;
                }
            }
            black_box(excellent)
        })
    });
    // The floor: integer weighted scores of score-only data, compared with one band, nothing
    // else (no ballots, no vetoes).
    let hundredths: Vec<[u32; 4]> = data
        .iter()
        .map(|i| {
            [i.self_review, i.peers, i.masses, i.committee].map(|b| match b {
                Some(Ballots::Score(s)) => (s * Decimal::ONE_HUNDRED).mantissa() as u32,
                _ => 8000,
            })
        })
        .collect();
    g.bench_function("hand_written_integer_loop_1m", |b| {
        b.iter(|| {
            let mut excellent = 0u64;
            for s in &hundredths {
                let total: u32 = s.iter().map(|x| x * 25).sum();
                excellent += u64::from(total >= 9000 * 100);
            }
            black_box(excellent)
        })
    });
    // The same data lowered by hand to fractions (num, den) per evaluation, and the same
    // exact band test in a plain loop: what the compiled grading does, minus its generality.
    let fractions: Vec<[(u64, u64); 4]> = data
        .iter()
        .map(|i| {
            [i.self_review, i.peers, i.masses, i.committee].map(|b| match b {
                Some(Ballots::Score(s)) => ((s * Decimal::ONE_HUNDRED).mantissa() as u64, 100),
                Some(Ballots::Counts {
                    excellent,
                    qualified,
                    basically_qualified,
                    unqualified,
                }) => (
                    excellent * 95 + qualified * 80 + basically_qualified * 65 + unqualified * 40,
                    excellent + qualified + basically_qualified + unqualified,
                ),
                None => (0, 1),
            })
        })
        .collect();
    g.bench_function("hand_written_exact_fractions_1m", |b| {
        b.iter(|| {
            let mut excellent = 0u64;
            for f in &fractions {
                let [a, b, c, e] = f.map(|(_, d)| u128::from(d));
                let d = a * b * c * e;
                let others = [b * c * e, a * c * e, a * b * e, a * b * c];
                let lhs: u128 = f
                    .iter()
                    .zip(others)
                    .map(|((n, _), o)| 25 * u128::from(*n) * o)
                    .sum();
                excellent += u64::from(lhs >= 9000 * d);
            }
            black_box(excellent)
        })
    });
    let few = &data[..20_000];
    let id = ExtId::new("id", "m").expect("id");
    g.throughput(Throughput::Elements(few.len() as u64));
    g.bench_function("explained_20k", |b| {
        b.iter(|| {
            for i in few {
                black_box(grade(&id, i, &rules));
            }
        })
    });
    g.finish();
}

/// A province's worth of made pledges with a year's evaluation inputs: completion at the year's
/// end varies (in time, late, in progress, withdrawn), and so do the masses' survey and the
/// spot check.
fn pledges(n: usize) -> Vec<chuangzheng::pledge::Pledge> {
    use chuangzheng::model::Name;
    use chuangzheng::pledge::{
        EvaluationInputs, Focus, Owner, Pledge, PledgeContent, PledgeKind, PledgeStatus, SpotCheck,
        StatusChange, StatusLog, Survey, Versions,
    };
    let content = PledgeContent::new(
        Name::new("title", "承诺").expect("name"),
        "实事承诺",
        date(2010, 10, 31),
        Vec::new(),
    )
    .expect("content");
    (0..n)
        .map(|i| {
            let change = |m: i8, d: i8, status| StatusChange {
                from: date(2010, m, d),
                status,
            };
            let mut log = vec![
                change(5, 2, PledgeStatus::Draft),
                change(5, 3, PledgeStatus::Submitted),
                change(5, 4, PledgeStatus::Approved),
                change(5, 8, PledgeStatus::Published),
            ];
            match i % 4 {
                0 => log.push(change(9, 1, PledgeStatus::Fulfilled)),
                1 => log.push(change(11, 15, PledgeStatus::Fulfilled)),
                2 => log.push(change(12, 1, PledgeStatus::Withdrawn)),
                _ => {}
            }
            let satisfied = (i * 7 % 50) as u64;
            Pledge {
                id: ExtId::new("id", &format!("p-{i}")).expect("id"),
                owner: Owner::Org(OrgIdx(0)),
                kind: PledgeKind::PracticalMatter,
                focus: Focus::MassesWishes,
                carrier: None,
                versions: Versions::new(content.clone()),
                reviews: Vec::new(),
                status: StatusLog::try_from(log).expect("log"),
                reports: Vec::new(),
                fulfilments: Vec::new(),
                evaluations: vec![EvaluationInputs {
                    year: "2010".parse().expect("year"),
                    on: date(2010, 12, 20),
                    survey: Some(Survey {
                        satisfied,
                        fairly_satisfied: 50 - satisfied,
                        basically_satisfied: (i % 9) as u64,
                        dissatisfied: (i % 5) as u64,
                    }),
                    members: None,
                    organization: None,
                    spot_check: (i % 3 != 0).then_some(SpotCheck {
                        passed: i % 11 != 0,
                        note: None,
                    }),
                    correction: false,
                }],
                urges: Vec::new(),
                explanation: None,
            }
        })
        .collect()
}

fn rating(c: &mut Criterion) {
    let rules = RuleSet::default().pledge_rating;
    let data = pledges(200_000);
    let year: chuangzheng::model::Period = "2010".parse().expect("year");
    let mut g = c.benchmark_group("pledge_rating");
    g.sample_size(10);
    g.throughput(Throughput::Elements(data.len() as u64));
    g.bench_function("decide_200k", |b| {
        b.iter(|| {
            let mut good = 0u64;
            for p in &data {
                if let Some((_, row)) = chuangzheng::pledge::decide(p, year, &rules) {
                    good += u64::from(rules.rows[row].rating == chuangzheng::rules::Rating::Good);
                }
            }
            black_box(good)
        })
    });
    g.bench_function("explained_200k", |b| {
        b.iter(|| {
            let mut good = 0u64;
            for p in &data {
                if let Some(r) = chuangzheng::pledge::rate_pledge(p, year, &rules) {
                    good += u64::from(r.rating == chuangzheng::rules::Rating::Good);
                }
            }
            black_box(good)
        })
    });
    g.finish();
}

criterion_group!(benches, grading, rating);
criterion_main!(benches);
