//! The stage report as Chinese text, in the manner of the seed: sections for pledges, party
//! building and service to the masses, with the numbers in sentences.
//!
//! Every number printed here is read from the report's figures; rates are rounded half up
//! (四舍五入) to one place of percent, amounts shown in 万元 exactly.

use std::fmt::Write as _;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::Quota;
use super::stage::{StageFigures, StageReport, percent_text};
use crate::method123::Tier;
use crate::model::{OrgKind, Ratio, UnitKind};
use crate::pledge::{Carrier, PledgeKind};

/// A date as Chinese text: `2010年10月31日`.
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// An amount in yuan as 万元, exact and without trailing zeros: `274.741万元`; amounts below
/// ten thousand yuan stay in 元.
pub fn wan_yuan(yuan: Decimal) -> String {
    if yuan.abs() < Decimal::from(10_000) {
        return format!("{}元", yuan.normalize());
    }
    // Dividing by 10⁴ is exact: it only moves the decimal point.
    let mut wan = yuan;
    let scale = wan.scale();
    if wan.set_scale(scale + 4).is_err() {
        return format!("{}元", yuan.normalize());
    }
    format!("{}万元", wan.normalize())
}

/// A rate as `56.0%`, or `—` when it is undefined.
pub fn percent(r: Option<Ratio>) -> String {
    r.map_or("—".to_string(), |r| format!("{}%", percent_text(r)))
}

/// What one carrier's outputs are called in the seed, with their measure word.
fn output_phrase(name: &str) -> (&'static str, &'static str) {
    match name {
        "problems_solved" => ("解决群众难题", "个"),
        "matters_done" => ("为群众办实事", "件"),
        "clinics_held" => ("开展医疗健康义诊", "次"),
        "cleanups_held" => ("组织卫生保洁", "次"),
        "volunteer_teams" => ("组建党员义工服务队", "支"),
        "supervision_actions" => ("开展健康网吧监督行动", "次"),
        "resident_events" => ("组织居民联欢活动", "场"),
        "tech_groups" => ("建立技术攻关小组、红旗车等", "个(台)"),
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

fn quota_label(q: Quota) -> &'static str {
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
    let cols: usize = s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cols)))
}

/// Right-aligns `s` in `width` display columns.
pub fn lpad(s: &str, width: usize) -> String {
    let cols: usize = s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum();
    format!("{}{s}", " ".repeat(width.saturating_sub(cols)))
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

impl StageReport {
    /// The report's heading line and its scope line.
    pub fn heading(&self) -> (String, String) {
        (
            format!("{} 阶段点评报告", self.campaign_name),
            format!(
                "范围: {} ({});统计{}至{}。规则: {}。",
                self.scope_name,
                self.scope_org,
                self.span.from.map_or("自活动开始".to_string(), |f| format!(
                    "自{}",
                    date_zh(f)
                )),
                date_zh(self.span.as_of),
                self.rules
            ),
        )
    }

    /// The report's sections in the seed's order: pledges, party building, service.
    pub fn sections(&self) -> Vec<Section> {
        let t = &self.totals;
        let area = area_word(self.scope_kind);
        let mut pledges = Vec::new();
        pledges_text(&mut pledges, t, self.span.as_of);
        let mut building = Vec::new();
        coverage_text(&mut building, t, area);
        deliberation_text(&mut building, t, area);
        guidance_text(&mut building, t, area);
        let mut service = Vec::new();
        method123_text(&mut service, self, area);
        service_text(&mut service, t, area);
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

    /// The report as Chinese text (the seed's sections, numbers in sentences), with the parts'
    /// completion and the figure keys of the JSON report in closing tables.
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
        let _ = writeln!(out, "\n附一、各下级党组织实事承诺完成情况");
        let _ = writeln!(
            out,
            "  {}{}{}{}",
            pad("党组织", 28),
            lpad("实事承诺", 10),
            lpad("已完成", 10),
            lpad("完成率", 10)
        );
        for p in &self.parts {
            let f = &p.figures.pledges;
            let kind = PledgeKind::PracticalMatter;
            let _ = writeln!(
                out,
                "  {}{:>10}{:>10}{:>10}",
                pad(p.name.as_str(), 28),
                f.made_of(kind),
                f.fulfilled_of(kind),
                percent(f.completion_rate(kind))
            );
        }
        let _ = writeln!(out, "\n附二、数据项 (figures)");
        for (k, v) in self.totals.figures() {
            let _ = writeln!(out, "  {k:<48} {}", v.text());
        }
        out
    }
}

fn pledges_text(out: &mut Vec<String>, t: &StageFigures, as_of: Date) {
    let p = &t.pledges;
    let practical = PledgeKind::PracticalMatter;
    out.push(format!(
        "截至{},共做出实事承诺{}件,已完成{}件,占总数的{};工作承诺{}件,已完成{}件。",
        date_zh(as_of),
        p.made_of(practical),
        p.fulfilled_of(practical),
        percent(p.completion_rate(practical)),
        p.made_of(PledgeKind::Work),
        p.fulfilled_of(PledgeKind::Work),
    ));
    out.push(format!(
        "实行分级审核,对{}个党组织、{}名党员的承诺书进行了修改完善。",
        p.revised_orgs, p.revised_members
    ));
    out.push("结合四个载体践诺:".to_string());
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
            parts.push(format!("增加效益{}", wan_yuan(benefit)));
        }
        let done = if parts.is_empty() {
            "尚无践诺成果记录".to_string()
        } else {
            parts.join("、")
        };
        out.push(format!(
            "结合\u{201c}{}\u{201d}活动践诺。{}名{}参与,{}。",
            c.label_zh(),
            p.members_with(c),
            carrier_members(c),
            done
        ));
    }
}

fn coverage_text(out: &mut Vec<String>, t: &StageFigures, area: &str) {
    out.push("(一) 党的组织覆盖".to_string());
    for k in UnitKind::ALL {
        let c = t.coverage.of_kind(k);
        if c.units == 0 {
            continue;
        }
        out.push(format!(
            "{area}{}{}家,其中符合建组条件的{}家,已建立党组织{}个,覆盖单位{}家,建组率{}。",
            k.label_zh(),
            c.units,
            c.eligible,
            c.orgs,
            c.covered,
            percent(c.rate()),
        ));
    }
    out.push(
        "(建组率按覆盖的单位数计算,联合党组织覆盖的每个单位均计入,而非按党组织个数计算。)"
            .to_string(),
    );
}

fn method123_text(out: &mut Vec<String>, r: &StageReport, area: &str) {
    let m = &r.totals.method123;
    out.push("(一) 推行\u{201c}123工作法\u{201d}".to_string());
    out.push(format!(
        "{area}{}名村党组织书记和{}名支委成员({}人有工作记录),先后接待群众{}人次(接待{}次);\
         走访困难群众{}户({}户次);收集群众反映的实际问题{}件,已解决{}件,在办{}件。",
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
        "已解决的问题中,{};逾期未按规定升级办理的{}件。",
        resolved.join("、"),
        m.concerns_overdue
    ));
    if let Some(start) = r.method123_from {
        let rates: Vec<String> = Quota::ALL
            .iter()
            .map(|q| {
                format!(
                    "{}村级达标率{}、班子成员达标率{}",
                    quota_label(*q),
                    percent(r.totals.compliance.orgs_for(*q).rate()),
                    percent(r.totals.compliance.cadres_for(*q).rate())
                )
            })
            .collect();
        out.push(format!(
            "自{}起按完整周期考核:{}。",
            date_zh(start),
            rates.join(";")
        ));
    }
}

fn deliberation_text(out: &mut Vec<String>, t: &StageFigures, area: &str) {
    let d = &t.deliberation;
    out.push("(二) 村级重大事项民主决策\u{201c}四议一审\u{201d}".to_string());
    let rejected = d.rejected_by_committees + d.rejected_by_members + d.rejected_by_villagers;
    out.push(format!(
        "{area}共动议村级重大事项{}件,乡镇党委政府审核否决{}件,村民代表大会决议通过{}件;\
         两委会、党员大会或村民会议未通过{}件,尚在办理{}件。决议公开{}件,实施结果公开{}件。",
        d.proposed,
        d.vetoed,
        d.resolved,
        rejected,
        d.in_progress,
        d.resolutions_published,
        d.results_published,
    ));
}

fn guidance_text(out: &mut Vec<String>, t: &StageFigures, area: &str) {
    let a = &t.activity;
    out.push("(三) 联系点与指导员".to_string());
    out.push(format!(
        "{area}{}名市级党员领导干部、{}名科级党员领导干部在基层党组织建立联系点{}个;\
         向非公有制企业、新社会组织和行政村派驻指导员{}名(派驻单位{}家、行政村{}个)。",
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
        .filter(|k| t.coverage.of_kind(**k).eligible > 0)
        .map(|k| {
            let c = t.coverage.of_kind(*k);
            format!("{}{}", k.label_zh(), percent(c.work_rate()))
        })
        .collect();
    if !parts.is_empty() {
        out.push(format!(
            "党的工作覆盖面(已建组织或派驻指导员的单位占符合条件单位的比例):{}。",
            parts.join("、")
        ));
    }
}

fn service_text(out: &mut Vec<String>, t: &StageFigures, area: &str) {
    let a = &t.activity;
    out.push("(二) 惠民行动".to_string());
    out.push(format!(
        "民生热线受理各类问题{}件次,已解决实际问题{}件,已回复{}件,回复率{}。",
        a.hotline_cases_received,
        a.hotline_cases_resolved,
        a.hotline_cases_replied,
        percent(a.hotline_reply_rate().ok()),
    ));
    out.push(format!(
        "{area}{}名党员干部累计捐款{}。",
        a.donation_donors,
        wan_yuan(a.donation_amount_yuan()),
    ));
    out.push(format!(
        "{}名党员干部深入基层走访{}次,解决问题{}件,帮扶款物折合人民币{}。",
        a.home_visit_cadres,
        a.home_visits,
        a.home_visit_problems_solved,
        wan_yuan(a.home_visit_aid_yuan()),
    ));
    out.push("(三) 党员义工服务".to_string());
    out.push(format!(
        "{area}共建立{}支党员义工队伍,{}名党员参与活动,开展集中服务{}次,服务群众{}人次。",
        a.volunteer_teams, a.volunteer_members, a.volunteer_activities, a.volunteer_people_served,
    ));
}
