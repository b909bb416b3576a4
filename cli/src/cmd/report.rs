//! `chuangzheng report` and `chuangzheng audit`: the stage report of a journal, and the audit of
//! published claims against it.

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::report::{Claims, StageReport, Support, audit, findings_text};

use crate::args::{AuditArgs, Format, ReportArgs};
use std::io::{IsTerminal, Write};
use std::path::Path;

use super::rollup::read_figures;

use crate::failure::{Failure, io_failure, say, say_raw, usage};
use crate::journal::{replay, scope_of, span_of};
use crate::progress;

pub fn run(a: &ReportArgs) -> Result<(), Failure> {
    let report = match (&a.figures, &a.journal) {
        (Some(figures), _) => StageReport::from_figures(&read_figures(figures)?)?,
        (None, Some(journal)) => of_journal(journal, a)?,
        (None, None) => {
            return Err(usage(
                "report 需要一个日志，或 --figures 统计数据文件",
                "report takes a journal, or --figures FILE",
            ));
        }
    };
    let built = progress::spinner("写出 writing the report");
    let bytes = match a.format {
        Format::Json => report.to_json().into_bytes(),
        Format::Html => report.to_html().into_bytes(),
        Format::Text => report.to_text().into_bytes(),
        Format::Xlsx => report.to_xlsx()?,
    };
    built.finish_and_clear();
    match &a.out {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| io_failure("写入", path, &e)),
        None if matches!(a.format, Format::Xlsx) && std::io::stdout().is_terminal() => Err(usage(
            "xlsx 是二进制文件，不宜显示在终端上：请用 --out FILE 写入文件，或重定向到文件",
            "xlsx is binary, not for a terminal: give --out FILE, or redirect stdout to a file",
        )),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed stdout (`… | head`) is no one's error.
            let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
            Ok(())
        }
    }
}

/// The report of `journal` over the options' scope and span.
fn of_journal(journal: &Path, a: &ReportArgs) -> Result<StageReport, Failure> {
    let (campaign, _) = replay(journal)?;
    let root = scope_of(&campaign, a.window.scope.as_deref())?;
    let span = span_of(&campaign, &a.window)?;
    let built = progress::spinner("统计 building the report");
    let report = StageReport::build_with(&campaign, root, span, a.attribution.into());
    built.finish_and_clear();
    Ok(report)
}

pub fn run_audit(a: &AuditArgs) -> Result<(), Failure> {
    let journal = match (&a.journal, a.demo) {
        (Some(j), false) => Some(j),
        (None, true) => None,
        _ => {
            return Err(usage(
                "audit 需要一个声明文件和一个日志，或一个声明文件和 --demo",
                "audit takes a claims file and a journal, or a claims file and --demo",
            ));
        }
    };
    let text = std::fs::read_to_string(&a.claims).map_err(|e| io_failure("读取", &a.claims, &e))?;
    let claims = Claims::from_json(&text)?;
    let campaign = match journal {
        Some(j) => replay(j)?.0,
        None => std::mem::ManuallyDrop::new(demo::build(&DemoSpec::seed())?),
    };
    let root = scope_of(&campaign, a.window.scope.as_deref())?;
    let mut span = span_of(&campaign, &a.window)?;
    if journal.is_none() && a.window.as_of.is_none() {
        span.as_of = demo::AS_OF;
    }
    let report = StageReport::build(&campaign, root, span);
    let findings = audit(&report, &claims);
    if a.json {
        let doc = serde_json::json!({
            "source": claims.source,
            "scope": report.scope_org,
            "as_of": span.as_of,
            "findings": findings,
        });
        say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        if let Some(s) = &claims.source {
            say!("来源：{s} / source: {s}");
        }
        let (name, org, as_of) = (&report.scope_name, &report.scope_org, span.as_of);
        say!("核对范围：{name}，截至 {as_of} / scope: {name} ({org}), as of {as_of}\n");
        say_raw!("{}", findings_text(&findings));
    }
    let failing = findings
        .iter()
        .filter(|f| matches!(f.verdict, Support::Unsupported | Support::Invalid))
        .count();
    match failing {
        0 => Ok(()),
        _ => Err(Failure {
            code: 5002,
            zh: format!("{failing} 项声明无据或无法核对"),
            en: format!("{failing} claims unsupported or invalid"),
        }),
    }
}
