//! The stage report as Chinese text, in the manner of the seed: sections for pledges, party
//! building and service to the masses, with the numbers in sentences.
//!
//! Every number printed here is read from the report's figures, and rounded for display only,
//! by the rule set's `rounding` (see the `display` module): percentages to `percent_places`,
//! 万元 to `wan_places`, half up (四舍五入) unless the rules say otherwise. Sentences use
//! full-width punctuation (，；：（）), as a 公文 does; no figure key and no identifier appears:
//! organizations by name, kinds by their Chinese label.

use std::fmt::Write as _;

use jiff::civil::Date;

use super::Quota;
use super::display::{percent, wan_yuan};
use super::stage::{Figure, Part, Span, StageFigures, StageReport};
use crate::method123::Tier;
use crate::model::{OrgKind, UnitKind};
use crate::pledge::{Carrier, PledgeKind};
use crate::rules::RoundingRules;

/// A date as Chinese text: `2010年10月31日`.
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A span as Chinese text: `2010年7月1日至2010年9月30日`, or `自活动开始至2010年10月31日`
/// when the span starts with the campaign.
pub fn span_zh(span: Span) -> String {
    match span.from {
        None => format!("自活动开始至{}", date_zh(span.as_of)),
        Some(from) => format!("{}至{}", date_zh(from), date_zh(span.as_of)),
    }
}

/// What one carrier's outputs are called in the seed, with their measure word.
pub(crate) fn output_phrase(name: &str) -> (&'static str, &'static str) {
    match name {
        "problems_solved" => ("解决群众难题", "个"),
        "matters_done" => ("为群众办实事", "件"),
        "clinics_held" => ("开展医疗健康义诊", "次"),
        "cleanups_held" => ("组织卫生保洁", "次"),
        "volunteer_teams" => ("组建党员义工服务队", "支"),
        "supervision_actions" => ("开展健康网吧监督行动", "次"),
        "resident_events" => ("组织居民联欢活动", "场"),
        "tech_groups" => ("建立技术攻关小组、红旗车等", "个（台）"),
        "projects_completed" => ("参与完成技改项目", "个"),
        _ => ("完成", "项"),
    }
}

/// Who makes each carrier's pledges.
fn carrier_members(c: Carrier) -> &'static str {
    match c {
        Carrier::SetPostDuty => "农民党员",
        Carrier::DualPost => "机关党员",
        Carrier::BuildingDuty => "社区党员",
        Carrier::VanguardPost => "企业党员",
    }
}

/// How the seed says "throughout the scope": 全市 for a city, 全镇 for a township, …
pub fn area_word(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::ProvinceCommittee => "全省",
        OrgKind::CityCommittee => "全市",
        OrgKind::TownshipCommittee => "全镇",
        OrgKind::StreetCommittee => "全街道",
        OrgKind::FarmCommittee => "全场",
        OrgKind::Village => "全村",
        OrgKind::Community => "全社区",
        _ => "本单位",
    }
}

fn tier_label(t: Tier) -> &'static str {
    match t {
        Tier::Village => "村级组织接办",
        Tier::Township => "乡镇站所联办",
        Tier::PartyCommittee => "党委考核督办",
    }
}

/// What a 123 quota asks, in words.
pub(crate) fn quota_label(q: Quota) -> &'static str {
    match q {
        Quota::Receptions => "每周接待来访群众",
        Quota::Visits => "每月走访困难群众",
        Quota::Concerns => "每季度办理热点难点问题",
    }
}

/// One section of the report: a heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading (`一、公开承诺`).
    pub title: String,
    /// The paragraphs, each a sentence or a few.
    pub paragraphs: Vec<String>,
}

/// Pads `s` to `width` display columns (CJK characters take two).
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(columns(s))))
}

/// Right-aligns `s` in `width` display columns.
pub fn lpad(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(columns(s))))
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Display columns of `s` (CJK characters take two).
pub fn columns(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// One numeric column of the table of the scope's direct subordinates (附表), shared by the text,
/// the page and the workbook: its heading, and its figure for one part's figures (the text and
/// the page write it as displayed, the workbook as a number).
pub(crate) struct PartColumn {
    /// The heading, with its measure word.
    pub heading: &'static str,
    /// The figure of a part's figures, exact.
    pub figure: fn(&StageFigures) -> Figure,
}

/// The main figures of each direct subordinate, in the table's order.
pub(crate) const PART_COLUMNS: [PartColumn; 9] = [
    PartColumn {
        heading: "实事承诺（件）",
        figure: |f| Figure::Count(f.pledges.made_of(PledgeKind::PracticalMatter)),
    },
    PartColumn {
        heading: "已完成（件）",
        figure: |f| Figure::Count(f.pledges.fulfilled_of(PledgeKind::PracticalMatter)),
    },
    PartColumn {
        heading: "完成率",
        figure: |f| Figure::Rate(f.pledges.completion_rate(PledgeKind::PracticalMatter)),
    },
    PartColumn {
        heading: "接待群众（人次）",
        figure: |f| Figure::Count(f.method123.visitors_received),
    },
    PartColumn {
        heading: "走访困难群众（户）",
        figure: |f| Figure::Count(f.method123.households_visited),
    },
    PartColumn {
        heading: "收集问题（件）",
        figure: |f| Figure::Count(f.method123.concerns_collected),
    },
    PartColumn {
        heading: "已解决（件）",
        figure: |f| Figure::Count(f.method123.concerns_resolved()),
    },
    PartColumn {
        heading: "热线受理（件次）",
        figure: |f| Figure::Count(f.activity.hotline_cases_received),
    },
    PartColumn {
        heading: "累计捐款",
        figure: |f| Figure::Yuan(f.activity.donation_amount_yuan()),
    },
];

impl StageReport {
    /// The report's heading line and its scope line: the scope by name, the span, the rule set
    /// by name and how it rounds.
    pub fn heading(&self) -> (String, String) {
        let r = &self.display.rounding;
        (
            format!("{} 阶段点评报告", self.campaign_name),
            format!(
                "范围：{}。统计期：{}。统计口径：{}。规则：{}，百分比保留{}位小数、万元保留{}位小数，{}。",
                self.scope_zh(),
                span_zh(self.span),
                self.reading.label_zh(),
                self.display.label_zh(),
                r.percent_places,
                r.wan_places,
                r.mode.label_zh(),
            ),
        )
    }

    /// The scope as the scope line names it: the organization and its subordinates; for merged
    /// figures named after their parts' common parent, the parts it holds (up to five by name).
    fn scope_zh(&self) -> String {
        if !self.parts_of_parent {
            return format!("{}及所属党组织", self.scope_name);
        }
        let names: Vec<String> = self.parts.iter().map(Part::label_zh).collect();
        let parts = match names.as_slice() {
            [] => "下级党组织".to_string(),
            few if few.len() <= 5 => few.join("、"),
            [first, ..] => format!("{first}等{}个党组织", names.len()),
        };
        format!("{}所属{parts}及其所属党组织", self.scope_name)
    }

    /// The report's sections in the seed's order: pledges, party building, service.
    pub fn sections(&self) -> Vec<Section> {
        let w = Words {
            t: &self.totals,
            // Merged figures under their parts' common parent may hold only some of its
            // subordinates: not 全市 but the scope line's.
            area: if self.parts_of_parent {
                "上述范围内"
            } else {
                area_word(self.scope_kind)
            },
            r: &self.display.rounding,
        };
        let mut pledges = Vec::new();
        pledges_text(&mut pledges, &w, self.span);
        carriers_text(&mut pledges, &w);
        let mut building = Vec::new();
        coverage_text(&mut building, &w);
        deliberation_text(&mut building, &w);
        guidance_text(&mut building, &w);
        let mut service = Vec::new();
        method123_text(&mut service, &w, self.method123_from);
        service_text(&mut service, &w);
        vec![
            Section {
                title: "一、公开承诺".to_string(),
                paragraphs: pledges,
            },
            Section {
                title: "二、基层党建".to_string(),
                paragraphs: building,
            },
            Section {
                title: "三、服务群众".to_string(),
                paragraphs: service,
            },
        ]
    }

    /// The report as Chinese text: the seed's sections, numbers in sentences; then the table of
    /// the scope's direct subordinates with their main figures (附表一) and every figure of the
    /// report by its Chinese label (附表二).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let (title, scope) = self.heading();
        let _ = writeln!(out, "{title}\n{scope}");
        for s in self.sections() {
            let _ = writeln!(out, "\n{}", s.title);
            for p in s.paragraphs {
                let _ = writeln!(out, "  {p}");
            }
        }
        self.parts_text(&mut out);
        self.figures_text(&mut out);
        out
    }

    /// 附表一: one row per direct subordinate, with its kind and main figures.
    fn parts_text(&self, out: &mut String) {
        let r = &self.display.rounding;
        let _ = writeln!(out, "\n附表一　各下级党组织主要数据");
        let rows: Vec<(String, &str, Vec<String>)> = self
            .parts
            .iter()
            .map(|p| {
                let values = PART_COLUMNS
                    .iter()
                    .map(|c| (c.figure)(&p.figures).display(r));
                (p.label_zh(), p.kind.label_zh(), values.collect())
            })
            .collect();
        let name_w = rows
            .iter()
            .map(|(n, ..)| columns(n))
            .max()
            .unwrap_or(0)
            .max(8)
            + 2;
        let kind_w = rows
            .iter()
            .map(|(_, k, _)| columns(k))
            .max()
            .unwrap_or(0)
            .max(4)
            + 2;
        let widths: Vec<usize> = PART_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let values = rows.iter().map(|(.., v)| columns(&v[i]));
                values.max().unwrap_or(0).max(columns(c.heading)) + 2
            })
            .collect();
        let _ = write!(out, "  {}{}", pad("党组织", name_w), pad("类别", kind_w));
        for (c, w) in PART_COLUMNS.iter().zip(&widths) {
            out.push_str(&lpad(c.heading, *w));
        }
        out.push('\n');
        for (name, kind, values) in &rows {
            let _ = write!(out, "  {}{}", pad(name, name_w), pad(kind, kind_w));
            for (v, w) in values.iter().zip(&widths) {
                out.push_str(&lpad(v, *w));
            }
            out.push('\n');
        }
    }

    /// 附表二: every figure of the report by its Chinese label, as displayed.
    fn figures_text(&self, out: &mut String) {
        let r = &self.display.rounding;
        let _ = writeln!(out, "\n附表二　数据项一览（{}）", span_zh(self.span));
        let rows: Vec<(String, String)> = self
            .totals
            .figures()
            .into_iter()
            .map(|(k, f)| {
                let label = super::display::figure_label_zh(&k).unwrap_or_default();
                (label, f.display(r))
            })
            .collect();
        let label_w = rows.iter().map(|(l, _)| columns(l)).max().unwrap_or(0) + 2;
        for (label, value) in rows {
            let _ = writeln!(out, "  {}{value}", pad(&label, label_w));
        }
    }
}

/// What every section's sentences are written from: the scope's figures, the word for its
/// area (全市), and the rules' rounding.
struct Words<'a> {
    t: &'a StageFigures,
    area: &'static str,
    r: &'a RoundingRules,
}

/// The pledges made and fulfilled: as of a day (截至…), or made in a span (统计期内…).
fn pledges_text(out: &mut Vec<String>, w: &Words<'_>, span: Span) {
    let p = &w.t.pledges;
    let practical = PledgeKind::PracticalMatter;
    let rate = p
        .completion_rate(practical)
        .map(|r| format!("，占总数的{}", percent(Some(r), w.r)))
        .unwrap_or_default();
    let (made, done) = match span.from {
        None => (
            format!("截至{}，共做出实事承诺", date_zh(span.as_of)),
            "已完成",
        ),
        Some(_) => (
            format!("统计期内（{}）共做出实事承诺", span_zh(span)),
            "至期末已完成",
        ),
    };
    out.push(format!(
        "{made}{}件，{done}{}件{rate}；工作承诺{}件，{done}{}件。",
        p.made_of(practical),
        p.fulfilled_of(practical),
        p.made_of(PledgeKind::Work),
        p.fulfilled_of(PledgeKind::Work),
    ));
    out.push(format!(
        "实行分级审核，对{}个党组织、{}名党员的承诺书进行了修改完善。",
        p.revised_orgs, p.revised_members
    ));
}

/// Each carrier's members and outputs.
fn carriers_text(out: &mut Vec<String>, w: &Words<'_>) {
    let p = &w.t.pledges;
    out.push("结合四个载体践诺：".to_string());
    for c in Carrier::ALL {
        let o = p.outputs_of(c);
        let mut parts = Vec::new();
        for (name, _) in crate::pledge::Outputs::default().counts() {
            let n = o.count(name).unwrap_or(0);
            if n > 0 {
                let (what, unit) = output_phrase(name);
                parts.push(format!("{what}{n}{unit}"));
            }
        }
        let benefit = o.benefit_yuan();
        if !benefit.is_zero() {
            parts.push(format!("增加效益{}", wan_yuan(benefit, w.r)));
        }
        let done = if parts.is_empty() {
            "尚无践诺成果记录".to_string()
        } else {
            parts.join("、")
        };
        out.push(format!(
            "结合\u{201c}{}\u{201d}活动践诺。{}名{}参与，{}。",
            c.label_zh(),
            p.members_with(c),
            carrier_members(c),
            done
        ));
    }
}

fn coverage_text(out: &mut Vec<String>, w: &Words<'_>) {
    out.push("（一）党的组织覆盖".to_string());
    for k in UnitKind::ALL {
        let c = w.t.coverage.of_kind(k);
        if c.units == 0 {
            continue;
        }
        out.push(format!(
            "{}{}{}家，其中符合建组条件的{}家，已建立党组织{}个，覆盖单位{}家，建组率{}。",
            w.area,
            k.label_zh(),
            c.units,
            c.eligible,
            c.orgs,
            c.covered,
            percent(c.rate(), w.r),
        ));
    }
    out.push(
        "（建组率按覆盖的单位数计算，联合党组织覆盖的每个单位均计入，而非按党组织个数计算。）"
            .to_string(),
    );
}

fn method123_text(out: &mut Vec<String>, w: &Words<'_>, from: Option<Date>) {
    let m = &w.t.method123;
    out.push("（一）推行\u{201c}123工作法\u{201d}".to_string());
    out.push(format!(
        "{}{}名村党组织书记和{}名支委成员（{}人有工作记录），先后接待群众{}人次（接待{}次）；\
         走访困难群众{}户（{}户次）；收集群众反映的实际问题{}件，已解决{}件，在办{}件。",
        w.area,
        m.secretaries,
        m.committee_members,
        m.cadres_taking_part,
        m.visitors_received,
        m.receptions,
        m.households_visited,
        m.household_visits,
        m.concerns_collected,
        m.concerns_resolved(),
        m.concerns_open(),
    ));
    let resolved: Vec<String> = Tier::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}{}件", tier_label(*t), m.concerns_resolved_by_tier[i]))
        .collect();
    out.push(format!(
        "已解决的问题中，{}；逾期未按规定升级办理的{}件。",
        resolved.join("、"),
        m.concerns_overdue
    ));
    let Some(start) = from else {
        return;
    };
    let c = &w.t.compliance;
    let rates: Vec<String> = Quota::ALL
        .iter()
        .map(|q| {
            format!(
                "{}村级达标率{}、班子成员达标率{}",
                quota_label(*q),
                percent(c.orgs_for(*q).rate(), w.r),
                percent(c.cadres_for(*q).rate(), w.r)
            )
        })
        .collect();
    out.push(format!(
        "自{}起按完整周期考核：{}。",
        date_zh(start),
        rates.join("；")
    ));
}

fn deliberation_text(out: &mut Vec<String>, w: &Words<'_>) {
    let d = &w.t.deliberation;
    out.push("（二）村级重大事项民主决策\u{201c}四议一审\u{201d}".to_string());
    let rejected = d.rejected_by_committees + d.rejected_by_members + d.rejected_by_villagers;
    out.push(format!(
        "{}共动议村级重大事项{}件，乡镇党委政府审核否决{}件，村民代表大会决议通过{}件；\
         两委会、党员大会或村民会议未通过{}件，尚在办理{}件。决议公开{}件，实施结果公开{}件。",
        w.area,
        d.proposed,
        d.vetoed,
        d.resolved,
        rejected,
        d.in_progress,
        d.resolutions_published,
        d.results_published,
    ));
}

fn guidance_text(out: &mut Vec<String>, w: &Words<'_>) {
    let a = &w.t.activity;
    out.push("（三）联系点、指导员与结对共建".to_string());
    out.push(format!(
        "{}{}名市级党员领导干部、{}名科级党员领导干部在基层党组织建立联系点{}个；\
         向非公有制企业、新社会组织和行政村派驻指导员{}名（派驻单位{}家、行政村{}个）。",
        w.area,
        a.contact_leaders.city,
        a.contact_leaders.section,
        a.contact_points.city + a.contact_points.section,
        a.instructors,
        a.instructed_units.non_public_enterprise
            + a.instructed_units.social_organization
            + a.instructed_units.cooperative,
        a.instructed_villages,
    ));
    let parts: Vec<String> = UnitKind::ALL
        .iter()
        .filter(|k| w.t.coverage.of_kind(**k).eligible > 0)
        .map(|k| {
            let c = w.t.coverage.of_kind(*k);
            format!("{}{}", k.label_zh(), percent(c.work_rate(), w.r))
        })
        .collect();
    if !parts.is_empty() {
        out.push(format!(
            "党的工作覆盖面（已建组织或派驻指导员的单位占符合条件单位的比例）：{}。",
            parts.join("、")
        ));
    }
    pairing_text(out, w);
}

/// 双包双联: who is paired with the villages, when anyone is.
fn pairing_text(out: &mut Vec<String>, w: &Words<'_>) {
    let a = &w.t.activity;
    let p = &a.pairing_partners;
    if p.department + p.institution + p.cadre + a.paired_villages == 0 {
        return;
    }
    out.push(format!(
        "深化“双包双联”活动，{}有{}个市直部门、{}个事业单位和{}名党员干部与{}个农村党组织结对共建。",
        w.area, p.department, p.institution, p.cadre, a.paired_villages,
    ));
}

fn service_text(out: &mut Vec<String>, w: &Words<'_>) {
    let a = &w.t.activity;
    out.push("（二）惠民行动".to_string());
    out.push(format!(
        "民生热线受理各类问题{}件次，已解决实际问题{}件，已回复{}件，回复率{}。",
        a.hotline_cases_received,
        a.hotline_cases_resolved,
        a.hotline_cases_replied,
        percent(a.hotline_reply_rate().ok(), w.r),
    ));
    out.push(format!(
        "{}{}名党员干部累计捐款{}。",
        w.area,
        a.donation_donors,
        wan_yuan(a.donation_amount_yuan(), w.r),
    ));
    out.push(format!(
        "{}名党员干部深入基层走访{}次，解决问题{}件，帮扶款物折合人民币{}。",
        a.home_visit_cadres,
        a.home_visits,
        a.home_visit_problems_solved,
        wan_yuan(a.home_visit_aid_yuan(), w.r),
    ));
    out.push("（三）党员义工服务".to_string());
    out.push(format!(
        "{}共建立{}支党员义工队伍，{}名党员参与活动，开展集中服务{}次，服务群众{}人次。",
        w.area,
        a.volunteer_teams,
        a.volunteer_members,
        a.volunteer_activities,
        a.volunteer_people_served,
    ));
}
