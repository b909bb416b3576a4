//! The command line, declared: every command, option and value, and the help `--help` prints.
//! Values that can be checked alone (dates, hashes, counts) are checked here, with messages in
//! both languages ([`Bilingual`]); what depends on several options or on the journal is checked
//! by the command.

use std::num::NonZeroU64;
use std::path::PathBuf;

use chuangzheng::ledger::hash_from_hex;
use chuangzheng::ledger::import::MAX_CHUNK_COMMANDS;
use chuangzheng::report::Reading;
use chuangzheng::sheets::Kind;
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

const AFTER_HELP: &str = "\
DATES are YYYY-MM-DD. ORG is an organization's id as the host gave it (e.g. t-01).

EXIT STATUS:
  0  done
  1  the input was refused: a command, a rule file, a claim not supported by the records, or a
     journal that fails verification (the message gives the error's code)
  2  usage: an unknown command or option, a missing or malformed argument
  3  a file could not be read or written
  4  verify: the journal's records verify, but bytes at its end belong to no record (4010)
  5  verify with a key: records after the last checkpoint the key verifies (4014)

Error messages are in Chinese and English and start with the error's stable code, listed in
docs/events.md. Long imports, replays and reports show their progress on stderr when it is a
terminal.";

/// What each command's help ends with: its examples, then where the rest is.
macro_rules! footer {
    ($($example:literal),+ $(,)?) => {
        concat!(
            "EXAMPLES:\n",
            $("  ", $example, "\n",)+
            "\nDATES are YYYY-MM-DD. Exit statuses and error codes: chuangzheng --help"
        )
    };
}

// The `chuangzheng` command line; the doc comment below is its help.
#[derive(Parser, Debug)]
#[command(
    name = "chuangzheng",
    version,
    subcommand_required = true,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
/// 创先争优 rules engine: public pledges, the 123 work method, evaluations, the stage-review
/// report (阶段点评).
///
/// Every figure is computed from a journal of dated commands: an SM3 hash-chained JSON Lines file
/// that `import` writes and every other command reads.
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    Demo(DemoArgs),
    Report(ReportArgs),
    Figures(FiguresArgs),
    Merge(MergeArgs),
    Import(ImportArgs),
    Checkpoint(CheckpointArgs),
    Verify(VerifyArgs),
    Snapshot(SnapshotArgs),
    Audit(AuditArgs),
    Rules(RulesArgs),
    Template(TemplateArgs),
    Completions(CompletionsArgs),
}

impl Cmd {
    /// The command's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Cmd::Demo(_) => "demo",
            Cmd::Report(_) => "report",
            Cmd::Figures(_) => "figures",
            Cmd::Merge(_) => "merge",
            Cmd::Import(_) => "import",
            Cmd::Checkpoint(_) => "checkpoint",
            Cmd::Verify(_) => "verify",
            Cmd::Snapshot(_) => "snapshot",
            Cmd::Audit(_) => "audit",
            Cmd::Rules(_) => "rules",
            Cmd::Template(_) => "template",
            Cmd::Completions(_) => "completions",
        }
    }
}

/// Build the bundled demo city, journal and verify it, print its stage report.
///
/// The city has the seed's shape: 905 organizations, 24,128 members, about 300,000 dated records
/// sent through the ledger. The journal is reopened and verified, and the stage report printed
/// in Chinese (with --json: the JSON report).
///
/// With --province N: N copies of the city under a province committee, written as test shards
/// for a cross-machine rollup instead: the province's journal, and each city's own journal
/// with the same records, whose figures merge into the province's.
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng demo",
        "chuangzheng demo --out demo     # the journal, and the report as JSON, text, HTML, xlsx",
        "chuangzheng demo --small --out demo --commands commands.jsonl",
        "chuangzheng demo --province 4 --out shards   # province.jsonl, k000.city.jsonl … k003.city.jsonl",
    ))]
pub struct DemoArgs {
    /// Also write DIR/journal.jsonl, report.json, report.txt, report.html (the page prints on
    /// A4) and report.xlsx. With --province: where the shards go.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the JSON report instead of the text.
    #[arg(long)]
    pub json: bool,
    /// Build a small city of the same shape instead.
    #[arg(long)]
    pub small: bool,
    /// Write the demo's commands as JSON Lines to FILE: what `import` reads, and what a host
    /// would send.
    #[arg(long, value_name = "FILE")]
    pub commands: Option<PathBuf>,
    /// Write a province of N cities (1 to 1000) to DIR instead of the report: DIR/province.jsonl
    /// (the root `prov` over cities k000.city, k001.city, …), and each city's own journal,
    /// DIR/k000.city.jsonl, … with the same ids and records, rooted at the city.
    #[arg(long, value_name = "N", value_parser = province_cities, allow_negative_numbers = true,
          requires = "out", conflicts_with_all = ["json", "commands"])]
    pub province: Option<u32>,
}

/// Cities in a demo province: 1 to 1000.
fn province_cities(v: &str) -> Result<u32, Bilingual> {
    v.parse::<u32>()
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| Bilingual::new("应为城市个数，1 到 1000", "a number of cities, 1 to 1000"))
}

/// Which records count, and where in the tree: the options `report` and `audit` share.
#[derive(Args, Debug)]
pub struct Window {
    /// The subtree of ORG, as it stood on the as-of date [default: the root].
    #[arg(long, value_name = "ORG")]
    pub scope: Option<String>,
    /// Count the records dated up to DATE, in the tree of DATE [default: the latest date
    /// recorded].
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub as_of: Option<Date>,
    /// Count the records dated from DATE [default: the first].
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub from: Option<Date>,
}

/// The stage report of a journal, as Chinese text, JSON, an HTML page or an Excel workbook.
///
/// For the subtree of ORG as it stood on the as-of date, over the records dated from the --from
/// date to the as-of date; to FILE or stdout. With --figures instead of a journal, the report of
/// a figures file (`figures`, `merge`): its rates and amounts computed from its merged counts,
/// each scope a row of 附表一. See docs/report.md.
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng report city.jsonl",
        "chuangzheng report city.jsonl --scope t-01 --as-of 2010-09-30 --format html --out t-01.html",
        "chuangzheng report city.jsonl --scope t-01 --attribution historical",
        "chuangzheng report city.jsonl --format xlsx --out city.xlsx",
        "chuangzheng report --figures all.json --format html --out all.html",
    ))]
pub struct ReportArgs {
    /// The journal to read (JSON Lines, as `import` writes it).
    #[arg(value_name = "JOURNAL", required_unless_present = "figures")]
    pub journal: Option<PathBuf>,
    /// Report a figures file (written by `figures` or `merge`) instead of a journal.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["journal", "scope", "as_of", "from", "attribution"])]
    pub figures: Option<PathBuf>,
    #[command(flatten)]
    pub window: Window,
    /// Where a record counts: under its organization's place on the as-of date (as-of), or
    /// under the organization its author stood under on the record's own date (historical).
    #[arg(long, value_enum, value_name = "READING", default_value_t = Attribution::AsOf)]
    pub attribution: Attribution,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The figures of a scope alone, as JSON: what `merge` adds up across machines.
///
/// The mergeable counts of the subtree of ORG over the span (as `report` takes them), with what
/// they were computed under: the campaign, the span, the reading, the 123 method's first day,
/// the rule set and its SM3 hash. A few kilobytes; see docs/report.md, "Figures alone".
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng figures k000.city.jsonl --out k000.json",
        "chuangzheng figures province.jsonl --scope k001.city --as-of 2010-10-31 --out k001.json",
    ))]
pub struct FiguresArgs {
    /// The journal to read (JSON Lines, as `import` writes it).
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
    #[command(flatten)]
    pub window: Window,
    /// Where a record counts (as `report`).
    #[arg(long, value_enum, value_name = "READING", default_value_t = Attribution::AsOf)]
    pub attribution: Attribution,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Adds up figures files (`figures`, or earlier merges) into one.
///
/// Refused when two were computed under different terms (span, reading, the 123 method's first
/// day, rules: 5005, naming the difference) or cover the same organizations (5006). The merge's
/// report (`report --figures`) goes under the scopes' common parent, or under --title.
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng merge k000.json k001.json k002.json --out province.json",
        "chuangzheng merge p01.json p02.json --title 全国 --out all.json",
    ))]
pub struct MergeArgs {
    /// The figures files to add up.
    #[arg(value_name = "FILE", required = true)]
    pub inputs: Vec<PathBuf>,
    /// The name the merge's report goes under [default: the scopes' common parent].
    #[arg(long, value_name = "NAME")]
    pub title: Option<String>,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    /// Chinese text, as an official reads it.
    Text,
    /// The report's JSON (docs/report.md).
    Json,
    /// An HTML page with its charts; prints on A4.
    Html,
    /// An Excel workbook (.xlsx): every figure as a number, the subordinates' table with its
    /// chart, the 123 grid. Written to --out, or to stdout when it is not a terminal.
    Xlsx,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Attribution {
    /// Under the organizations' places on the as-of date.
    AsOf,
    /// Under where each record's author stood on the record's own date.
    Historical,
}

impl From<Attribution> for Reading {
    fn from(a: Attribution) -> Reading {
        match a {
            Attribution::AsOf => Reading::AsOf,
            Attribution::Historical => Reading::Historical,
        }
    }
}

/// Run a JSON Lines file of commands, or a filled workbook, against a journal, all or nothing.
///
/// One command per line; blank lines and lines starting with # are skipped. A workbook (.xlsx,
/// from `chuangzheng template`) gives one command per row of each sheet of a known kind; its
/// refusals name the sheet, the row and the column. Every line is
/// checked first, in order, and if any is refused nothing is recorded (with --keep-going the
/// good lines are recorded and the refused ones listed: the first 10000, the rest counted).
/// Each refusal names its line, code, field and reason; a line that is not UTF-8 or longer than
/// 1 MiB is refused like a malformed one. At most 10000000 commands (3001 naming the first line
/// past it, nothing recorded).
///
/// The file is read twice, checked then recorded, in chunks of --batch commands, one sync each,
/// so memory does not grow with the file. If the journal fails part way, the chunks synced
/// before stay recorded and the error says how many; a file changed between the check and the
/// recording stops the import (4009) before the chunk that differs. A torn last record of the
/// journal (a write cut short) is dropped, saved beside it and reported on stderr. The same
/// import as the C ABI's cz_campaign_import, with the same refusals.
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng import city.jsonl commands.jsonl",
        "chuangzheng import city.jsonl commands.jsonl --keep-going",
        "chuangzheng import city.jsonl 走访登记.xlsx --actor t-01",
        "chuangzheng import new.jsonl commands.jsonl --create dg-2010 东港市 --rules city-rules.json",
        "chuangzheng import city.jsonl commands.jsonl --sign-key key.pem --key-id ops-2026 --every 10000",
        "chuangzheng demo --small --commands commands.jsonl   # writes a file to try",
    ))]
pub struct ImportArgs {
    /// The journal to record into.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
    /// The commands, one JSON object per line (docs/events.md), or a filled template (.xlsx).
    #[arg(value_name = "COMMANDS")]
    pub commands: PathBuf,
    /// Start a new journal for campaign ID named NAME, once the check passed. A file already at
    /// JOURNAL is refused (4002) before anything is read.
    #[arg(long, num_args = 2, value_names = ["ID", "NAME"])]
    pub create: Option<Vec<String>>,
    /// With --create: the new journal's rules [default: the built-in rules].
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Record the good lines and list the refused ones.
    #[arg(long)]
    pub keep_going: bool,
    /// Commands per chunk, 1 to 1000000 [default: 4096].
    #[arg(long, value_name = "N", value_parser = batch, allow_negative_numbers = true)]
    pub batch: Option<usize>,
    /// Print `ack SEQ` on stdout once each chunk is durable.
    #[arg(long)]
    pub ack: bool,
    /// For a workbook: the acting organization of rows that leave 填报单位编号 blank.
    #[arg(long, value_name = "ORG")]
    pub actor: Option<String>,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// With a signing key: a checkpoint every N records, besides the one at the end of each
    /// chunk.
    #[arg(long, value_name = "N", value_parser = every, allow_negative_numbers = true)]
    pub every: Option<NonZeroU64>,
}

/// The key that signs checkpoints, and its name.
#[derive(Args, Debug)]
pub struct SigningArgs {
    /// Sign checkpoints with this SM2 private key (PKCS#8, PEM or DER).
    #[arg(long, value_name = "FILE")]
    pub sign_key: Option<PathBuf>,
    /// Sign checkpoints with this HMAC-SM3 key (the file's bytes, 16 to 1024 of them).
    #[arg(long, value_name = "FILE")]
    pub hmac_key: Option<PathBuf>,
    /// The key's name, written into each checkpoint so that a verifier can tell keys apart.
    #[arg(long, value_name = "ID")]
    pub key_id: Option<String>,
}

/// Write one signed checkpoint record at the journal's end.
///
/// The record holds the hash of the chain through the journal's last record, signed with the
/// key (an SM2 private key, or an HMAC-SM3 key) and named --key-id. `verify --public-key` or
/// `verify --hmac-key` checks it.
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng checkpoint city.jsonl --sign-key key.pem --key-id ops-2026",
        "chuangzheng checkpoint city.jsonl --hmac-key hmac.key --key-id ops-2026",
    ))]
pub struct CheckpointArgs {
    /// The journal to sign.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
    #[command(flatten)]
    pub signing: SigningArgs,
}

/// Write the journal's whole state to a snapshot beside it (JOURNAL.snapshot).
///
/// Later commands that read the journal (report, figures, audit, and hosts opening it) load the
/// snapshot and replay only the records after it. A snapshot that is corrupt, stale or of
/// another version is skipped with a note, and the journal replayed whole. verify always
/// replays everything. See docs/events.md, "Binary snapshots".
#[derive(Args, Debug)]
#[command(after_help = footer!("chuangzheng snapshot city.jsonl"))]
pub struct SnapshotArgs {
    /// The journal (opened for writing while the snapshot is written).
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
}

/// Verify a journal's SM3 hash chain, replay every record, print a summary. Reads only.
///
/// Every byte of the file must belong to a verified record: a last line cut short exits 4.
/// --expect-last-hash and --expect-seq compare the journal's end with anchors kept apart from it
/// (a journal cut at a record boundary, or resealed, verifies without them); a difference is a
/// refusal (exit 1). --public-key and --hmac-key check every checkpoint of their algorithm: one
/// that does not verify exits 1; records after the last one that does (an unsigned tail) exit 5.
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng verify city.jsonl",
        "chuangzheng verify city.jsonl --expect-seq 314710 --expect-last-hash \"$(cat city.last-hash)\"",
        "chuangzheng verify city.jsonl --public-key key.pub.pem --json",
    ))]
pub struct VerifyArgs {
    /// The journal to verify.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
    /// The last record's hash, as kept apart from the journal (64 lowercase hex digits).
    #[arg(long, value_name = "HEX", value_parser = last_hash)]
    pub expect_last_hash: Option<[u8; 32]>,
    /// The number of records, as kept apart from the journal.
    #[arg(long, value_name = "N", value_parser = seq, allow_negative_numbers = true)]
    pub expect_seq: Option<u64>,
    /// Check SM2 checkpoints with this public key (SPKI, PEM or DER); may be repeated.
    #[arg(long = "public-key", value_name = "FILE")]
    pub public_keys: Vec<PathBuf>,
    /// Check HMAC-SM3 checkpoints with this key (the file's bytes); may be repeated.
    #[arg(long = "hmac-key", value_name = "FILE")]
    pub hmac_keys: Vec<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Recompute published claims from a journal's records and say whether they hold.
///
/// Each claim in CLAIMS (see examples/seed-claims.json) is recomputed from the journal's records
/// (or the demo city's, with --demo): supported, under which reading, or by how much it
/// differs. Exits 1 if any claim is unsupported.
#[derive(Args, Debug)]
#[command(after_help = footer!(
        "chuangzheng audit examples/seed-claims.json --demo",
        "chuangzheng audit claims.json city.jsonl --scope t-01 --as-of 2010-09-30",
    ))]
pub struct AuditArgs {
    /// The published claims (JSON).
    #[arg(value_name = "CLAIMS")]
    pub claims: PathBuf,
    /// The journal whose records are checked (or --demo).
    #[arg(value_name = "JOURNAL")]
    pub journal: Option<PathBuf>,
    /// Check the claims against the bundled demo city instead of a journal.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub window: Window,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Print the built-in rule set as JSON, or check a rule file.
///
/// The printed rules are a starting point for a city's own file (docs/rules.md). `rules check
/// FILE` (or `rules --check FILE`) lists every fault of the file, each with its code, field and
/// line.
#[derive(Args, Debug)]
#[command(
    after_help = footer!(
        "chuangzheng rules > city-rules.json",
        "chuangzheng rules check city-rules.json",
    ),
    disable_help_subcommand = true
)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Check a rule file, as `rules check FILE`.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum RulesAction {
    /// Check a rule file: every fault listed, each with its code, field and line.
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// Write the spreadsheet template clerks fill for a kind of record (.xlsx).
///
/// The kind's sheet has Chinese headers (the required ones in red), one example row in grey,
/// dates formatted as dates, ids kept as text and a drop-down list for every choice; a second
/// sheet says what each column takes. With --journal, a third sheet lists the organizations and
/// members of the scope (as of the journal's latest date, or --as-of), and the id columns offer
/// them as drop-downs.
#[derive(Args, Debug)]
#[command(after_help = footer!(
    "chuangzheng template visits --out 走访登记.xlsx",
    "chuangzheng template receptions --journal city.jsonl --scope t-01 --out t-01-接待登记.xlsx",
))]
pub struct TemplateArgs {
    /// The kind of record.
    #[arg(value_name = "KIND", value_parser = template_kind())]
    pub kind: Kind,
    /// Write the template to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// List the ids of this journal's organizations and members in the template.
    #[arg(long, value_name = "JOURNAL")]
    pub journal: Option<PathBuf>,
    /// With --journal: the subtree of ORG [default: the root].
    #[arg(long, value_name = "ORG", requires = "journal")]
    pub scope: Option<String>,
    /// With --journal: the tree and postings of DATE [default: the latest date recorded].
    #[arg(long, value_name = "DATE", value_parser = date, requires = "journal")]
    pub as_of: Option<Date>,
}

/// The kinds of record a template is made for, by their names in the library (`Kind::name`),
/// each shown with its sheet's name: one list, the library's.
fn template_kind() -> impl clap::builder::TypedValueParser<Value = Kind> {
    use clap::builder::TypedValueParser;
    let names = Kind::ALL.map(|k| clap::builder::PossibleValue::new(k.name()).help(k.sheet()));
    clap::builder::PossibleValuesParser::new(names).try_map(|name: String| {
        Kind::from_name(&name)
            .ok_or_else(|| Bilingual::new("不是模板的种类", "not a kind of template"))
    })
}

/// Print a completion script for a shell.
///
/// For bash: `chuangzheng completions bash > ~/.local/share/bash-completion/completions/chuangzheng`
/// (or source it from ~/.bashrc).
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// A reason a value is wrong, in Chinese and in English: the value parsers' error, which the
/// usage message quotes after the option and the value.
#[derive(Debug)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Bilingual {
        Bilingual {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl std::fmt::Display for Bilingual {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for Bilingual {}

/// A date, YYYY-MM-DD.
fn date(v: &str) -> Result<Date, Bilingual> {
    v.parse::<Date>().map_err(|e| {
        Bilingual::new(
            "不是有效日期，应写作 YYYY-MM-DD",
            format!("not a date (YYYY-MM-DD): {e}"),
        )
    })
}

/// A record's hash: 64 lowercase hex digits.
fn last_hash(v: &str) -> Result<[u8; 32], Bilingual> {
    hash_from_hex(v)
        .ok_or_else(|| Bilingual::new("须为 64 位小写十六进制数字", "64 lowercase hex digits"))
}

/// A count of records, 0 or more.
fn seq(v: &str) -> Result<u64, Bilingual> {
    v.parse::<u64>()
        .map_err(|_| Bilingual::new("须为非负整数", "a whole number, 0 or more"))
}

/// Commands per import chunk: 1 to [`MAX_CHUNK_COMMANDS`].
fn batch(v: &str) -> Result<usize, Bilingual> {
    v.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_CHUNK_COMMANDS).contains(n))
        .ok_or_else(|| {
            Bilingual::new(
                format!("应为命令条数，1 到 {MAX_CHUNK_COMMANDS}"),
                format!("a number of commands, 1 to {MAX_CHUNK_COMMANDS}"),
            )
        })
}

/// Records between checkpoints: 1 or more.
fn every(v: &str) -> Result<NonZeroU64, Bilingual> {
    v.parse::<NonZeroU64>()
        .map_err(|_| Bilingual::new("应为记录条数，1 或以上", "a number of records, 1 or more"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The words of an example line, up to a comment or a redirection; a quoted word is one.
    /// A shell substitution (`"$(cat city.last-hash)"`) becomes a well-formed hash.
    fn words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut rest = line.trim();
        while !rest.is_empty() && !rest.starts_with(['#', '>']) {
            let (word, after) = match rest.strip_prefix('"') {
                Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
                None => rest.split_once(' ').unwrap_or((rest, "")),
            };
            // A shell substitution stands for a hash kept apart from the journal.
            match word.starts_with("$(") {
                true => words.push("0".repeat(64)),
                false => words.push(word.to_string()),
            }
            rest = after.trim_start();
        }
        words
    }

    #[test]
    fn every_example_in_the_help_parses() {
        let mut seen = 0;
        for command in Cli::command().get_subcommands() {
            let Some(after) = command.get_after_help() else {
                continue;
            };
            let text = after.to_string();
            let examples = text
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("chuangzheng "));
            for line in examples {
                let parsed = Cli::try_parse_from(words(line));
                assert!(parsed.is_ok(), "{line}: {:?}", parsed.err());
                seen += 1;
            }
        }
        assert!(seen >= 15, "{seen}");
    }
}
