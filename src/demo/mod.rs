//! The demo city: a deterministic synthetic city in the seed's shape.
//!
//! The seed describes a city with 23 township-level committees (乡镇、街道、农场), 63 city
//! departments, 206 village organizations and 17 communities, and members in the four
//! categories its pledge carriers name. [`DemoSpec::seed`] holds those shapes; [`commands`]
//! turns a spec into the commands a host would send, in order, by the actors that have the
//! authority to send them. The figures a report prints are computed from the state these
//! commands build, never copied from the spec.
//!
//! ```
//! use chuangzheng::demo::{self, DemoSpec};
//! use chuangzheng::ledger::Campaign;
//!
//! let spec = DemoSpec::small();
//! let mut campaign = Campaign::in_memory(demo::info(), chuangzheng::rules::RuleSet::default()).unwrap();
//! let batch = campaign.execute_batch(&demo::commands(&spec)).unwrap();
//! assert!(batch.all_accepted());
//! assert_eq!(campaign.state().orgs()[0].id.as_str(), "city");
//! ```

pub mod activity;
pub mod deliberation;

use jiff::civil::{Date, date};

pub mod method123;
pub mod pledges;

use crate::ledger::{Actor, CampaignInfo, Command, Event};
use crate::model::{ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp, UnitKind};

/// The shape of a demo city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSpec {
    /// Township committees (乡镇党委).
    pub townships: u32,
    /// Street committees (街道党工委).
    pub streets: u32,
    /// Farm committees (农场党委).
    pub farms: u32,
    /// City departments (市直部门).
    pub departments: u32,
    /// Village organizations, spread over townships and farms.
    pub villages: u32,
    /// Village committee members (支委) besides the secretaries, spread over the villages.
    pub village_committee_members: u32,
    /// Community organizations, spread over streets first, then townships.
    pub communities: u32,
    /// Schools and clinics (one clinic per township-level committee).
    pub schools: u32,
    /// Farmer members in all (village and cooperative organizations), cadres included.
    pub farmer_members: u32,
    /// Organ members (one organ organization per township-level committee and department).
    pub organ_members: u32,
    /// Community members.
    pub community_members: u32,
    /// Enterprise members.
    pub enterprise_members: u32,
    /// Members of schools, clinics and social organizations.
    pub other_members: u32,
    /// City-level leading cadres (市级党员领导干部) among organ members.
    pub city_leaders: u32,
    /// Section-level leading cadres (科级党员领导干部) among organ members.
    pub section_leaders: u32,
    /// Units per kind.
    pub units: [UnitSpec; 3],
    /// The public pledges.
    pub pledges: pledges::PledgePlan,
    /// The 123 work method.
    pub method123: method123::Method123Plan,
    /// Village decisions (四议一审).
    pub deliberation: deliberation::DeliberationPlan,
    /// Service actions and volunteers.
    pub activity: activity::ActivityPlan,
}

/// The units of one kind in a demo city.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitSpec {
    /// The kind.
    pub kind: UnitKind,
    /// Units registered.
    pub registered: u32,
    /// Of them, eligible (the first ones).
    pub eligible: u32,
    /// Organizations covering them.
    pub orgs: u32,
    /// Units covered: one per organization, and a second one for the first
    /// `covered - orgs` organizations (joint organizations).
    pub covered: u32,
}

const fn units(
    kind: UnitKind,
    registered: u32,
    eligible: u32,
    orgs: u32,
    covered: u32,
) -> UnitSpec {
    UnitSpec {
        kind,
        registered,
        eligible,
        orgs,
        covered,
    }
}

impl DemoSpec {
    /// The seed's city.
    pub fn seed() -> DemoSpec {
        DemoSpec {
            townships: 18,
            streets: 3,
            farms: 2,
            departments: 63,
            villages: 206,
            village_committee_members: 493,
            communities: 17,
            schools: 40,
            farmer_members: 9344,
            organ_members: 6026,
            community_members: 4050,
            enterprise_members: 3508,
            other_members: 1200,
            city_leaders: 24,
            section_leaders: 795,
            units: [
                units(UnitKind::NonPublicEnterprise, 493, 493, 353, 427),
                units(UnitKind::SocialOrganization, 99, 99, 67, 86),
                units(UnitKind::Cooperative, 50, 38, 26, 26),
            ],
            pledges: pledges::PledgePlan::seed(),
            method123: method123::Method123Plan::seed(),
            deliberation: deliberation::DeliberationPlan::seed(),
            activity: activity::ActivityPlan::seed(),
        }
    }

    /// A small city of the same shape, for examples and quick tests.
    pub fn small() -> DemoSpec {
        DemoSpec {
            townships: 2,
            streets: 1,
            farms: 1,
            departments: 2,
            villages: 5,
            village_committee_members: 12,
            communities: 2,
            schools: 1,
            farmer_members: 40,
            organ_members: 20,
            community_members: 10,
            enterprise_members: 12,
            other_members: 6,
            city_leaders: 1,
            section_leaders: 3,
            units: [
                units(UnitKind::NonPublicEnterprise, 6, 6, 3, 5),
                units(UnitKind::SocialOrganization, 3, 3, 1, 2),
                units(UnitKind::Cooperative, 3, 2, 1, 1),
            ],
            pledges: pledges::PledgePlan::small(),
            method123: method123::Method123Plan::small(),
            deliberation: deliberation::DeliberationPlan::small(),
            activity: activity::ActivityPlan::small(),
        }
    }
}

/// Builds the demo city of `spec` into `campaign` (a new, empty one), as a host would: the
/// organization tree, members and units first; then the records of the campaign (pledges, the
/// 123 method, …), generated from that city and sent in date order. Batches of `batch`
/// commands are group-committed. Returns the number of commands executed.
///
/// # Errors
///
/// The first refusal (a bug in the generator: every demo command is meant to be accepted), or a
/// journal failure.
pub fn populate(
    campaign: &mut crate::ledger::Campaign,
    spec: &DemoSpec,
    batch: usize,
) -> Result<u64, crate::Error> {
    let mut done = run_batches(campaign, &commands(spec), batch)?;
    done += run_batches(campaign, &records(campaign.state(), spec), batch)?;
    Ok(done)
}

/// Executes `cmds` in batches of `batch` (each group-committed, one sync per batch, as a host
/// importing a file would); the number executed.
///
/// # Errors
///
/// The first refusal (the demo's commands are all meant to be accepted), or a journal failure.
pub fn run_batches(
    campaign: &mut crate::ledger::Campaign,
    cmds: &[Command],
    batch: usize,
) -> Result<u64, crate::Error> {
    for chunk in cmds.chunks(batch.max(1)) {
        let receipt = campaign.execute_batch(chunk)?;
        if let Some(e) = receipt.outcomes.into_iter().find_map(Result::err) {
            return Err(crate::Error::from(e));
        }
    }
    Ok(cmds.len() as u64)
}

/// Records the small demo into `c`: its city, then its records. For tests.
#[cfg(test)]
pub(crate) fn record_small(c: &mut crate::ledger::Campaign) {
    let spec = DemoSpec::small();
    let setup = c.execute_batch(&commands(&spec)).expect("the city");
    assert!(setup.all_accepted());
    let records = records(c.state(), &spec);
    assert!(c.execute_batch(&records).expect("records").all_accepted());
}

/// A campaign in memory holding the small demo ([`record_small`]). For tests.
#[cfg(test)]
pub(crate) fn small_in_memory() -> crate::ledger::Campaign {
    let mut c = crate::ledger::Campaign::in_memory(info(), Default::default()).expect("campaign");
    record_small(&mut c);
    c
}

/// The campaign's records for the city `state` holds (built by [`commands`]), in date order:
/// each domain's generator works from the city alone, and their commands are merged by date.
/// The pairings with villages ([`activity::pairing_commands`]), added after release 0.1, come
/// last, dated when they began.
pub fn records(state: &crate::ledger::State, spec: &DemoSpec) -> Vec<Command> {
    let mut cmds = pledges::commands(state, &spec.pledges);
    cmds.extend(method123::commands(state, &spec.method123));
    cmds.extend(deliberation::commands(state, &spec.deliberation));
    cmds.extend(activity::commands(state, &spec.activity));
    // Stable: each generator's own order holds within a day.
    cmds.sort_by_key(|c| c.at.date);
    // Added after release 0.1, and sent last so its journal stays a prefix of today's.
    cmds.extend(activity::pairing_commands(state, &spec.activity));
    cmds
}

/// The demo city of `spec`, built in memory.
///
/// # Errors
///
/// As [`populate`].
pub fn build(spec: &DemoSpec) -> Result<crate::ledger::Campaign, crate::Error> {
    let mut campaign =
        crate::ledger::Campaign::in_memory(info(), crate::rules::RuleSet::default())?;
    populate(&mut campaign, spec, 1 << 16)?;
    Ok(campaign)
}

/// The first command of a province: its committee, the root (id `prov`).
pub fn province_root() -> Command {
    let prov = province_id();
    Command::new(
        Stamp::on(START),
        Actor::org(&prov),
        Event::CreateOrg(crate::org::CreateOrg {
            id: prov.clone(),
            name: name("演示省委"),
            kind: OrgKind::ProvinceCommittee,
            parent: None,
        }),
    )
}

/// The commands of city `k` of a province, its identifiers prefixed `k{k:03}.` (`k007.v-001`),
/// its committee under the province's root (made by [`province_root`]): the commands of
/// [`city_alone`], placed [`in_province`]. A province is its root followed by cities `0..n`; its
/// cities' records interleave by date only within a city, as when each city's system uploads in
/// turn.
///
/// # Errors
///
/// As [`city_alone`].
pub fn province_city(spec: &DemoSpec, k: u32) -> Result<Vec<Command>, crate::Error> {
    let mut cmds = city_alone(spec, k)?;
    in_province(&mut cmds);
    Ok(cmds)
}

/// The commands of city `k` of a province as a campaign of its own: the same commands as
/// [`province_city`], with the same identifiers prefixed `k{k:03}.` and the same records, but
/// the city's committee ([`city_id`], named 第8市市委 for `k` = 7) is the root, created by
/// itself. A city's system keeps
/// this journal; the province's holds the same commands under its root, so each city's figures
/// from its own journal are the city's in the province's, and their merge the province's.
///
/// The city of `spec` is built as [`commands`] builds it, then its records follow as
/// [`records`] makes them with every member's 2010 evaluation ([`member_evaluations`]) on
/// [`AS_OF`] among them, all in date order. A `spec` whose 123 plan runs on past [`AS_OF`]
/// ([`method123::Method123Plan::for_a_year`], as the province benches use) gives records up to
/// its last day.
///
/// ```
/// use chuangzheng::demo::{self, DemoSpec};
/// use chuangzheng::ledger::Campaign;
///
/// let cmds = demo::city_alone(&DemoSpec::small(), 7)?;
/// let mut city = Campaign::in_memory(demo::info(), Default::default())?;
/// assert!(city.execute_batch(&cmds)?.all_accepted());
/// let root = city.state().root().unwrap();
/// assert_eq!(city.state().org(root).id, demo::city_id(7));
/// assert_eq!(city.state().org(root).id.as_str(), "k007.city");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// A refusal while building the city's tree apart to generate its records (a generator bug).
pub fn city_alone(spec: &DemoSpec, k: u32) -> Result<Vec<Command>, crate::Error> {
    with_id_prefix(&city_prefix(k), || {
        let mut cmds = commands(spec);
        // The city's records are generated from the city alone, built apart.
        let mut city =
            crate::ledger::Campaign::in_memory(info(), crate::rules::RuleSet::default())?;
        let receipt = city.execute_batch(&cmds)?;
        if let Some(e) = receipt.outcomes.into_iter().find_map(Result::err) {
            return Err(crate::Error::from(e));
        }
        let mut records = records(city.state(), spec);
        records.extend(member_evaluations(city.state(), AS_OF));
        // Stable: the evaluations go after the other records of their day.
        records.sort_by_key(|c| c.at.date);
        // Its committee named apart from the province's other cities (第8市市委), so a
        // province's report lists its cities by name.
        if let Some(first) = cmds.first_mut()
            && let Event::CreateOrg(crate::org::CreateOrg { name: n, .. }) = &mut first.event
        {
            *n = name(&format!("第{}市市委", u64::from(k) + 1));
        }
        cmds.extend(records);
        Ok(cmds)
    })
}

/// Places a city's commands ([`city_alone`]) in the province: its committee, created by the
/// first command, goes under the province's root (`prov`, [`province_root`]), which creates
/// it. The rest is unchanged, so one city's commands can be sent to its own campaign and then
/// to the province's.
pub fn in_province(city: &mut [Command]) {
    let prov = province_id();
    if let Some(first) = city.first_mut()
        && let Event::CreateOrg(crate::org::CreateOrg { parent, .. }) = &mut first.event
    {
        *parent = Some(prov.clone());
        first.actor = Actor::org(&prov);
    }
}

/// The identifier of city `k`'s committee, the root of its own campaign ([`city_alone`]) and a
/// child of the province's root ([`province_city`]): `k007.city` for `k` = 7.
///
/// ```
/// assert_eq!(chuangzheng::demo::city_id(7).as_str(), "k007.city");
/// assert_eq!(chuangzheng::demo::city_id(1234).as_str(), "k1234.city");
/// ```
pub fn city_id(k: u32) -> ExtId {
    with_id_prefix(&city_prefix(k), || id("city"))
}

/// The province's root, `prov`: never prefixed, whichever city is being generated.
fn province_id() -> ExtId {
    ExtId::new("demo.id", "prov").unwrap_or_else(|e| panic!("demo id prov: {e}"))
}

/// The prefix of city `k`'s identifiers in a province.
fn city_prefix(k: u32) -> String {
    format!("k{k:03}.")
}

/// Every member's evaluation for the year of `on`, recorded on `on` by their organization:
/// scores for the self-review and the committee, ballots from fellow members and the masses,
/// spread deterministically over the grades; a few members without their analysis report, a
/// few under sanction. For the grading benches: the demo city's figures do not use them.
pub fn member_evaluations(state: &crate::ledger::State, on: Date) -> Vec<Command> {
    use crate::evaluation::Ballots;
    use rust_decimal::Decimal;
    let round = crate::model::Period::containing(on, crate::model::Granularity::Year);
    let mut mix = Mix(0xe7a1);
    let mut cmds = Vec::new();
    for m in state.members() {
        let Some(p) = m.posting_on(on) else {
            continue;
        };
        let org = &state.org(p.org).id;
        let peers = u64::from(state.members_now(p.org).saturating_sub(1)).min(40);
        let score = |mix: &mut Mix| Ballots::Score(Decimal::new(6000 + mix.below(4001) as i64, 2));
        let split = |mix: &mut Mix, n: u64| {
            let excellent = mix.below(n + 1);
            let qualified = mix.below(n - excellent + 1);
            let basically_qualified = mix.below(n - excellent - qualified + 1);
            Ballots::Counts {
                excellent,
                qualified,
                basically_qualified,
                unqualified: n - excellent - qualified - basically_qualified,
            }
        };
        let report = mix.below(20) != 0;
        let self_review = score(&mut mix);
        let peers_ballots = (peers > 0).then(|| split(&mut mix, peers));
        let voters = 5 + mix.below(20);
        let masses = split(&mut mix, voters);
        let committee = score(&mut mix);
        cmds.push(Command::new(
            Stamp::on(on),
            Actor::org(org),
            Event::RecordMemberEvaluation(crate::evaluation::RecordMemberEvaluation {
                member: m.id.clone(),
                round,
                report_submitted: report.then_some(START),
                self_review: Some(self_review),
                peers: peers_ballots,
                masses: Some(masses),
                committee: Some(committee),
                sanctioned: mix.below(200) == 0,
                correction: false,
            }),
        ));
    }
    cmds
}

/// Builds a province of `cities` copies of the city of `spec` into `campaign` (a new, empty
/// one): [`province_root`], then each city's commands ([`province_city`]) in batches of `batch`
/// (group-committed). `progress` is called after each city with the commands executed so far.
/// Returns the number of commands executed.
///
/// # Errors
///
/// As [`populate`].
pub fn populate_province(
    campaign: &mut crate::ledger::Campaign,
    spec: &DemoSpec,
    cities: u32,
    batch: usize,
    mut progress: impl FnMut(u32, u64),
) -> Result<u64, crate::Error> {
    let mut done = run_batches(campaign, &[province_root()], batch)?;
    for k in 0..cities {
        done += run_batches(campaign, &province_city(spec, k)?, batch)?;
        progress(k + 1, done);
    }
    Ok(done)
}

/// The demo campaign's identity.
pub fn info() -> CampaignInfo {
    CampaignInfo {
        id: ExtId::new("demo.id", "dg-2010").unwrap_or_else(|e| panic!("demo id: {e}")),
        name: name("东港市创先争优活动（演示数据）"),
    }
}

/// The campaign's first day in the demo.
pub const START: Date = date(2010, 5, 1);

/// The date the demo's stage review is taken as of: every demo record is dated from [`START`]
/// up to this day.
pub const AS_OF: Date = date(2010, 10, 31);

thread_local! {
    /// The prefix of every identifier the generators make (empty for a lone city; `k007.` for
    /// the eighth city of a province), so the cities of a province never share an identifier.
    static ID_PREFIX: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs `f` with the generators' identifiers prefixed by `prefix`.
fn with_id_prefix<R>(prefix: &str, f: impl FnOnce() -> R) -> R {
    struct Reset(String);
    impl Drop for Reset {
        fn drop(&mut self) {
            ID_PREFIX.with_borrow_mut(|p| std::mem::swap(p, &mut self.0));
        }
    }
    let old = ID_PREFIX.with_borrow_mut(|p| std::mem::replace(p, prefix.to_string()));
    let _reset = Reset(old);
    f()
}

/// A generated identifier, with the current prefix.
fn try_id(s: &str) -> Result<ExtId, crate::model::ModelError> {
    ID_PREFIX.with_borrow(|p| {
        if p.is_empty() {
            ExtId::new("demo.id", s)
        } else {
            ExtId::new("demo.id", &format!("{p}{s}"))
        }
    })
}

// Demo identifiers and names are generated from fixed patterns that always pass validation;
// a failure here is a bug in this file, so it is reported loudly rather than hidden.
fn id(s: &str) -> ExtId {
    try_id(s).unwrap_or_else(|e| panic!("demo id {s:?}: {e}"))
}

fn name(s: &str) -> Name {
    Name::new("demo.name", s).unwrap_or_else(|e| panic!("demo name {s:?}: {e}"))
}

fn text(s: &str) -> crate::model::LongText {
    crate::model::LongText::new("demo.text", s).unwrap_or_else(|e| panic!("demo text {s:?}: {e}"))
}

fn list<T, const MAX: usize>(items: Vec<T>) -> crate::model::Bounded<T, MAX> {
    crate::model::Bounded::new("demo.list", items).unwrap_or_else(|e| panic!("demo list: {e}"))
}

/// Whether item `i` of `n` is among the `k` picked, spread evenly (exactly `k` of `n` are).
fn picked(i: u64, k: u64, n: u64) -> bool {
    n > 0 && (i + 1) * k / n > i * k / n
}

/// Share `i` of `total` spread over `n` parts (the shares add up to `total` exactly).
fn share(total: u64, i: u64, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    (i + 1) * total / n - i * total / n
}

/// Spreads `total` over `parts` as evenly as possible (the first ones get one more).
fn spread(total: u32, parts: u32) -> impl Iterator<Item = u32> {
    let base = total.checked_div(parts).unwrap_or(0);
    let extra = total.checked_rem(parts).unwrap_or(0);
    (0..parts).map(move |i| base + u32::from(i < extra))
}

struct Builder {
    cmds: Vec<Command>,
    day: Date,
    member_seq: u32,
    /// Each organization's name, for the names of those named after it.
    names: std::collections::HashMap<ExtId, String>,
}

/// The first and second characters of the demo's village names: 20 × 20 names, in order.
const VILLAGE_FIRST: [char; 20] = [
    '东', '西', '南', '北', '大', '小', '新', '老', '前', '后', '上', '下', '长', '红', '青', '金',
    '柳', '杨', '李', '王',
];
const VILLAGE_SECOND: [char; 20] = [
    '岗', '屯', '庄', '沟', '河', '山', '岭', '湾', '台', '堡', '营', '坨', '甸', '店', '桥', '林',
    '泉', '坡', '峪', '洼',
];

/// What a unit of `kind` is called in its demo name.
fn unit_noun(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::NonPublicEnterprise => "企业",
        UnitKind::SocialOrganization => "社会组织",
        UnitKind::Cooperative => "农民专业合作社",
    }
}

/// The `i`-th village's name (0-based): two characters, then a number past the 400th.
fn village_name(i: u32) -> String {
    let n = VILLAGE_FIRST.len() as u32 * VILLAGE_SECOND.len() as u32;
    let (a, b) = (i % n / 20, i % 20);
    let base = format!(
        "{}{}",
        VILLAGE_FIRST[a as usize], VILLAGE_SECOND[b as usize]
    );
    if i < n {
        base
    } else {
        format!("{base}{}", i / n + 1)
    }
}

impl Builder {
    fn push(&mut self, actor: &ExtId, event: Event) {
        self.cmds
            .push(Command::new(Stamp::on(self.day), Actor::org(actor), event));
    }

    fn org(&mut self, actor: &ExtId, id_: &ExtId, label: &str, kind: OrgKind, parent: &ExtId) {
        self.names.insert(id_.clone(), label.to_string());
        self.push(
            actor,
            Event::CreateOrg(crate::org::CreateOrg {
                id: id_.clone(),
                name: name(label),
                kind,
                parent: Some(parent.clone()),
            }),
        );
    }

    /// The name of organization `org` without its committee's word (第1镇 for 第1镇党委).
    fn short_name(&self, org: &ExtId) -> String {
        let full = self.names.get(org).map_or("", String::as_str);
        ["党工委", "党委"]
            .iter()
            .find_map(|w| full.strip_suffix(w))
            .unwrap_or(full)
            .to_string()
    }

    /// Adds `count` members to `org`: the first `cadres` get the roles given, the rest are
    /// ordinary. Returns the members' ids.
    fn members(
        &mut self,
        actor: &ExtId,
        org: &ExtId,
        category: MemberCategory,
        count: u32,
        cadres: &[Role],
    ) -> Vec<ExtId> {
        let mut ids = Vec::with_capacity(count as usize);
        for i in 0..count {
            self.member_seq += 1;
            let member = id(&format!("m-{:06}", self.member_seq));
            let role = cadres.get(i as usize).copied().unwrap_or(Role::Ordinary);
            self.push(
                actor,
                Event::AddMember(crate::org::AddMember {
                    id: member.clone(),
                    org: org.clone(),
                    category,
                    role,
                    leader_level: LeaderLevel::None,
                }),
            );
            ids.push(member);
        }
        ids
    }
}

/// The commands that build the city of `spec`, in an order every actor has authority for:
/// the city committee creates the tree, each township-level committee and department fills in
/// its own organizations, members and units.
pub fn commands(spec: &DemoSpec) -> Vec<Command> {
    let mut b = Builder::new();
    let tree = b.committees(spec);
    b.day = START.saturating_add(jiff::Span::new().days(1));
    b.villages(spec, &tree);
    b.communities(spec, &tree);
    let organ_members = b.organs(spec, &tree);
    b.leading_cadres(spec, &organ_members);
    let mut others = b.schools_and_clinics(spec, &tree);
    b.day = START.saturating_add(jiff::Span::new().days(2));
    let (enterprise_orgs, social_orgs) = b.units(spec, &tree);
    let sizes = spread(spec.enterprise_members, enterprise_orgs.len() as u32);
    for ((area, o), size) in enterprise_orgs.iter().zip(sizes) {
        b.members(
            area,
            o,
            MemberCategory::Enterprise,
            size,
            &[Role::Secretary],
        );
    }
    others.extend(social_orgs);
    let sizes = spread(spec.other_members, others.len() as u32);
    for ((parent, o), size) in others.iter().zip(sizes) {
        b.members(parent, o, MemberCategory::Other, size, &[Role::Secretary]);
    }
    b.cmds
}

/// Organizations (or members), each with the committee or area it sits under: (that, it).
type Placed = Vec<(ExtId, ExtId)>;

/// The committees below the city that the other organizations hang under.
struct Committees {
    /// Township-level committees (towns, streets, farms) and their kinds, in creation order.
    townships: Vec<(ExtId, OrgKind)>,
    /// City departments.
    departments: Vec<ExtId>,
}

impl Committees {
    /// Townships and farms: where the villages and the cooperatives are.
    fn rural(&self) -> Vec<&ExtId> {
        self.townships
            .iter()
            .filter(|(_, k)| *k != OrgKind::StreetCommittee)
            .map(|(t, _)| t)
            .collect()
    }

    /// Streets first, then townships: where the communities are.
    fn community_parents(&self) -> Vec<&ExtId> {
        self.townships
            .iter()
            .filter(|(_, k)| *k == OrgKind::StreetCommittee)
            .chain(
                self.townships
                    .iter()
                    .filter(|(_, k)| *k == OrgKind::TownshipCommittee),
            )
            .map(|(t, _)| t)
            .collect()
    }
}

/// The prefix of the ids of units of `kind` (`ue-001`) and of the organizations covering them
/// (`e-001`).
fn unit_prefix(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::NonPublicEnterprise => "e",
        UnitKind::SocialOrganization => "so",
        UnitKind::Cooperative => "co",
    }
}

/// The area of the `j`-th covering organization (and of its units): round the areas.
fn group_area(areas: &[ExtId], j: u32) -> ExtId {
    areas[j as usize % areas.len()].clone()
}

/// Where the units of `u` sit, in registration order, with the covering organization of each
/// covered one: the organizations' groups first (the first `covered - orgs` of two units,
/// joint organizations), then the uncovered units round the areas.
fn unit_areas(u: &UnitSpec, areas: &[ExtId]) -> Vec<(ExtId, Option<u32>)> {
    let joint = u.covered.saturating_sub(u.orgs).min(u.orgs);
    let mut unit_area = Vec::with_capacity(u.registered as usize);
    for j in 0..u.orgs {
        let size = if j < joint { 2 } else { 1 };
        unit_area.extend(std::iter::repeat_n((group_area(areas, j), Some(j)), size));
    }
    unit_area.truncate(u.registered as usize);
    let covered_units = unit_area.len() as u32;
    unit_area.extend((covered_units..u.registered).map(|i| (group_area(areas, i), None)));
    unit_area
}

impl Builder {
    /// An empty builder on the campaign's first day.
    fn new() -> Builder {
        Builder {
            cmds: Vec::new(),
            day: START,
            member_seq: 0,
            names: std::collections::HashMap::new(),
        }
    }

    /// The city committee, then the township level (towns, streets, farms), then the
    /// departments.
    fn committees(&mut self, spec: &DemoSpec) -> Committees {
        let city = id("city");
        self.push(
            &city,
            Event::CreateOrg(crate::org::CreateOrg {
                id: city.clone(),
                name: name("东港市委"),
                kind: OrgKind::CityCommittee,
                parent: None,
            }),
        );
        let mut townships = Vec::new();
        for (prefix, kind, count, label) in [
            ("t", OrgKind::TownshipCommittee, spec.townships, "镇党委"),
            ("s", OrgKind::StreetCommittee, spec.streets, "街道党工委"),
            ("f", OrgKind::FarmCommittee, spec.farms, "农场党委"),
        ] {
            for i in 1..=count {
                let t = id(&format!("{prefix}-{i:02}"));
                self.org(&city, &t, &format!("第{i}{label}"), kind, &city);
                townships.push((t, kind));
            }
        }
        let departments: Vec<ExtId> = (1..=spec.departments)
            .map(|i| {
                let d = id(&format!("d-{i:02}"));
                self.org(
                    &city,
                    &d,
                    &format!("市直第{i}部门党委"),
                    OrgKind::CityDepartment,
                    &city,
                );
                d
            })
            .collect();
        Committees {
            townships,
            departments,
        }
    }

    /// Villages round the townships and farms, each with its secretary and committee members
    /// (the 123 method's cadres) and its farmers; the farmers of the cooperatives are left out.
    fn villages(&mut self, spec: &DemoSpec, tree: &Committees) {
        let rural = tree.rural();
        let villages: Vec<(ExtId, ExtId)> = (0..spec.villages)
            .map(|i| {
                let parent = rural[i as usize % rural.len().max(1)].clone();
                (id(&format!("v-{:03}", i + 1)), parent)
            })
            .collect();
        let cooperative_orgs: u32 = spec
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Cooperative)
            .map(|u| u.orgs)
            .sum();
        let farmers_in_coops = cooperative_orgs * 3;
        let village_farmers = spec.farmer_members.saturating_sub(farmers_in_coops);
        let committee = spread(spec.village_committee_members, spec.villages);
        let sizes = spread(village_farmers, spec.villages);
        for (i, ((v, parent), (committee, size))) in
            villages.iter().zip(committee.zip(sizes)).enumerate()
        {
            let label = format!("{}村党支部", village_name(i as u32));
            self.org(parent, v, &label, OrgKind::Village, parent);
            let mut roles = vec![Role::Secretary];
            roles.extend(std::iter::repeat_n(
                Role::CommitteeMember,
                committee as usize,
            ));
            self.members(parent, v, MemberCategory::Farmer, size, &roles);
        }
    }

    /// Communities round the streets first, then the townships, with their members.
    fn communities(&mut self, spec: &DemoSpec, tree: &Committees) {
        let community_parents = tree.community_parents();
        let sizes = spread(spec.community_members, spec.communities);
        for (i, size) in (0..spec.communities).zip(sizes) {
            let c = id(&format!("c-{:02}", i + 1));
            let parent = community_parents[(i as usize) % community_parents.len().max(1)].clone();
            self.org(
                &parent,
                &c,
                &format!("第{}社区党委", i + 1),
                OrgKind::Community,
                &parent,
            );
            self.members(
                &parent,
                &c,
                MemberCategory::Community,
                size,
                &[Role::Secretary, Role::CommitteeMember],
            );
        }
    }

    /// An organ organization in every township-level committee and department, with its
    /// members; returns them with their organization's parent.
    fn organs(&mut self, spec: &DemoSpec, tree: &Committees) -> Placed {
        let organ_parents: Vec<ExtId> = tree
            .townships
            .iter()
            .map(|(t, _)| t.clone())
            .chain(tree.departments.iter().cloned())
            .collect();
        let sizes = spread(spec.organ_members, organ_parents.len() as u32);
        let mut organ_members = Vec::new();
        for (parent, size) in organ_parents.iter().zip(sizes) {
            let o = id(&format!("o-{parent}"));
            let label = format!("{}机关党支部", self.short_name(parent));
            self.org(parent, &o, &label, OrgKind::Organ, parent);
            let ids = self.members(
                parent,
                &o,
                MemberCategory::Organ,
                size,
                &[Role::Secretary, Role::CommitteeMember],
            );
            organ_members.extend(ids.into_iter().map(|m| (parent.clone(), m)));
        }
        organ_members
    }

    /// The leading cadres among `organ_members` (parent, member): city-level first, then
    /// section-level, spread over them so every parent gets some.
    fn leading_cadres(&mut self, spec: &DemoSpec, organ_members: &[(ExtId, ExtId)]) {
        let leaders = spec.city_leaders + spec.section_leaders;
        let stride = (organ_members.len() as u32 / leaders.max(1)).max(1);
        for k in 0..leaders.min(organ_members.len() as u32) {
            let (parent, m) = &organ_members[(k * stride) as usize];
            let level = if k < spec.city_leaders {
                LeaderLevel::City
            } else {
                LeaderLevel::Section
            };
            self.push(
                parent,
                Event::SetLeaderLevel(crate::org::SetLeaderLevel {
                    member: m.clone(),
                    leader_level: level,
                }),
            );
        }
    }

    /// Schools under departments and townships, then a clinic in every township-level
    /// committee; returns them (parent, organization), without members yet.
    fn schools_and_clinics(&mut self, spec: &DemoSpec, tree: &Committees) -> Placed {
        let (townships, departments) = (&tree.townships, &tree.departments);
        let mut others = Vec::new();
        for i in 0..spec.schools {
            let parent = if i % 2 == 0 || townships.is_empty() {
                departments
                    .get(i as usize % departments.len().max(1))
                    .cloned()
            } else {
                Some(townships[i as usize % townships.len()].0.clone())
            };
            let Some(parent) = parent else { continue };
            let s = id(&format!("sch-{:02}", i + 1));
            self.org(
                &parent,
                &s,
                &format!("第{}中小学党支部", i + 1),
                OrgKind::School,
                &parent,
            );
            others.push((parent, s));
        }
        for (t, _) in townships {
            let c = id(&format!("cl-{t}"));
            let label = format!("{}卫生院党支部", self.short_name(t));
            self.org(t, &c, &label, OrgKind::Clinic, t);
            others.push((t.clone(), c));
        }
        others
    }

    /// Every kind's units and the organizations covering them (cooperatives' with their
    /// members); returns the enterprises' and the social organizations' covering
    /// organizations (area, organization), whose members come later.
    fn units(&mut self, spec: &DemoSpec, tree: &Committees) -> (Placed, Placed) {
        let areas: Vec<ExtId> = tree.townships.iter().map(|(t, _)| t.clone()).collect();
        let coop_areas: Vec<ExtId> = tree.rural().into_iter().cloned().collect();
        let mut enterprise_orgs = Vec::new();
        let mut social_orgs = Vec::new();
        for u in &spec.units {
            let areas = if u.kind == UnitKind::Cooperative {
                &coop_areas
            } else {
                &areas
            };
            if areas.is_empty() {
                continue;
            }
            let prefix = unit_prefix(u.kind);
            let groups = self.register_units(u, prefix, &unit_areas(u, areas));
            let orgs = self.covering_orgs(u.kind, prefix, areas, &groups);
            match u.kind {
                UnitKind::NonPublicEnterprise => enterprise_orgs.extend(orgs),
                UnitKind::SocialOrganization => social_orgs.extend(orgs),
                UnitKind::Cooperative => {}
            }
        }
        (enterprise_orgs, social_orgs)
    }

    /// Registers the units of `u` where `unit_areas` puts them; returns each covering
    /// organization's group of units (id, name).
    fn register_units(
        &mut self,
        u: &UnitSpec,
        prefix: &str,
        unit_areas: &[(ExtId, Option<u32>)],
    ) -> Vec<Vec<(ExtId, String)>> {
        let mut groups: Vec<Vec<(ExtId, String)>> = vec![Vec::new(); u.orgs as usize];
        for (i, (area, group)) in unit_areas.iter().enumerate() {
            let unit = id(&format!("u{prefix}-{:03}", i + 1));
            let unit_name = format!("{}{}号{}", self.short_name(area), i + 1, unit_noun(u.kind));
            self.push(
                area,
                Event::RegisterUnit(crate::org::RegisterUnit {
                    id: unit.clone(),
                    name: name(&unit_name),
                    kind: u.kind,
                    area: area.clone(),
                    eligible: (i as u32) < u.eligible,
                }),
            );
            if let Some(j) = group {
                groups[*j as usize].push((unit, unit_name));
            }
        }
        groups
    }

    /// Creates each group's covering organization, named after its first unit, and covers the
    /// group's units with it; a cooperative's gets its three farmers at once. Returns the
    /// organizations (area, organization).
    fn covering_orgs(
        &mut self,
        kind: UnitKind,
        prefix: &str,
        areas: &[ExtId],
        groups: &[Vec<(ExtId, String)>],
    ) -> Placed {
        let mut orgs = Vec::with_capacity(groups.len());
        for (j, units) in groups.iter().enumerate() {
            let area = group_area(areas, j as u32);
            let o = id(&format!("{prefix}-{:03}", j + 1));
            let label = if units.len() > 1 {
                "联合党支部"
            } else {
                "党支部"
            };
            let first = units.first().map_or("", |(_, n)| n.as_str());
            self.org(
                &area,
                &o,
                &format!("{first}{label}"),
                kind.covering_org_kind(),
                &area,
            );
            for (u, _) in units {
                self.push(
                    &area,
                    Event::CoverUnit(crate::org::CoverUnit {
                        unit: u.clone(),
                        org: Some(o.clone()),
                    }),
                );
            }
            if kind == UnitKind::Cooperative {
                self.members(&area, &o, MemberCategory::Farmer, 3, &[Role::Secretary]);
            }
            orgs.push((area, o));
        }
        orgs
    }
}

/// SplitMix64: a small, fixed pseudo-random sequence, so the demo is the same on every run.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The 123 work method's records of a year in every village of `state` (built by
/// [`commands`]): a register of poor households, a reception every week by the secretary (and
/// sometimes a committee member), two or three household visits a month by every cadre, and a
/// few villagers' concerns each month, most resolved in the village, some escalated to the
/// township. Deterministic for a given state and `from` date; covers 52 weeks from `from`.
/// Households and concerns take ids derived from their village's; a village whose id is too
/// long for that gets none of them.
pub fn method123_commands(state: &crate::ledger::State, from: Date) -> Vec<Command> {
    let mut cmds = Vec::new();
    let mut mix = Mix(0x123);
    let villages: Vec<crate::model::OrgIdx> = (0..state.orgs().len() as u32)
        .map(crate::model::OrgIdx)
        .filter(|o| state.org(*o).kind == OrgKind::Village)
        .collect();
    for (vi, &v) in villages.iter().enumerate() {
        let Some(year) = VillageYear::of(state, v, vi, from) else {
            continue;
        };
        year.register(&mut cmds);
        year.receptions(&mut mix, &mut cmds);
        for month in 0..12i64 {
            year.visits(month, &mut mix, &mut cmds);
            year.concerns(month, &mut mix, &mut cmds);
        }
    }
    // Commands are checked in date order per entity; sort by date, keeping each village's
    // order within a day.
    cmds.sort_by_key(|c| c.at.date);
    cmds
}

/// One village's year of the 123 method, as [`method123_commands`] makes it.
struct VillageYear {
    /// The first day of the year.
    from: Date,
    /// The village's place among the villages (its receptions' weekday).
    vi: usize,
    village: ExtId,
    township: Option<ExtId>,
    /// The village's cadres on `from`, with their roles.
    cadres: Vec<(ExtId, Role)>,
    /// The village's secretary on `from`.
    secretary: ExtId,
    /// The register of poor households.
    households: Vec<ExtId>,
}

impl VillageYear {
    /// The `vi`-th village `v` of `state` from `from`; none without a secretary then.
    fn of(
        state: &crate::ledger::State,
        v: crate::model::OrgIdx,
        vi: usize,
        from: Date,
    ) -> Option<VillageYear> {
        let village = state.org(v).id.clone();
        let township = state.org(v).parent.map(|p| state.org(p).id.clone());
        let cadres: Vec<(ExtId, Role)> = state
            .cadres_on(v, from)
            .map(|(m, r)| (state.member(m).id.clone(), r))
            .collect();
        let (secretary, _) = cadres
            .iter()
            .find(|(_, r)| *r == Role::Secretary)
            .cloned()?;
        let households: Vec<ExtId> = (0..10)
            .filter_map(|h| try_id(&format!("h-{}-{h:02}", village.as_str())).ok())
            .collect();
        Some(VillageYear {
            from,
            vi,
            village,
            township,
            cadres,
            secretary,
            households,
        })
    }

    /// `n` days after the first day.
    fn day(&self, n: i64) -> Date {
        self.from.saturating_add(jiff::Span::new().days(n))
    }

    /// The register of poor households, on the first day.
    fn register(&self, cmds: &mut Vec<Command>) {
        for h in &self.households {
            cmds.push(Command::new(
                Stamp::on(self.from),
                Actor::org(&self.village),
                Event::RegisterHousehold(crate::method123::RegisterHousehold {
                    id: h.clone(),
                    village: self.village.clone(),
                }),
            ));
        }
    }

    /// A reception every week by the secretary, with the first committee member one time in
    /// three.
    fn receptions(&self, mix: &mut Mix, cmds: &mut Vec<Command>) {
        for week in 0..52i64 {
            let on = self.day(week * 7 + (self.vi as i64 % 5));
            let mut on_duty = vec![self.secretary.clone()];
            if let Some((m, _)) = self
                .cadres
                .iter()
                .find(|(_, r)| *r == Role::CommitteeMember)
                && mix.below(3) == 0
            {
                on_duty.push(m.clone());
            }
            cmds.push(Command::new(
                Stamp::on(on),
                Actor::org(&self.village),
                Event::RecordReception(crate::method123::RecordReception {
                    village: self.village.clone(),
                    cadres: list(on_duty),
                    visitors: 1 + mix.below(4) as u32,
                }),
            ));
        }
    }

    /// Two or three household visits by every cadre in month `month`.
    fn visits(&self, month: i64, mix: &mut Mix, cmds: &mut Vec<Command>) {
        for (cadre, _) in &self.cadres {
            for _ in 0..2 + mix.below(2) {
                let pick = mix.below(self.households.len() as u64) as usize;
                let Some(h) = self.households.get(pick) else {
                    continue;
                };
                cmds.push(Command::new(
                    Stamp::on(self.day(month * 30 + 1 + mix.below(27) as i64)),
                    Actor::org(&self.village),
                    Event::RecordVisit(crate::method123::RecordVisit {
                        cadre: cadre.clone(),
                        household: h.clone(),
                    }),
                ));
            }
        }
    }

    /// One or two villagers' concerns raised in month `month`, and how each is handled.
    fn concerns(&self, month: i64, mix: &mut Mix, cmds: &mut Vec<Command>) {
        use crate::method123::{Channel, ConcernCategory};
        for q in 0..1 + mix.below(2) {
            let Ok(concern) = try_id(&format!("q-{}-{month:02}-{q}", self.village.as_str())) else {
                continue;
            };
            let raised = self.day(month * 30 + 2 + mix.below(10) as i64);
            cmds.push(Command::new(
                Stamp::on(raised),
                Actor::org(&self.village),
                Event::RaiseConcern(crate::method123::RaiseConcern {
                    id: concern.clone(),
                    village: self.village.clone(),
                    raised_by: None,
                    channel: if q == 0 {
                        Channel::Reception
                    } else {
                        Channel::Visit
                    },
                    category: if mix.below(2) == 0 {
                        ConcernCategory::LandBoundary
                    } else {
                        ConcernCategory::HousingApplication
                    },
                    text: text("群众反映的实际问题"),
                }),
            ));
            self.handle(&concern, raised, mix, cmds);
        }
    }

    /// A concern raised on `raised`: seven in ten resolved by the secretary in three days, two
    /// escalated to the township (if any) and resolved there, the rest left open.
    fn handle(&self, concern: &ExtId, raised: Date, mix: &mut Mix, cmds: &mut Vec<Command>) {
        use crate::method123::Tier;
        let resolve = |on: Date, actor: &ExtId, handler: Option<ExtId>| {
            Command::new(
                Stamp::on(on),
                Actor::org(actor),
                Event::ResolveConcern(crate::method123::ResolveConcern {
                    concern: concern.clone(),
                    outcome: text("已协调解决"),
                    feedback: Some(text("已向群众反馈")),
                    handler,
                }),
            )
        };
        let days = |n: i64| raised.saturating_add(jiff::Span::new().days(n));
        match (mix.below(10), &self.township) {
            (0..=6, _) => {
                cmds.push(resolve(
                    days(3),
                    &self.village,
                    Some(self.secretary.clone()),
                ));
            }
            (7 | 8, Some(t)) => {
                cmds.push(Command::new(
                    Stamp::on(days(16)),
                    Actor::org(t),
                    Event::EscalateConcern(crate::method123::EscalateConcern {
                        concern: concern.clone(),
                        to: Tier::Township,
                    }),
                ));
                cmds.push(resolve(days(20), t, None));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_city_alone_differs_from_its_province_copy_only_in_its_root() {
        let spec = DemoSpec::small();
        let alone = city_alone(&spec, 4).unwrap();
        let placed = province_city(&spec, 4).unwrap();
        assert_eq!(alone.len(), placed.len());
        assert_eq!(alone[1..], placed[1..]);
        let city = city_id(4);
        assert_eq!(alone[0].actor, Actor::org(&city));
        assert_eq!(placed[0].actor, Actor::org(&province_id()));
        let parents = [&alone[0], &placed[0]].map(|c| match &c.event {
            Event::CreateOrg(o) => (o.id.clone(), o.parent.clone()),
            other => panic!("{other:?}"),
        });
        assert_eq!(parents[0], (city.clone(), None));
        assert_eq!(parents[1], (city, Some(province_id())));
    }

    #[test]
    fn every_organization_of_a_city_carries_its_prefix() {
        let alone = city_alone(&DemoSpec::small(), 12).unwrap();
        let mut orgs = 0;
        for c in &alone {
            if let Actor::Org { org, .. } = &c.actor {
                assert!(org.as_str().starts_with("k012."), "{org}");
            }
            if let Event::CreateOrg(o) = &c.event {
                assert!(o.id.as_str().starts_with("k012."), "{}", o.id);
                orgs += 1;
            }
        }
        assert!(orgs > 20, "{orgs}");
        assert_eq!(province_id().as_str(), "prov");
    }
}
