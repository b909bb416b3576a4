//! `chuangzheng figures` and `chuangzheng merge`: a scope's figures alone, and their sum across
//! journals; `report --figures` reports them (in [`super::report`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use chuangzheng::model::Name;
use chuangzheng::report::{FiguresDoc, FiguresError};

use crate::args::{FiguresArgs, MergeArgs};
use crate::failure::{Failure, io_failure, usage};
use crate::journal::{replay, scope_of, span_of};
use crate::progress;

/// The largest figures file read: far above a country's cities (a city's is about 8 KB).
const MAX_FIGURES_BYTES: u64 = 256 << 20;

pub fn run_figures(a: &FiguresArgs) -> Result<(), Failure> {
    let (campaign, _) = replay(&a.journal)?;
    let root = scope_of(&campaign, a.window.scope.as_deref())?;
    let span = span_of(&campaign, &a.window)?;
    let counted = progress::spinner("统计 counting the figures");
    let doc = FiguresDoc::of(&campaign, root, span, a.attribution.into());
    counted.finish_and_clear();
    emit(a.out.as_deref(), &doc.to_json())
}

pub fn run_merge(a: &MergeArgs) -> Result<(), Failure> {
    let title = match &a.title {
        Some(t) => Some(Name::new("--title", t)?),
        None => None,
    };
    let docs = a
        .inputs
        .iter()
        .map(|p| read_figures(p))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = FiguresDoc::merge(&docs, title)?;
    emit(a.out.as_deref(), &merged.to_json())
}

/// Reads and checks the figures file at `path`; a refusal names the file.
pub fn read_figures(path: &Path) -> Result<FiguresDoc, Failure> {
    let too_big = |len: u64| {
        let limit = MAX_FIGURES_BYTES >> 20;
        Failure {
            code: 5004,
            zh: format!(
                "{}：统计数据文件 {len} 字节，超过上限 {limit} MiB",
                path.display()
            ),
            en: format!(
                "{}: a figures file of {len} bytes passes the limit of {limit} MiB",
                path.display()
            ),
        }
    };
    let len = std::fs::metadata(path)
        .map_err(|e| io_failure("读取", path, &e))?
        .len();
    if len > MAX_FIGURES_BYTES {
        return Err(too_big(len));
    }
    let text = std::fs::read_to_string(path).map_err(|e| io_failure("读取", path, &e))?;
    FiguresDoc::from_json(&text).map_err(|e| in_file(path, &e))
}

/// `e`, its messages prefixed by the file it was found in.
fn in_file(path: &Path, e: &FiguresError) -> Failure {
    let f = Failure::from(e.clone());
    Failure {
        code: f.code,
        zh: format!("{}：{}", path.display(), f.zh),
        en: format!("{}: {}", path.display(), f.en),
    }
}

/// Writes `json` to `out`, or to stdout.
fn emit(out: Option<&Path>, json: &str) -> Result<(), Failure> {
    match out {
        Some(path) => write_new(path, json),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed stdout (`… | head`) is no one's error.
            let _ = writeln!(stdout, "{json}").and_then(|()| stdout.flush());
            Ok(())
        }
    }
}

/// Writes `json` to `path` through a file beside it, renamed into place: a reader (another
/// task of a rollup) never sees half a file.
fn write_new(path: &Path, json: &str) -> Result<(), Failure> {
    let mut tmp = PathBuf::from(path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(name) = name else {
        return Err(usage(
            format!("--out {} 不是文件路径", path.display()),
            format!("--out {} is not a file path", path.display()),
        ));
    };
    tmp.set_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, format!("{json}\n")).map_err(|e| io_failure("写入", &tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_failure("写入", path, &e))
}
