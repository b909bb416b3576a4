//! Usage errors, as the tool says them: one line in Chinese and English, then a hint naming the
//! command's `--help` (with clap's suggestion for a misspelt command, option or value), never
//! the whole help. clap finds the error; this module says it in both languages.

use std::ffi::OsString;

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::args::{Bilingual, Cli};

/// A usage error: what is wrong, in both languages, and perhaps what was meant.
pub struct Usage {
    pub zh: String,
    pub en: String,
    pub suggestion: Option<String>,
}

impl Usage {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Usage {
        Usage {
            zh: zh.into(),
            en: en.into(),
            suggestion: None,
        }
    }

    /// The two lines on stderr; `command` is the subcommand typed, or "" for none.
    pub fn lines(&self, command: &str) -> String {
        let command = match command {
            "" => String::new(),
            c => format!(" {c}"),
        };
        let (meant_zh, meant_en) = match &self.suggestion {
            Some(s) => (format!("是否要用 {s}？"), format!("did you mean {s}? ")),
            None => (String::new(), String::new()),
        };
        format!(
            "用法错误：{} / usage: {}\n提示：{meant_zh}运行 chuangzheng{command} --help 查看用法 / hint: {meant_en}chuangzheng{command} --help",
            self.zh, self.en
        )
    }
}

/// The subcommand named in `args` (the program's name first), or "" when there is none: the
/// command whose `--help` the hint names.
pub fn command_typed(args: &[OsString]) -> String {
    let Some(name) = args.get(1).and_then(|a| a.to_str()) else {
        return String::new();
    };
    let known = Cli::command()
        .get_subcommands()
        .any(|c| c.get_name() == name && name != "help");
    if known {
        name.to_string()
    } else {
        String::new()
    }
}

/// A context of a clap error, as text.
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The option of an argument as clap shows it (`--as-of <DATE>` → `--as-of`).
fn option_of(arg: &str) -> &str {
    match arg.starts_with('-') {
        true => arg.split_whitespace().next().unwrap_or(arg),
        false => arg,
    }
}

/// clap's error in both languages. `command` is the subcommand typed, or "".
pub fn from_clap(e: &clap::Error, command: &str) -> Usage {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let mut usage = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let name = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            Usage::new(
                format!("未知的命令 {name:?}"),
                format!("unknown command {name:?}"),
            )
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => Usage::new(
            format!("未知的选项 {arg:?}"),
            format!("unknown option {arg:?}"),
        ),
        ErrorKind::UnknownArgument => Usage::new(
            format!("多余的参数 {arg:?}"),
            format!("unexpected argument {arg:?}"),
        ),
        ErrorKind::InvalidValue => invalid_value(e, &arg),
        ErrorKind::ValueValidation => invalid_by_parser(e, &arg),
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues | ErrorKind::TooManyValues => {
            let expected = context(e, ContextKind::ExpectedNumValues).unwrap_or_default();
            let actual = context(e, ContextKind::ActualNumValues).unwrap_or_default();
            Usage::new(
                format!("{arg} 需要 {expected} 个值，给出了 {actual} 个"),
                format!("{arg} takes {expected} values, {actual} given"),
            )
        }
        ErrorKind::ArgumentConflict => conflict(e, &arg),
        ErrorKind::MissingRequiredArgument => missing(&arg, command),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            if command.is_empty() =>
        {
            Usage::new("未给出命令", "no command given")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            Usage::new(
                format!("{command} 缺少子命令"),
                format!("{command}: a subcommand is missing"),
            )
        }
        ErrorKind::InvalidUtf8 => Usage::new(
            "参数不是有效的 UTF-8 文本",
            "an argument is not valid UTF-8",
        ),
        _ => Usage::new("命令行有误", first_line(e)),
    };
    usage.suggestion = suggestion(e);
    usage
}

/// A value that is none of the allowed ones, or no value at all.
fn invalid_value(e: &clap::Error, arg: &str) -> Usage {
    let option = option_of(arg);
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    if value.is_empty() {
        return Usage::new(
            format!("{option} 需要一个值"),
            format!("{option} needs a value"),
        );
    }
    match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(valid)) => Usage::new(
            format!("{option} {value:?} 应为 {} 之一", valid.join("、")),
            format!("{option} {value:?}: one of {}", valid.join(", ")),
        ),
        _ => Usage::new(
            format!("{option} {value:?} 不是有效的值"),
            format!("{option} {value:?}: not a valid value"),
        ),
    }
}

/// A value its parser refused: the parser says why, in both languages.
fn invalid_by_parser(e: &clap::Error, arg: &str) -> Usage {
    let option = option_of(arg);
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let source = std::error::Error::source(e);
    match source.and_then(|s| s.downcast_ref::<Bilingual>()) {
        Some(why) => Usage::new(
            format!("{option} {value:?} {}", why.zh),
            format!("{option} {value:?}: {}", why.en),
        ),
        None => Usage::new(
            format!("{option} {value:?} 不是有效的值"),
            format!(
                "{option} {value:?}: {}",
                source.map_or(String::new(), |s| s.to_string())
            ),
        ),
    }
}

/// Two options that do not go together, or one given twice.
fn conflict(e: &clap::Error, arg: &str) -> Usage {
    let option = option_of(arg);
    let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
    if prior.is_empty() || option_of(&prior) == option {
        return Usage::new(
            format!("{option} 只能给出一次"),
            format!("{option} may be given once"),
        );
    }
    let prior = option_of(&prior);
    Usage::new(
        format!("{option} 不能与 {prior} 同时使用"),
        format!("{option} cannot be used with {prior}"),
    )
}

/// Required arguments left out.
fn missing(args: &str, command: &str) -> Usage {
    match command {
        "" => Usage::new(format!("缺少参数 {args}"), format!("missing {args}")),
        c => Usage::new(
            format!("{c} 缺少参数 {args}"),
            format!("{c}: missing {args}"),
        ),
    }
}

/// What clap thinks was meant: a command, an option or a value close to the one typed.
fn suggestion(e: &clap::Error) -> Option<String> {
    [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| context(e, kind))
    .filter(|s| !s.is_empty())
}

/// clap's own message, its first line without the `error: ` prefix: for a kind this module
/// does not name.
fn first_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn usage_of(args: &[&str]) -> (Usage, String) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let e = Cli::try_parse_from(&args).expect_err("a usage error");
        let command = command_typed(&args);
        (from_clap(&e, &command), command)
    }

    #[test]
    fn each_kind_is_said_in_both_languages() {
        let cases: [(&[&str], &str, &str); 10] = [
            (&["cz"], "未给出命令", "no command given"),
            (
                &["cz", "reprot"],
                "未知的命令 \"reprot\"",
                "unknown command",
            ),
            (
                &["cz", "demo", "--bogus"],
                "未知的选项 \"--bogus\"",
                "unknown option",
            ),
            (
                &["cz", "demo", "extra"],
                "多余的参数 \"extra\"",
                "unexpected argument",
            ),
            (
                &["cz", "demo", "--out"],
                "--out 需要一个值",
                "--out needs a value",
            ),
            (
                &["cz", "verify"],
                "verify 缺少参数 <JOURNAL>",
                "verify: missing",
            ),
            (
                &["cz", "report", "j", "--format", "pdf"],
                "--format \"pdf\" 应为 text、json、html、xlsx 之一",
                "one of text, json, html, xlsx",
            ),
            (
                &["cz", "report", "j", "--as-of", "2010-02-30"],
                "--as-of \"2010-02-30\" 不是有效日期",
                "not a date",
            ),
            (
                &["cz", "import", "j", "c", "--create", "id"],
                "--create <ID> <NAME> 需要 2 个值，给出了 1 个",
                "takes 2 values, 1 given",
            ),
            (
                &["cz", "report", "j", "--out", "a", "--out", "b"],
                "--out 只能给出一次",
                "--out may be given once",
            ),
        ];
        for (args, zh, en) in cases {
            let (u, _) = usage_of(args);
            assert!(u.zh.starts_with(zh), "{args:?}: {}", u.zh);
            assert!(u.en.contains(en), "{args:?}: {}", u.en);
        }
    }

    #[test]
    fn a_misspelt_command_option_or_value_is_suggested() {
        let (u, command) = usage_of(&["cz", "reprot"]);
        assert_eq!(
            (u.suggestion.as_deref(), command.as_str()),
            (Some("report"), "")
        );
        let (u, command) = usage_of(&["cz", "report", "j", "--scop", "t-01"]);
        assert_eq!(u.suggestion.as_deref(), Some("--scope"));
        assert_eq!(command, "report");
        let (u, _) = usage_of(&["cz", "report", "j", "--format", "jsn"]);
        assert_eq!(u.suggestion.as_deref(), Some("json"));
        let lines = u.lines("report");
        assert!(
            lines.contains("提示：是否要用 json？运行 chuangzheng report --help"),
            "{lines}"
        );
        assert!(
            lines.contains("hint: did you mean json? chuangzheng report --help"),
            "{lines}"
        );
    }
}
