//! The kinds of records clerks enter in bulk, and each one's columns: the header a clerk reads,
//! where the value goes in the command, what it may hold, and the template's example. One
//! table drives both the template written for a kind and the reading of a filled one.

use crate::method123::MAX_CADRES_ON_DUTY;
use crate::pledge::MAX_TARGETS;

/// A kind of record entered in bulk, one sheet each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 党员名册: members added (`add_member`).
    Members,
    /// 接待登记: the 123 method's receptions (`record_reception`).
    Receptions,
    /// 走访登记: household visits (`record_visit`).
    Visits,
    /// 问题办理: villagers' concerns raised, escalated and resolved.
    Concerns,
    /// 承诺月报: pledges' monthly progress reports (`report_progress`).
    PledgeReports,
    /// 民生热线: hotline cases received, resolved and replied to.
    Hotline,
    /// 捐款登记: donations (`record_donation`).
    Donations,
}

impl Kind {
    /// Every kind, in the order the templates list them.
    pub const ALL: [Kind; 7] = [
        Kind::Members,
        Kind::Receptions,
        Kind::Visits,
        Kind::Concerns,
        Kind::PledgeReports,
        Kind::Hotline,
        Kind::Donations,
    ];

    /// The kind's name on the command line (`chuangzheng template members`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Members => "members",
            Kind::Receptions => "receptions",
            Kind::Visits => "visits",
            Kind::Concerns => "concerns",
            Kind::PledgeReports => "pledge-reports",
            Kind::Hotline => "hotline",
            Kind::Donations => "donations",
        }
    }

    /// The kind a name gives, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The sheet's name, as the clerk sees it.
    pub fn sheet(self) -> &'static str {
        match self {
            Kind::Members => "党员名册",
            Kind::Receptions => "接待登记",
            Kind::Visits => "走访登记",
            Kind::Concerns => "问题办理",
            Kind::PledgeReports => "承诺月报",
            Kind::Hotline => "民生热线",
            Kind::Donations => "捐款登记",
        }
    }

    /// The events a row may become: one, or one per stage (环节) of the handling.
    pub fn stages(self) -> &'static [Stage] {
        match self {
            Kind::Members => &MEMBER_STAGE,
            Kind::Receptions => &RECEPTION_STAGE,
            Kind::Visits => &VISIT_STAGE,
            Kind::Concerns => &CONCERN_STAGES,
            Kind::PledgeReports => &REPORT_STAGE,
            Kind::Hotline => &HOTLINE_STAGES,
            Kind::Donations => &DONATION_STAGE,
        }
    }

    /// The sheet's columns, in the template's order (a filled sheet may reorder them).
    pub fn columns(self) -> Vec<Column> {
        let mut columns = vec![DATE, ACTOR];
        if self.stages().len() > 1 {
            columns.push(STAGE);
        }
        columns.extend(match self {
            Kind::Members => members(),
            Kind::Receptions => receptions(),
            Kind::Visits => visits(),
            Kind::Concerns => concerns(),
            Kind::PledgeReports => pledge_reports(),
            Kind::Hotline => hotline(),
            Kind::Donations => donations(),
        });
        columns
    }
}

/// One stage of a kind's handling: its label in the 环节 column (empty for a kind with one) and
/// the event it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    /// The label a clerk picks (`反映`), or "" for a kind with one stage.
    pub label: &'static str,
    /// The event's name (`raise_concern`).
    pub event: &'static str,
}

impl Stage {
    const fn only(event: &'static str) -> Stage {
        Stage { label: "", event }
    }
}

const MEMBER_STAGE: [Stage; 1] = [Stage::only("add_member")];
const RECEPTION_STAGE: [Stage; 1] = [Stage::only("record_reception")];
const VISIT_STAGE: [Stage; 1] = [Stage::only("record_visit")];
const REPORT_STAGE: [Stage; 1] = [Stage::only("report_progress")];
const DONATION_STAGE: [Stage; 1] = [Stage::only("record_donation")];

const CONCERN_STAGES: [Stage; 3] = [
    Stage {
        label: "反映",
        event: "raise_concern",
    },
    Stage {
        label: "升级",
        event: "escalate_concern",
    },
    Stage {
        label: "办结",
        event: "resolve_concern",
    },
];

const HOTLINE_STAGES: [Stage; 3] = [
    Stage {
        label: "受理",
        event: "receive_hotline_case",
    },
    Stage {
        label: "办结",
        event: "resolve_hotline_case",
    },
    Stage {
        label: "回复",
        event: "reply_hotline_case",
    },
];

/// Where a column's value goes in the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The command's date (`at`).
    At,
    /// The acting organization (`actor.org`).
    Actor,
    /// The stage (环节): which event the row is.
    Stage,
    /// A field of the event, named per event: `(event, field)` pairs; the column applies to
    /// those events only.
    Field(&'static [(&'static str, &'static str)]),
    /// Target `i` (from 0) of a pledge's progress report: `achieved[{"target": i, "value"}]`.
    Achieved(usize),
}

/// What a column may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A day: a date cell, or text as `2010-07-01`, `2010/7/1` or `2010年7月1日`.
    Date,
    /// A month, `2010-06` (or a date cell, its month).
    Month,
    /// Text, as it is (trimmed).
    Text,
    /// An organization's id as the host gave it.
    Org,
    /// A member's id.
    Member,
    /// Member ids, separated by `、`, `,`, `，`, `;` or spaces: at most `usize`.
    Members(usize),
    /// A whole number, 1 or more.
    Count,
    /// A decimal number, written exactly.
    Decimal,
    /// One of the labels, each with the key the command takes: `(label, key)`.
    Choice(&'static [(&'static str, &'static str)]),
    /// 是 or 否.
    YesNo,
}

/// One column of a kind's sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header, as the clerk reads it (a filled sheet's columns are found by it).
    pub header: &'static str,
    /// Where the value goes.
    pub target: Target,
    /// What it may hold.
    pub value: Value,
    /// Whether a row of the stages it applies to must fill it.
    pub required: bool,
    /// The template's example row's value.
    pub example: &'static str,
    /// The column's width in the template, in characters.
    pub width: u8,
}

const DATE: Column = Column {
    header: "日期",
    target: Target::At,
    value: Value::Date,
    required: true,
    example: "2010-07-05",
    width: 12,
};

const ACTOR: Column = Column {
    header: "填报单位编号",
    target: Target::Actor,
    value: Value::Org,
    required: false,
    example: "v-001",
    width: 14,
};

const STAGE: Column = Column {
    header: "环节",
    target: Target::Stage,
    value: Value::Text,
    required: true,
    example: "",
    width: 8,
};

/// A column of one event's field.
const fn field(
    header: &'static str,
    target: &'static [(&'static str, &'static str)],
    value: Value,
    required: bool,
    example: &'static str,
    width: u8,
) -> Column {
    Column {
        header,
        target: Target::Field(target),
        value,
        required,
        example,
        width,
    }
}

const MEMBER_CATEGORIES: [(&str, &str); 5] = [
    ("农民党员", "farmer"),
    ("机关党员", "organ"),
    ("社区党员", "community"),
    ("企业党员", "enterprise"),
    ("其他党员", "other"),
];

const ROLES: [(&str, &str); 3] = [
    ("书记", "secretary"),
    ("支委", "committee_member"),
    ("普通党员", "ordinary"),
];

const LEADER_LEVELS: [(&str, &str); 3] = [
    ("非领导干部", "none"),
    ("科级党员领导干部", "section"),
    ("市级党员领导干部", "city"),
];

const CHANNELS: [(&str, &str); 3] = [("接待", "reception"), ("走访", "visit"), ("其他", "other")];

const CONCERN_CATEGORIES: [(&str, &str); 8] = [
    ("地边地头纠纷", "land_boundary"),
    ("建房申请", "housing_application"),
    ("子女上学", "schooling"),
    ("医疗卫生", "health"),
    ("生产技术", "production"),
    ("基础设施", "infrastructure"),
    ("低保救助", "welfare"),
    ("其他", "other"),
];

const TIERS: [(&str, &str); 2] = [("乡镇", "township"), ("党委", "party_committee")];

fn members() -> Vec<Column> {
    const E: &str = "add_member";
    vec![
        field("党员编号", &[(E, "id")], Value::Text, true, "m-000001", 12),
        field(
            "所在党组织编号",
            &[(E, "org")],
            Value::Org,
            true,
            "v-001",
            14,
        ),
        field(
            "党员类别",
            &[(E, "category")],
            Value::Choice(&MEMBER_CATEGORIES),
            true,
            "农民党员",
            10,
        ),
        field(
            "职务",
            &[(E, "role")],
            Value::Choice(&ROLES),
            true,
            "书记",
            10,
        ),
        field(
            "领导干部级别",
            &[(E, "leader_level")],
            Value::Choice(&LEADER_LEVELS),
            false,
            "非领导干部",
            16,
        ),
    ]
}

fn receptions() -> Vec<Column> {
    const E: &str = "record_reception";
    vec![
        field(
            "村党组织编号",
            &[(E, "village")],
            Value::Org,
            true,
            "v-001",
            14,
        ),
        field(
            "值班干部编号",
            &[(E, "cadres")],
            Value::Members(MAX_CADRES_ON_DUTY),
            true,
            "m-000001、m-000002",
            24,
        ),
        field(
            "接待群众人数",
            &[(E, "visitors")],
            Value::Count,
            true,
            "3",
            12,
        ),
    ]
}

fn visits() -> Vec<Column> {
    const E: &str = "record_visit";
    vec![
        field(
            "走访干部编号",
            &[(E, "cadre")],
            Value::Member,
            true,
            "m-000001",
            14,
        ),
        field(
            "困难户编号",
            &[(E, "household")],
            Value::Text,
            true,
            "h-v-001-00",
            14,
        ),
    ]
}

fn concerns() -> Vec<Column> {
    const RAISE: &str = "raise_concern";
    const UP: &str = "escalate_concern";
    const DONE: &str = "resolve_concern";
    vec![
        field(
            "问题编号",
            &[(RAISE, "id"), (UP, "concern"), (DONE, "concern")],
            Value::Text,
            true,
            "q-v-001-00",
            12,
        ),
        field(
            "村党组织编号",
            &[(RAISE, "village")],
            Value::Org,
            true,
            "v-001",
            14,
        ),
        field(
            "反映人",
            &[(RAISE, "raised_by")],
            Value::Text,
            false,
            "",
            10,
        ),
        field(
            "反映渠道",
            &[(RAISE, "channel")],
            Value::Choice(&CHANNELS),
            true,
            "接待",
            10,
        ),
        field(
            "问题类别",
            &[(RAISE, "category")],
            Value::Choice(&CONCERN_CATEGORIES),
            true,
            "地边地头纠纷",
            14,
        ),
        field(
            "问题内容",
            &[(RAISE, "text")],
            Value::Text,
            true,
            "村道破损，群众出行不便",
            30,
        ),
        field("升级至", &[(UP, "to")], Value::Choice(&TIERS), true, "", 8),
        field("办理结果", &[(DONE, "outcome")], Value::Text, true, "", 24),
        field(
            "群众反馈",
            &[(DONE, "feedback")],
            Value::Text,
            false,
            "",
            16,
        ),
        field(
            "经办干部编号",
            &[(DONE, "handler")],
            Value::Member,
            false,
            "",
            14,
        ),
    ]
}

fn pledge_reports() -> Vec<Column> {
    const E: &str = "report_progress";
    let mut columns = vec![
        field(
            "承诺编号",
            &[(E, "pledge")],
            Value::Text,
            true,
            "pm-m-000001",
            14,
        ),
        field("月份", &[(E, "month")], Value::Month, true, "2010-06", 10),
    ];
    for (i, header) in TARGET_HEADERS.iter().enumerate().take(MAX_TARGETS) {
        columns.push(Column {
            header,
            target: Target::Achieved(i),
            value: Value::Decimal,
            required: false,
            example: if i == 0 { "12" } else { "" },
            width: 10,
        });
    }
    columns.push(field("说明", &[(E, "note")], Value::Text, false, "", 20));
    columns.push(field(
        "更正",
        &[(E, "correction")],
        Value::YesNo,
        false,
        "否",
        6,
    ));
    columns
}

/// The headers of a progress report's targets: the value reached so far of each.
const TARGET_HEADERS: [&str; MAX_TARGETS] = [
    "目标1完成值",
    "目标2完成值",
    "目标3完成值",
    "目标4完成值",
    "目标5完成值",
    "目标6完成值",
    "目标7完成值",
    "目标8完成值",
    "目标9完成值",
    "目标10完成值",
];

fn hotline() -> Vec<Column> {
    const IN: &str = "receive_hotline_case";
    const DONE: &str = "resolve_hotline_case";
    const REPLY: &str = "reply_hotline_case";
    vec![
        field(
            "案件编号",
            &[(IN, "id"), (DONE, "case"), (REPLY, "case")],
            Value::Text,
            true,
            "hl-0001",
            10,
        ),
        field(
            "承办党组织编号",
            &[(IN, "org")],
            Value::Org,
            true,
            "t-01",
            14,
        ),
        field(
            "问题类别代码",
            &[(IN, "category")],
            Value::Text,
            true,
            "road",
            12,
        ),
        field(
            "来电内容",
            &[(IN, "text")],
            Value::Text,
            true,
            "路灯损坏，夜间出行不便",
            30,
        ),
        field("办理结果", &[(DONE, "outcome")], Value::Text, true, "", 24),
        field("回复内容", &[(REPLY, "reply")], Value::Text, false, "", 24),
    ]
}

fn donations() -> Vec<Column> {
    const E: &str = "record_donation";
    vec![
        field("捐款编号", &[(E, "id")], Value::Text, true, "dn-00001", 12),
        field(
            "党员编号",
            &[(E, "member")],
            Value::Member,
            true,
            "m-000001",
            12,
        ),
        field(
            "金额（元）",
            &[(E, "amount_yuan")],
            Value::Decimal,
            true,
            "486",
            12,
        ),
        field(
            "捐款活动",
            &[(E, "drive")],
            Value::Text,
            false,
            "防汛救灾、重建家园",
            20,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method123::ConcernCategory;
    use crate::model::{LeaderLevel, MemberCategory, Role};

    /// The labels the library's enums give, for a test to hold the tables above to them.
    fn enum_labels() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
        vec![
            (
                "member category",
                MemberCategory::ALL
                    .iter()
                    .map(|c| (c.label_zh(), c.as_str()))
                    .collect(),
            ),
            (
                "role",
                Role::ALL
                    .iter()
                    .map(|r| (r.label_zh(), r.as_str()))
                    .collect(),
            ),
            (
                "leader level",
                LeaderLevel::ALL
                    .iter()
                    .zip(["none", "section", "city"])
                    .map(|(l, k)| (l.label_zh(), k))
                    .collect(),
            ),
        ]
    }

    #[test]
    fn the_choice_tables_are_the_librarys_labels_and_keys() {
        let tables: [&[(&str, &str)]; 3] = [&MEMBER_CATEGORIES, &ROLES, &LEADER_LEVELS];
        for ((what, library), table) in enum_labels().into_iter().zip(tables) {
            assert_eq!(library, table.to_vec(), "{what}");
        }
        let categories: Vec<&str> = CONCERN_CATEGORIES.iter().map(|(l, _)| *l).collect();
        let library: Vec<&str> = [
            ConcernCategory::LandBoundary,
            ConcernCategory::HousingApplication,
            ConcernCategory::Schooling,
            ConcernCategory::Health,
            ConcernCategory::Production,
            ConcernCategory::Infrastructure,
            ConcernCategory::Welfare,
            ConcernCategory::Other,
        ]
        .iter()
        .map(|c| c.label_zh())
        .collect();
        assert_eq!(categories, library);
    }

    #[test]
    fn headers_are_unique_and_every_field_names_one_of_the_kinds_events() {
        for kind in Kind::ALL {
            let columns = kind.columns();
            let events: Vec<&str> = kind.stages().iter().map(|s| s.event).collect();
            for (i, c) in columns.iter().enumerate() {
                assert!(
                    columns[..i].iter().all(|d| d.header != c.header),
                    "{} twice in {}",
                    c.header,
                    kind.sheet()
                );
                if let Target::Field(pairs) = c.target {
                    for (event, _) in pairs {
                        assert!(events.contains(event), "{event} in {}", kind.sheet());
                    }
                }
            }
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
    }
}
