//! The audit: recompute published claims from the records and say which the records support.
//!
//! A claim names a figure of the stage report by its key, or a rate by its parts (figure keys,
//! or published counts), and the value published, as written: `24768`, `56%`, `86.6%`,
//! `0.5602`, `274.741万元`. The claim is checked at the precision it was published with: `56%`
//! is supported by any rate that rounds half up (四舍五入) to 56%. Each claim gets a verdict:
//!
//! - **supported**: the recomputed value, rounded as published, is the published value;
//! - **supported under a reading**: a rate whose stated parts do not give the published value,
//!   but another reading of its parts does (a coverage rate published beside the number of
//!   organizations that matches covered units, not organizations: joint organizations cover
//!   several units); the reading is named;
//! - **unsupported**: with the recomputed value and the difference;
//! - **invalid**: the claim names no figure of the report, or cannot be read.
//!
//! ```
//! use chuangzheng::demo::{self, DemoSpec};
//! use chuangzheng::report::{Claims, Span, StageReport, Support, audit};
//!
//! let campaign = demo::build(&DemoSpec::small()).unwrap();
//! let report = StageReport::build(&campaign, campaign.state().root().unwrap(), Span::as_of(demo::AS_OF));
//! let total = report.figure("pledge.practical.total").unwrap().text();
//! let claims = Claims::from_json(&format!(
//!     r#"{{"claims": [{{"figure": "pledge.practical.total", "claimed": "{total}"}},
//!                     {{"figure": "pledge.practical.total", "claimed": "1"}}]}}"#
//! )).unwrap();
//! let findings = audit(&report, &claims);
//! assert_eq!(findings[0].verdict, Support::Supported);
//! assert_eq!(findings[1].verdict, Support::Unsupported);
//! ```

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::stage::{Figure, StageReport};
use crate::error::Coded;

/// A file of published claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// Where the claims were published, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The claims, in the order they are reported.
    pub claims: Vec<Claim>,
}

/// One published claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The claim's label, if the file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The published words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A figure key of the report (`pledge.practical.total`); or
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    /// a rate by its parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<RateClaim>,
    /// The value published, as written: a count, a decimal, a percentage (`86.6%`) or an
    /// amount in 万元 (`274.741万元`) or 元 (`526000元`).
    pub claimed: String,
}

/// A rate published with its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateClaim {
    /// The numerator: a figure key, or a published count.
    pub numerator: RatePart,
    /// The denominator: a figure key, or a published count.
    pub denominator: RatePart,
}

/// One part of a rate: a figure key of the report, or a count as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RatePart {
    /// A figure key.
    Figure(String),
    /// A count.
    Count(u64),
}

/// An error reading a claims file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("claims file: {path}: {message}")]
pub struct ClaimsError {
    /// The JSON path of the field at fault.
    pub path: String,
    /// What is wrong, in English, with the line and column in the file.
    pub message: String,
    /// The same in Chinese, naming the line of the file and the field path.
    pub message_zh: String,
}

impl Coded for ClaimsError {
    fn code(&self) -> u32 {
        5001
    }
    fn message_zh(&self) -> String {
        format!("声明文件无法读取，{}", self.message_zh)
    }
    fn message_en(&self) -> String {
        format!(
            "the claims file cannot be read: field {}: {}",
            self.path, self.message
        )
    }
}

impl Claims {
    /// Reads a claims file; an error names the JSON path at fault.
    pub fn from_json(json: &str) -> Result<Claims, ClaimsError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        crate::json_error::read_whole(de, "文件").map_err(|d| ClaimsError {
            message: format!("{}{}", d.en, d.en_position()),
            message_zh: format!("{}{}", d.zh_line_prefix(), d.zh),
            path: d.path,
        })
    }
}

/// How far the records support one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// The records give the published value.
    Supported,
    /// The records give the published value only under another reading of the rate's parts.
    SupportedUnderReading,
    /// The records do not give the published value.
    Unsupported,
    /// The claim cannot be checked (no such figure, or an unreadable value).
    Invalid,
}

impl Support {
    /// The verdict in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Support::Supported => "有据",
            Support::SupportedUnderReading => "另一口径下有据",
            Support::Unsupported => "无据",
            Support::Invalid => "无法核对",
        }
    }

    /// The verdict in plain English.
    pub fn label_en(self) -> &'static str {
        match self {
            Support::Supported => "supported",
            Support::SupportedUnderReading => "supported under a reading",
            Support::Unsupported => "unsupported",
            Support::Invalid => "invalid",
        }
    }
}

/// The audit's finding on one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The claim's label, or its position (`#3`).
    pub claim: String,
    /// The published words, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// What was checked: the figure key, or `numerator / denominator`.
    pub checked: String,
    /// The value published, as written.
    pub claimed: String,
    /// The verdict.
    pub verdict: Support,
    /// The recomputed value at the published precision (`56%`, `71.6%`, `24768`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
    /// The recomputed value, exact (a fraction for rates: `353/493`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// Published minus recomputed, at the published precision, when unsupported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// The reading under which the claim is supported, in Chinese and English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// Why the claim could not be checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// How a value was published: its number (in the figure's own unit: a fraction for rates, yuan
/// for amounts) and the places it was given to, in the unit it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Published {
    /// As written, in its written unit (56 for `56%`).
    written: Decimal,
    /// The written unit's factor to the figure's unit: 1/100 for %, 10,000 for 万元.
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Plain,
    Percent,
    Wan,
}

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::Plain => "",
            Unit::Percent => "%",
            Unit::Wan => "万元",
        }
    }

    /// The figure's exact value in this unit.
    fn of(self, exact: Decimal) -> Option<Decimal> {
        match self {
            Unit::Plain => Some(exact),
            Unit::Percent => exact.checked_mul(Decimal::ONE_HUNDRED),
            Unit::Wan => exact.checked_div(Decimal::from(10_000)),
        }
    }
}

fn parse_published(s: &str) -> Option<Published> {
    let t = s.trim();
    let (number, unit) = if let Some(n) = t.strip_suffix('%') {
        (n, Unit::Percent)
    } else if let Some(n) = t.strip_suffix("万元") {
        (n, Unit::Wan)
    } else if let Some(n) = t.strip_suffix('元') {
        (n, Unit::Plain)
    } else {
        (t, Unit::Plain)
    };
    let number = number.trim();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let written = Decimal::from_str_exact(number).ok()?;
    Some(Published { written, unit })
}

/// The exact value `exact` shown as `p` was: in its unit, rounded half up to its places.
fn as_published(exact: Decimal, p: Published) -> Option<Decimal> {
    let v = p.unit.of(exact)?;
    Some(v.round_dp_with_strategy(p.written.scale(), RoundingStrategy::MidpointAwayFromZero))
}

/// Another reading of a rate's part: the key read instead, and what the reading is in Chinese
/// and in English.
const READINGS: [(&str, &str, Reading); 2] = [
    (
        ".orgs",
        ".covered",
        (
            "按覆盖单位数（联合党组织覆盖的每个单位均计入）而非党组织个数计算",
            "counting units covered (each unit of a joint organization), not organizations",
        ),
    ),
    (
        ".units",
        ".eligible",
        (
            "以符合建组条件的单位而非全部单位为分母",
            "over eligible units, not all units",
        ),
    ),
];

/// A reading, in Chinese and in English.
type Reading = (&'static str, &'static str);

/// The readings of a figure key: itself, then each alternative key with its description.
fn readings(key: &str) -> Vec<(String, Option<Reading>)> {
    let mut out = vec![(key.to_string(), None)];
    for (from, to, what) in READINGS {
        if let Some(stem) = key.strip_suffix(from) {
            out.push((format!("{stem}{to}"), Some(what)));
        }
    }
    out
}

/// Checks every claim against `report`'s figures for its whole scope.
pub fn audit(report: &StageReport, claims: &Claims) -> Vec<Finding> {
    let figures = report.totals.figures();
    let lookup =
        |key: &str| -> Option<Figure> { figures.iter().find(|(k, _)| k == key).map(|(_, f)| *f) };
    claims
        .claims
        .iter()
        .enumerate()
        .map(|(i, c)| check(c, i, &lookup))
        .collect()
}

fn check(c: &Claim, i: usize, lookup: &dyn Fn(&str) -> Option<Figure>) -> Finding {
    let mut f = Finding {
        claim: c.id.clone().unwrap_or_else(|| format!("#{}", i + 1)),
        text: c.text.clone(),
        checked: String::new(),
        claimed: c.claimed.clone(),
        verdict: Support::Invalid,
        computed: None,
        exact: None,
        difference: None,
        reading: None,
        problem: None,
    };
    let Some(published) = parse_published(&c.claimed) else {
        f.problem = Some(format!(
            "无法读取声明值 {:?} / cannot read the claimed value {:?}",
            c.claimed, c.claimed
        ));
        return f;
    };
    match (&c.figure, &c.rate) {
        (Some(key), None) => {
            f.checked = key.clone();
            match lookup(key) {
                Some(Figure::Rate(None)) => {
                    f.problem = Some("该比率分母为零 / the rate's denominator is zero".to_string());
                }
                Some(fig) => judge(&mut f, fig.exact(), published, fig_exact_text(fig)),
                None => f.problem = Some(no_figure(key)),
            }
        }
        (None, Some(rate)) => check_rate(&mut f, rate, published, lookup),
        _ => {
            f.problem = Some(
                "声明须给出 figure 或 rate 之一 / a claim gives either `figure` or `rate`"
                    .to_string(),
            );
        }
    }
    f
}

fn no_figure(key: &str) -> String {
    format!("报告中没有数据项 {key} / the report has no figure {key}")
}

fn fig_exact_text(f: Figure) -> Option<String> {
    match f {
        Figure::Rate(Some(r)) => Some(format!("{}/{}", r.numerator(), r.denominator())),
        other => Some(other.text()),
    }
}

/// Sets the verdict from `exact` against `published`: supported or unsupported.
fn judge(f: &mut Finding, exact: Option<Decimal>, p: Published, exact_text: Option<String>) {
    let Some(shown) = exact.and_then(|e| as_published(e, p)) else {
        f.problem = Some("无法计算 / cannot be computed".to_string());
        return;
    };
    f.computed = Some(format!("{}{}", shown, p.unit.suffix()));
    f.exact = exact_text;
    if shown == p.written {
        f.verdict = Support::Supported;
    } else {
        f.verdict = Support::Unsupported;
        f.difference = p
            .written
            .checked_sub(shown)
            .map(|d| format!("{d}{}", p.unit.suffix()));
    }
}

fn part_value(
    part: &RatePart,
    lookup: &dyn Fn(&str) -> Option<Figure>,
) -> Result<(u64, String), String> {
    match part {
        RatePart::Count(n) => Ok((*n, n.to_string())),
        RatePart::Figure(key) => match lookup(key) {
            Some(Figure::Count(n)) => Ok((n, key.clone())),
            Some(_) => Err(format!(
                "{key} 不是计数 / {key} is not a count, so it cannot be part of a rate"
            )),
            None => Err(no_figure(key)),
        },
    }
}

/// Checks a rate claim: its parts' quotient, as published, against the claim; when that does
/// not support it, the other readings of the parts named by figure key.
fn check_rate(
    f: &mut Finding,
    rate: &RateClaim,
    p: Published,
    lookup: &dyn Fn(&str) -> Option<Figure>,
) {
    let parts = (
        part_value(&rate.numerator, lookup),
        part_value(&rate.denominator, lookup),
    );
    let ((n, n_name), (d, d_name)) = match parts {
        (Ok(n), Ok(d)) => (n, d),
        (Err(e), _) | (_, Err(e)) => {
            f.problem = Some(e);
            return;
        }
    };
    f.checked = format!("{n_name} / {d_name}");
    let Some(stated) = exact_rate(n, d) else {
        f.problem = Some("该比率分母为零 / the rate's denominator is zero".to_string());
        return;
    };
    judge(f, Some(stated.to_decimal(28)), p, Some(format!("{n}/{d}")));
    if f.verdict != Support::Unsupported {
        return;
    }
    let nums = part_readings(&rate.numerator, (n, n_name), lookup);
    let dens = part_readings(&rate.denominator, (d, d_name), lookup);
    check_readings(f, p, &nums, &dens);
}

/// The rate `n / d` exactly; none when `d` is zero.
fn exact_rate(n: u64, d: u64) -> Option<crate::model::Ratio> {
    crate::model::Ratio::new("rate", n, d).ok()
}

/// One reading of a rate's part: its value, what it is (a figure key or the number), and the
/// reading described (none for the part as written).
type PartReading = (u64, String, Option<Reading>);

/// The readings of `part`, whose value and name as written are `written`: each of its figure
/// key's [`readings`] that is a count; the part as written when it is a number.
fn part_readings(
    part: &RatePart,
    written: (u64, String),
    lookup: &dyn Fn(&str) -> Option<Figure>,
) -> Vec<PartReading> {
    let keys = match part {
        RatePart::Figure(k) => readings(k),
        RatePart::Count(_) => Vec::new(),
    };
    if keys.is_empty() {
        return vec![(written.0, written.1, None)];
    }
    keys.iter()
        .filter_map(|(k, why)| match lookup(k) {
            Some(Figure::Count(v)) => Some((v, k.clone(), *why)),
            _ => None,
        })
        .collect()
}

/// Tries every pair of readings of the parts but the one as written: the first under which
/// the rate is published as claimed supports the claim under that reading, which `f` says.
fn check_readings(f: &mut Finding, p: Published, nums: &[PartReading], dens: &[PartReading]) {
    for (nv, nk, nwhy) in nums {
        for (dv, dk, dwhy) in dens {
            if nwhy.is_none() && dwhy.is_none() {
                continue;
            }
            let Some(r) = exact_rate(*nv, *dv) else {
                continue;
            };
            if as_published(r.to_decimal(28), p) == Some(p.written) {
                f.verdict = Support::SupportedUnderReading;
                let why: Vec<Reading> = [*nwhy, *dwhy].into_iter().flatten().collect();
                let zh: Vec<&str> = why.iter().map(|w| w.0).collect();
                let en: Vec<&str> = why.iter().map(|w| w.1).collect();
                let parts = format!("{nk} / {dk} = {nv}/{dv}");
                f.reading = Some(format!(
                    "{}：{parts} / {}: {parts}",
                    zh.join("；"),
                    en.join("; ")
                ));
                return;
            }
        }
    }
}

/// The findings as a table in text: each line in Chinese, then the same in English.
pub fn findings_text(findings: &[Finding]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for f in findings {
        let (zh, en) = (f.verdict.label_zh(), f.verdict.label_en());
        let _ = writeln!(out, "[{}] {zh} / {en}", f.claim);
        if let Some(t) = &f.text {
            let _ = writeln!(out, "    声明：{t}");
        }
        let _ = writeln!(out, "    核对：{} = {}", f.checked, f.claimed);
        if let Some(c) = &f.computed {
            let exact = f.exact.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "    重算：{c}，精确值 {exact} / computed: {c} (exact {exact})"
            );
        }
        if let Some(d) = &f.difference {
            let (zh, en) = difference_words(d);
            let _ = writeln!(
                out,
                "    差额（声明值减重算值）：{zh} / difference (claimed − computed): {en}"
            );
        }
        if let Some(r) = &f.reading {
            let _ = writeln!(out, "    口径：{r}");
        }
        if let Some(p) = &f.problem {
            let _ = writeln!(out, "    问题：{p}");
        }
    }
    let count = |v: Support| findings.iter().filter(|f| f.verdict == v).count();
    let (n, a, b, c, d) = (
        findings.len(),
        count(Support::Supported),
        count(Support::SupportedUnderReading),
        count(Support::Unsupported),
        count(Support::Invalid),
    );
    let _ = writeln!(
        out,
        "合计 {n} 项：有据 {a}，另一口径下有据 {b}，无据 {c}，无法核对 {d} / \
         total {n}: supported {a}, supported under a reading {b}, unsupported {c}, invalid {d}"
    );
    out
}

/// A difference in Chinese and in English. Between two rates published as percentages it is
/// in percentage points (57% − 56% is 1 个百分点, not 1%).
fn difference_words(d: &str) -> (String, String) {
    match d.strip_suffix('%') {
        Some(points) => (
            format!("{points}个百分点"),
            format!("{points} percentage points"),
        ),
        None => (d.to_string(), d.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_published_values() {
        let p = parse_published("86.6%").unwrap();
        assert_eq!(
            (p.written.to_string(), p.unit),
            ("86.6".into(), Unit::Percent)
        );
        let p = parse_published("274.741万元").unwrap();
        assert_eq!(
            (p.written.to_string(), p.unit),
            ("274.741".into(), Unit::Wan)
        );
        assert_eq!(parse_published("526000元").unwrap().unit, Unit::Plain);
        assert!(parse_published("").is_none());
        assert!(parse_published("-3").is_none());
        assert!(parse_published("1e5").is_none());
        assert!(parse_published("about 5").is_none());
    }

    #[test]
    fn rounds_as_published() {
        let exact = Decimal::new(5602, 4); // 0.5602
        let p = parse_published("56%").unwrap();
        assert_eq!(as_published(exact, p), Some(Decimal::from(56)));
        let p = parse_published("56.0%").unwrap();
        assert_eq!(as_published(exact, p).unwrap().to_string(), "56.0");
        // Half up, not half even: 0.125 → 0.13.
        let p = parse_published("0.12").unwrap();
        assert_eq!(
            as_published(Decimal::new(125, 3), p).unwrap().to_string(),
            "0.13"
        );
    }

    #[test]
    fn readings_of_coverage_parts() {
        let r = readings("coverage.social.orgs");
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].0, "coverage.social.covered");
        assert_eq!(readings("pledge.practical.total").len(), 1);
    }

    #[test]
    fn unknown_reason_codes_are_stable() {
        let e = Claims::from_json("{\"claims\": [{\"figure\": 3}]}").unwrap_err();
        assert_eq!(e.code(), 5001);
        assert!(e.path.contains("claims[0]"), "{}", e.path);
    }
}
