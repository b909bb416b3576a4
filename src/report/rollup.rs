//! Figures alone, and their merge: the stage review across machines.
//!
//! A province keeps its own journal, and the country's journals do not fit one machine. What
//! does travel is a [`FiguresDoc`]: the mergeable aggregates ([`StageFigures`]) of one or more
//! scopes, with everything they were computed under (the campaign, the span, the reading, the
//! 123 method's first day, the rule set by name, version and SM3 hash). Its JSON
//! (`chuangzheng.stage_figures`, version 1, docs/report.md "Figures alone") is a few kilobytes
//! a scope.
//!
//! [`FiguresDoc::merge`] adds any number of them, refusing figures computed under different
//! terms and scopes that overlap (the same organization counted twice), and
//! [`StageReport::from_figures`] writes the report (text, JSON, page, workbook) of the merge:
//! every rate and 万元 amount computed from the merged counts, never averaged.
//!
//! ```
//! use chuangzheng::demo::{self, DemoSpec};
//! use chuangzheng::report::{FiguresDoc, Reading, Span, StageReport};
//!
//! let campaign = demo::build(&DemoSpec::small()).unwrap();
//! let state = campaign.state();
//! let span = Span::as_of(demo::AS_OF);
//! let townships: Vec<FiguresDoc> = ["t-01", "t-02"]
//!     .iter()
//!     .map(|id| {
//!         let org = state.org_by_id(id).unwrap();
//!         FiguresDoc::of(&campaign, org, span, Reading::AsOf)
//!     })
//!     .collect();
//! // Each travels as JSON, and reads back the same.
//! let json = townships[0].to_json();
//! assert_eq!(FiguresDoc::from_json(&json).unwrap(), townships[0]);
//! let both = FiguresDoc::merge(&townships, None).unwrap();
//! let report = StageReport::from_figures(&both).unwrap();
//! assert_eq!(report.parts.len(), 2);
//! assert!(report.to_text().contains("实事承诺"));
//! // The same township twice is counted twice: refused.
//! let twice = FiguresDoc::merge(&[townships[0].clone(), townships[0].clone()], None);
//! assert_eq!(chuangzheng::Coded::code(&twice.unwrap_err()), 5006);
//! ```

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::display::DisplayRules;
use super::stage::{Part, Span, StageFigures, StageReport, method123_start};
use super::{Attribution, Reading};
use crate::Coded;
use crate::ledger::{Campaign, State};
use crate::model::{ExtId, Name, OrgIdx, OrgKind};

/// The format name of a figures document.
pub const FIGURES_FORMAT: &str = "chuangzheng.stage_figures";
/// The version of the format this build writes and reads.
pub const FIGURES_VERSION: u32 = 1;
/// The largest count (or amount in fen) a figures document may hold: 2^53 − 1, the largest
/// integer every JSON reader (JavaScript, Python, Java) holds exactly. A merge whose sum would
/// pass it is refused.
pub const MAX_FIGURE: u64 = (1 << 53) - 1;
/// The most scopes one figures document lists (a country's cities, and more).
pub const MAX_SCOPES: usize = 1_000_000;

/// The campaign figures were computed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignRef {
    /// Its identifier.
    pub id: ExtId,
    /// Its name.
    pub name: Name,
}

/// The rule set figures were computed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesRef {
    /// Its name.
    pub name: String,
    /// Its format version.
    pub version: u32,
    /// The SM3 hash of its canonical JSON, as the journal's header holds it (64 hex digits).
    pub hash: String,
}

/// An organization, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgRef {
    /// Its identifier.
    pub org: ExtId,
    /// Its name on the as-of date.
    pub name: Name,
    /// Its kind.
    pub kind: OrgKind,
}

/// One scope's figures: an organization's subtree, where it sits, what sits under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeFigures {
    /// The scope's organization.
    pub org: ExtId,
    /// Its name on the as-of date.
    pub name: Name,
    /// Its kind.
    pub kind: OrgKind,
    /// Its ancestors on the as-of date as its journal knows them, the journal's root first
    /// (empty for a journal's root).
    pub path: Vec<OrgRef>,
    /// Its direct subordinates (and, under the historical reading, former ones) counted in it.
    pub subordinates: Vec<ExtId>,
    /// Its subtree's figures.
    pub figures: StageFigures,
}

/// Mergeable figures of one or more scopes, and what they were computed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresDoc {
    /// Always [`FIGURES_FORMAT`].
    pub format: String,
    /// Always [`FIGURES_VERSION`].
    pub version: u32,
    /// The campaign.
    pub campaign: CampaignRef,
    /// The first day counted; `None`: since the campaign began.
    pub from: Option<Date>,
    /// The last day counted, and the day standings and the tree are taken on.
    pub as_of: Date,
    /// How records are placed in the tree (统计口径).
    pub attribution: Reading,
    /// The day the 123 quotas are judged from, if the method has records.
    pub method123_from: Option<Date>,
    /// The rule set.
    pub rules: RulesRef,
    /// How figures are rounded for display, from the rule set.
    pub display: DisplayRules,
    /// The name the merge's report goes under, when a merge was given one; otherwise the
    /// report names the scopes' common parent ([`FiguresDoc::head`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<OrgRef>,
    /// The scopes, by identifier.
    pub scopes: Vec<ScopeFigures>,
    /// The merge of the scopes' figures.
    pub totals: StageFigures,
}

/// Why figures could not be read, merged or reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FiguresError {
    /// The document cannot be read, or holds what no engine writes (code 5004).
    #[error("figures document: field {field}: {en}")]
    Invalid {
        /// The field at fault (a JSON path).
        field: String,
        /// Why, in Chinese.
        zh: String,
        /// Why, in English.
        en: String,
    },
    /// Two documents were computed under different terms (code 5005).
    #[error(
        "figures computed under different {field}: {left} ({left_scope}) and {right} ({right_scope})"
    )]
    Incompatible {
        /// What differs (`as_of`, `rules.hash`, …).
        field: &'static str,
        /// The first document's value.
        left: String,
        /// Its first scope.
        left_scope: String,
        /// The other document's value.
        right: String,
        /// Its first scope.
        right_scope: String,
    },
    /// Two scopes overlap: the same organizations would be counted twice (code 5006).
    #[error("scopes overlap: {left} ({left_id}) and {right} ({right_id}) share organizations")]
    Overlap {
        /// One scope's name.
        left: String,
        /// Its identifier.
        left_id: String,
        /// The other's name.
        right: String,
        /// Its identifier.
        right_id: String,
    },
    /// Figures of several scopes without a common parent, and no title to report them under
    /// (code 5007).
    #[error("the figures cover {scopes} scopes without a common parent: give the merge a title")]
    NoTitle {
        /// How many scopes.
        scopes: usize,
    },
}

impl Coded for FiguresError {
    fn code(&self) -> u32 {
        match self {
            FiguresError::Invalid { .. } => 5004,
            FiguresError::Incompatible { .. } => 5005,
            FiguresError::Overlap { .. } => 5006,
            FiguresError::NoTitle { .. } => 5007,
        }
    }
    fn message_zh(&self) -> String {
        match self {
            FiguresError::Invalid { field, zh, .. } => {
                format!("统计数据文件无法读取：字段 {field}，{zh}")
            }
            FiguresError::Incompatible {
                field,
                left,
                left_scope,
                right,
                right_scope,
            } => format!(
                "统计口径不一致，不能合并：{}，{left_scope}为 {left}，{right_scope}为 {right}",
                field_zh(field)
            ),
            FiguresError::Overlap {
                left,
                left_id,
                right,
                right_id,
            } => format!(
                "统计范围重叠，不能合并：{left}（{left_id}）与{right}（{right_id}）含有相同的党组织，会重复计数"
            ),
            FiguresError::NoTitle { scopes } => {
                format!("{scopes}个统计范围没有共同的上级，请在合并时给出汇总名称（--title）")
            }
        }
    }
    fn message_en(&self) -> String {
        self.to_string()
    }
}

/// A compared field's name in Chinese.
fn field_zh(field: &str) -> &'static str {
    match field {
        "campaign" => "活动",
        "from" => "统计起始日",
        "as_of" => "统计截止日",
        "attribution" => "统计口径",
        "method123_from" => "123工作法起算日",
        "rules" => "规则",
        "rules.hash" => "规则内容（哈希）",
        "display" => "显示规则",
        _ => "统计条件",
    }
}

fn invalid(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> FiguresError {
    FiguresError::Invalid {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }
}

impl FiguresDoc {
    /// The figures of `root`'s subtree in `campaign` over `span`, records placed by `reading`:
    /// the same counts [`StageReport::build_with`] gives as its totals.
    pub fn of(campaign: &Campaign, root: OrgIdx, span: Span, reading: Reading) -> FiguresDoc {
        let state = campaign.state();
        let rules = campaign.rules();
        let split = Attribution::split(state, root, span.as_of).with_reading(state, reading);
        let mut totals = StageFigures::default();
        for f in StageFigures::of_parts(state, rules, &split, span) {
            totals.merge(&f);
        }
        let subordinates = split
            .heads()
            .iter()
            .skip(1)
            .map(|o| state.org(*o).id.clone())
            .collect();
        let head = org_ref(state, root, span.as_of);
        let scope = ScopeFigures {
            org: head.org,
            name: head.name,
            kind: head.kind,
            path: path_of(state, root, span.as_of),
            subordinates,
            figures: totals.clone(),
        };
        let doc = FiguresDoc {
            format: FIGURES_FORMAT.to_string(),
            version: FIGURES_VERSION,
            campaign: CampaignRef {
                id: campaign.info().id.clone(),
                name: campaign.info().name.clone(),
            },
            from: span.from,
            as_of: span.as_of,
            attribution: reading,
            method123_from: method123_start(state, span),
            rules: RulesRef {
                name: rules.name.clone(),
                version: rules.version,
                hash: rules.hash_hex(),
            },
            display: DisplayRules::from(rules),
            title: None,
            scopes: vec![scope],
            totals,
        };
        debug_assert!(doc.check().is_ok(), "the engine writes what it reads");
        doc
    }

    /// The span the figures cover.
    pub fn span(&self) -> Span {
        Span {
            from: self.from,
            as_of: self.as_of,
        }
    }

    /// The document as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a figures document, checking its format and version, its counts (each at most
    /// [`MAX_FIGURE`]), that its scopes do not overlap, and that its totals are its scopes'
    /// merge; an error names the field.
    pub fn from_json(json: &str) -> Result<FiguresDoc, FiguresError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let doc: FiguresDoc = crate::json_error::read_whole(de, "文件").map_err(|d| {
            let (zh, en) = (
                format!("{}{}", d.zh_line_prefix(), d.zh),
                format!("{}{}", d.en, d.en_position()),
            );
            invalid(d.path, zh, en)
        })?;
        doc.check()?;
        Ok(doc)
    }

    /// Checks what serde cannot: see [`FiguresDoc::from_json`].
    fn check(&self) -> Result<(), FiguresError> {
        if self.format != FIGURES_FORMAT {
            let (zh, en) = (
                format!("不是统计数据文件（应为 {FIGURES_FORMAT}）"),
                format!("is not {FIGURES_FORMAT}"),
            );
            return Err(invalid("format", zh, en));
        }
        if self.version != FIGURES_VERSION {
            let v = self.version;
            let (zh, en) = (
                format!("版本 {v} 不受支持（本程序读取版本 {FIGURES_VERSION}）"),
                format!("version {v} is not supported (this build reads {FIGURES_VERSION})"),
            );
            return Err(invalid("version", zh, en));
        }
        check_terms(self)?;
        check_scopes(&self.scopes)?;
        within_bounds("totals", &self.totals)?;
        let totals = sum("totals", self.scopes.iter().map(|s| &s.figures))?;
        if totals != self.totals {
            let (zh, en) = (
                "与各范围数据之和不符",
                "differ from the sum of the scopes' figures",
            );
            return Err(invalid("totals", zh, en));
        }
        Ok(())
    }

    /// The merge of `docs`: their scopes side by side (by identifier), their figures added.
    /// Refused when two were computed under different terms (5005, naming the difference), when
    /// two scopes overlap (5006: the same organization, or one sitting under the other as far
    /// as their journals tell: a scope, its ancestors and its direct subordinates), or when a
    /// sum would pass [`MAX_FIGURE`] (5004). `title` names the whole for its report (as an
    /// organization `merged` of the kind above the scopes': a province over cities); without
    /// it the report names the scopes' common parent.
    pub fn merge(docs: &[FiguresDoc], title: Option<Name>) -> Result<FiguresDoc, FiguresError> {
        let Some(first) = docs.first() else {
            let (zh, en) = ("没有可合并的统计数据", "nothing to merge");
            return Err(invalid("figures", zh, en));
        };
        for d in docs {
            d.check()?;
            compatible(first, d)?;
        }
        let mut scopes: Vec<ScopeFigures> =
            docs.iter().flat_map(|d| d.scopes.iter().cloned()).collect();
        scopes.sort_by(|a, b| a.org.cmp(&b.org));
        // Each scope's counts were checked with its document.
        side_by_side(&scopes)?;
        let totals = sum("totals", docs.iter().map(|d| &d.totals))?;
        let title = match title {
            Some(name) => Some(OrgRef {
                org: ExtId::new("title", "merged")
                    .map_err(|e| invalid("title", e.message_zh(), e.message_en()))?,
                name,
                kind: kind_above(&scopes),
            }),
            None => None,
        };
        let merged = FiguresDoc {
            title,
            scopes,
            totals,
            ..first.clone()
        };
        debug_assert!(merged.check().is_ok(), "a merge is a valid document");
        Ok(merged)
    }

    /// What the report of these figures is titled by: the merge's title; else the one scope;
    /// else the scopes' common parent, when their journals name one. With several scopes the
    /// scopes are the report's parts.
    pub fn head(&self) -> Result<OrgRef, FiguresError> {
        if let Some(t) = &self.title {
            return Ok(t.clone());
        }
        if let [one] = self.scopes.as_slice() {
            return Ok(one.head());
        }
        let parents: Vec<Option<&OrgRef>> = self.scopes.iter().map(|s| s.path.last()).collect();
        match parents.first() {
            Some(Some(p)) if parents.iter().all(|q| q.map(|q| &q.org) == Some(&p.org)) => {
                Ok((*p).clone())
            }
            _ => Err(FiguresError::NoTitle {
                scopes: self.scopes.len(),
            }),
        }
    }
}

impl StageReport {
    /// The report of a figures document ([`FiguresDoc`], one scope or a merge): its totals,
    /// and with several scopes each scope as a part (附表一). The 123 method's month-by-month
    /// grid of villages is each scope's own report's; this one has none.
    pub fn from_figures(doc: &FiguresDoc) -> Result<StageReport, FiguresError> {
        let head = doc.head()?;
        let parts = if doc.scopes.len() > 1 || doc.title.is_some() {
            doc.scopes
                .iter()
                .map(|s| Part {
                    org: s.org.clone(),
                    name: s.name.clone(),
                    kind: s.kind,
                    figures: s.figures.clone(),
                    former: false,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(StageReport {
            campaign_id: doc.campaign.id.clone(),
            campaign_name: doc.campaign.name.clone(),
            scope_org: head.org,
            scope_name: head.name,
            scope_kind: head.kind,
            span: doc.span(),
            reading: doc.attribution,
            method123_from: doc.method123_from,
            rules: format!("{} v{}", doc.rules.name, doc.rules.version),
            display: doc.display.clone(),
            totals: doc.totals.clone(),
            parts,
            months: Vec::new(),
            villages: Vec::new(),
            parts_of_parent: doc.title.is_none() && doc.scopes.len() > 1,
        })
    }
}

impl ScopeFigures {
    /// The scope's organization, named.
    pub fn head(&self) -> OrgRef {
        OrgRef {
            org: self.org.clone(),
            name: self.name.clone(),
            kind: self.kind,
        }
    }
}

/// The kind of organization the scopes sit under: a province over cities, a city over townships
/// and departments, a township over the rest; the highest of them for a mix.
fn kind_above(scopes: &[ScopeFigures]) -> OrgKind {
    let above = |k: OrgKind| match k {
        OrgKind::ProvinceCommittee | OrgKind::CityCommittee => OrgKind::ProvinceCommittee,
        k if k.is_township_level() || k == OrgKind::CityDepartment => OrgKind::CityCommittee,
        _ => OrgKind::TownshipCommittee,
    };
    let rank = |k: &OrgKind| OrgKind::ALL.iter().position(|a| a == k);
    scopes
        .iter()
        .map(|s| above(s.kind))
        .min_by_key(rank)
        .unwrap_or(OrgKind::ProvinceCommittee)
}

fn org_ref(state: &State, org: OrgIdx, on: Date) -> OrgRef {
    let o = state.org(org);
    OrgRef {
        org: o.id.clone(),
        name: o.name_on(on).clone(),
        kind: o.kind,
    }
}

/// `org`'s ancestors on `on`, the root first.
fn path_of(state: &State, org: OrgIdx, on: Date) -> Vec<OrgRef> {
    let mut path = Vec::new();
    let mut at = state.org(org).parent_on(on);
    while let Some(p) = at {
        path.push(org_ref(state, p, on));
        at = state.org(p).parent_on(on);
    }
    path.reverse();
    path
}

/// The terms two documents must share to merge, with their values as text.
fn terms(d: &FiguresDoc) -> [(&'static str, String); 8] {
    let date = |d: Option<Date>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
    [
        ("campaign", d.campaign.id.to_string()),
        ("from", date(d.from)),
        ("as_of", d.as_of.to_string()),
        ("attribution", d.attribution.as_str().to_string()),
        ("method123_from", date(d.method123_from)),
        ("rules", format!("{} v{}", d.rules.name, d.rules.version)),
        ("rules.hash", d.rules.hash.clone()),
        (
            "display",
            serde_json::to_string(&d.display.rounding).unwrap_or_default(),
        ),
    ]
}

fn compatible(a: &FiguresDoc, b: &FiguresDoc) -> Result<(), FiguresError> {
    let scope = |d: &FiguresDoc| {
        d.scopes
            .first()
            .map(|s| s.name.to_string())
            .unwrap_or_default()
    };
    for ((field, left), (_, right)) in terms(a).into_iter().zip(terms(b)) {
        if left != right {
            return Err(FiguresError::Incompatible {
                field,
                left,
                left_scope: scope(a),
                right,
                right_scope: scope(b),
            });
        }
    }
    Ok(())
}

/// The terms' own checks: a hash that is one, a span that runs forward.
fn check_terms(d: &FiguresDoc) -> Result<(), FiguresError> {
    let h = &d.rules.hash;
    if h.len() != 64
        || !h
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        let (zh, en) = (
            "应为 64 位小写十六进制数",
            "must be 64 lowercase hex digits",
        );
        return Err(invalid("rules.hash", zh, en));
    }
    if d.from.is_some_and(|f| f > d.as_of) {
        let (zh, en) = ("晚于统计截止日 as_of", "is after as_of");
        return Err(invalid("from", zh, en));
    }
    Ok(())
}

/// The scopes' own checks: some, not too many, each within bounds, none overlapping another.
fn check_scopes(scopes: &[ScopeFigures]) -> Result<(), FiguresError> {
    for (i, s) in scopes.iter().enumerate() {
        within_bounds(&format!("scopes[{i}].figures"), &s.figures)?;
    }
    side_by_side(scopes)
}

/// What scopes each within bounds must be to stand in one document: 1 to [`MAX_SCOPES`] of
/// them, none overlapping another.
fn side_by_side(scopes: &[ScopeFigures]) -> Result<(), FiguresError> {
    if scopes.is_empty() || scopes.len() > MAX_SCOPES {
        let (zh, en) = (
            format!("范围个数应在 1 到 {MAX_SCOPES} 之间"),
            format!("must list 1 to {MAX_SCOPES} scopes"),
        );
        return Err(invalid("scopes", zh, en));
    }
    disjoint(scopes)
}

/// Refuses two scopes of which one is, or sits under, the other as far as their journals
/// tell: `a` overlaps `b` when `a` or one of its direct subordinates is `b` or one of `b`'s
/// ancestors.
fn disjoint(scopes: &[ScopeFigures]) -> Result<(), FiguresError> {
    // Each id: the scopes it is the head or a direct subordinate of ("below"), and the scopes
    // it is the head or an ancestor of ("known").
    let mut below: HashMap<&str, usize> = HashMap::new();
    let mut known: HashMap<&str, usize> = HashMap::new();
    for (i, s) in scopes.iter().enumerate() {
        let own_below: HashSet<&str> = std::iter::once(&s.org)
            .chain(&s.subordinates)
            .map(ExtId::as_str)
            .collect();
        let own_known: HashSet<&str> = std::iter::once(&s.org)
            .chain(s.path.iter().map(|p| &p.org))
            .map(ExtId::as_str)
            .collect();
        let hit = own_known
            .iter()
            .find_map(|id| below.get(id))
            .or_else(|| own_below.iter().find_map(|id| known.get(id)));
        if let Some(&j) = hit {
            return Err(overlap(&scopes[j], s));
        }
        below.extend(own_below.into_iter().map(|id| (id, i)));
        known.extend(own_known.into_iter().map(|id| (id, i)));
    }
    Ok(())
}

fn overlap(a: &ScopeFigures, b: &ScopeFigures) -> FiguresError {
    FiguresError::Overlap {
        left: a.name.to_string(),
        left_id: a.org.to_string(),
        right: b.name.to_string(),
        right_id: b.org.to_string(),
    }
}

/// The merge of `figures`, each within bounds, refused (at `field`) when a sum passes
/// [`MAX_FIGURE`]: checked every 2,047 additions, before a `u64` could overflow.
fn sum<'a>(
    field: &str,
    figures: impl Iterator<Item = &'a StageFigures>,
) -> Result<StageFigures, FiguresError> {
    let mut total = StageFigures::default();
    for (i, f) in figures.enumerate() {
        total.merge(f);
        if i % 2047 == 2046 {
            within_bounds(field, &total)?;
        }
    }
    within_bounds(field, &total)?;
    Ok(total)
}

/// Refuses figures holding a count past [`MAX_FIGURE`] (at `field`).
fn within_bounds(field: &str, f: &StageFigures) -> Result<(), FiguresError> {
    fn walk(v: &serde_json::Value, path: &mut String) -> Result<(), String> {
        match v {
            serde_json::Value::Number(n) if n.as_u64().is_none_or(|n| n > MAX_FIGURE) => {
                Err(path.clone())
            }
            serde_json::Value::Array(items) => items.iter().enumerate().try_for_each(|(i, v)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(v, path)?;
                path.truncate(len);
                Ok(())
            }),
            serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                walk(v, path)?;
                path.truncate(len);
                Ok(())
            }),
            _ => Ok(()),
        }
    }
    let value = serde_json::to_value(f).unwrap_or_default();
    let mut path = field.to_string();
    walk(&value, &mut path).map_err(|at| {
        let (zh, en) = (
            format!("数值超过上限 {MAX_FIGURE}"),
            format!("a count passes {MAX_FIGURE}"),
        );
        invalid(at, zh, en)
    })
}
