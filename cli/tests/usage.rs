//! The command line itself, as a user meets it: the help of the tool and of each command, a
//! misspelt command, option or value, a bad date, shell completions, progress on a terminal
//! only, and the library's dependency tree free of the tool's libraries.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chuangzheng"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cz-usage-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A usage error: exit 2, nothing on stdout, two lines on stderr (what is wrong, in Chinese
/// then English; a hint with the command's --help), and not the help itself.
fn usage_error(args: &[&str]) -> (String, String) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        !err.contains("Usage:") && !err.contains("Options:"),
        "{err}"
    );
    (lines[0].to_string(), lines[1].to_string())
}

#[test]
fn the_tools_help_lists_every_command_and_the_exit_statuses() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    for command in [
        "demo",
        "report",
        "import",
        "checkpoint",
        "verify",
        "snapshot",
        "audit",
        "rules",
        "template",
        "completions",
    ] {
        let listed = help
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{command} ")));
        assert!(listed, "{command} not listed:\n{help}");
    }
    for status in [
        "0  done",
        "2  usage",
        "3  a file",
        "4  verify",
        "5  verify with a key",
    ] {
        assert!(help.contains(status), "{status}:\n{help}");
    }
    assert_eq!(stdout(&run(&["help"])), help);
    let version = stdout(&run(&["--version"]));
    assert_eq!(
        version.trim(),
        format!("chuangzheng {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn report_help_names_every_option_and_its_values() {
    let out = run(&["report", "--help"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let help = stdout(&out);
    assert!(
        help.contains("Usage: chuangzheng report [OPTIONS] [JOURNAL]"),
        "{help}"
    );
    for option in [
        "--figures <FILE>",
        "--scope <ORG>",
        "--as-of <DATE>",
        "--from <DATE>",
        "--attribution <READING>",
        "--format <FORMAT>",
        "--out <FILE>",
    ] {
        assert!(help.contains(option), "{option}:\n{help}");
    }
    for value in [
        "as-of",
        "historical",
        "text",
        "json",
        "html",
        "[default: text]",
    ] {
        assert!(help.contains(value), "{value}:\n{help}");
    }
    // The short help is shorter, and says where the long one is.
    let short = stdout(&run(&["report", "-h"]));
    assert!(
        short.len() < help.len() && short.contains("--format <FORMAT>"),
        "{short}"
    );
    assert!(!help.contains("chuangzheng import"), "{help}");
}

#[test]
fn a_misspelt_command_is_one_line_with_the_command_meant() {
    let (what, hint) = usage_error(&["reprot", "city.jsonl"]);
    assert_eq!(
        what,
        "用法错误：未知的命令 \"reprot\" / usage: unknown command \"reprot\""
    );
    assert_eq!(
        hint,
        "提示：是否要用 report？运行 chuangzheng --help 查看用法 / hint: did you mean report? chuangzheng --help"
    );
    // Nothing close: no guess.
    let (what, hint) = usage_error(&["fly"]);
    assert!(what.contains("未知的命令 \"fly\""), "{what}");
    assert!(!hint.contains("是否要用"), "{hint}");
}

#[test]
fn a_misspelt_option_or_value_is_suggested_with_the_commands_help() {
    let (what, hint) = usage_error(&["report", "city.jsonl", "--scop", "t-01"]);
    assert!(what.contains("未知的选项 \"--scop\""), "{what}");
    assert!(
        hint.contains("是否要用 --scope？运行 chuangzheng report --help"),
        "{hint}"
    );
    let (what, hint) = usage_error(&["report", "city.jsonl", "--format", "htm"]);
    assert!(
        what.contains("--format \"htm\" 应为 text、json、html、xlsx 之一")
            && what.contains("--format \"htm\": one of text, json, html, xlsx"),
        "{what}"
    );
    assert!(hint.contains("是否要用 html？"), "{hint}");
}

#[test]
fn a_bad_date_names_the_option_and_the_value_before_any_file_is_read() {
    // The journal does not exist: a usage error comes first (exit 2, not 3).
    for (date, why) in [
        ("2010-02-30", "parameter 'day'"),
        ("2010/7/1", "not a date"),
        ("yesterday", "not a date"),
    ] {
        let (what, hint) = usage_error(&["report", "/nonexistent/city.jsonl", "--as-of", date]);
        let zh = format!("用法错误：--as-of \"{date}\" 不是有效日期，应写作 YYYY-MM-DD / ");
        assert!(what.starts_with(&zh), "{what}");
        assert!(
            what.contains(&format!(
                "usage: --as-of \"{date}\": not a date (YYYY-MM-DD)"
            )),
            "{what}"
        );
        assert!(what.contains(why), "{what}");
        assert!(hint.contains("chuangzheng report --help"), "{hint}");
    }
    let (what, _) = usage_error(&["audit", "claims.json", "--demo", "--from", "2010-13-01"]);
    assert!(
        what.contains("--from \"2010-13-01\" 不是有效日期"),
        "{what}"
    );
}

#[test]
fn options_that_take_values_say_what_they_take() {
    let cases: [(&[&str], &str); 6] = [
        (&["demo", "--out"], "--out 需要一个值"),
        (
            &["import", "j", "c", "--create", "dg"],
            "--create <ID> <NAME> 需要 2 个值，给出了 1 个",
        ),
        (
            &["import", "j", "c", "--batch", "0"],
            "--batch \"0\" 应为命令条数，1 到 1000000",
        ),
        (
            &["verify", "j", "--expect-seq", "-3"],
            "--expect-seq \"-3\" 须为非负整数",
        ),
        (&["verify"], "verify 缺少参数 <JOURNAL>"),
        (
            &["report", "j", "--out", "a", "--out", "b"],
            "--out 只能给出一次",
        ),
    ];
    for (args, zh) in cases {
        let (what, _) = usage_error(args);
        assert!(
            what.starts_with(&format!("用法错误：{zh} / usage: ")),
            "{args:?}: {what}"
        );
    }
}

/// Runs bash completion for the words typed (the last one being completed) and returns what it
/// offers.
fn complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         _chuangzheng chuangzheng '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(program)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn bash_completion_completes_commands_and_options() {
    let out = run(&["completions", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = scratch("completion");
    let script = dir.join("chuangzheng.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    assert_eq!(complete(&script, &["chuangzheng", "rep"]), ["report"]);
    let offered = complete(&script, &["chuangzheng", "report", "j", "--f"]);
    assert!(offered.contains(&"--format".to_string()), "{offered:?}");
    assert!(offered.contains(&"--from".to_string()), "{offered:?}");
    let commands = complete(&script, &["chuangzheng", ""]);
    for c in [
        "demo",
        "report",
        "import",
        "checkpoint",
        "verify",
        "audit",
        "rules",
    ] {
        assert!(commands.contains(&c.to_string()), "{c}: {commands:?}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert!(
            out.status.success() && stdout(&out).contains("import"),
            "{shell}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the tool under a pseudo-terminal (util-linux `script`) and returns what the terminal
/// received, or `None` where `script` is missing.
fn on_a_terminal(args: &[&str]) -> Option<String> {
    on_a_terminal_status(args, 0)
}

/// [`on_a_terminal`], the tool exiting with `status`.
fn on_a_terminal_status(args: &[&str], status: i32) -> Option<String> {
    let line = std::iter::once(env!("CARGO_BIN_EXE_chuangzheng"))
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .output()
        .ok()?;
    assert_eq!(out.status.code(), Some(status), "{}", stderr(&out));
    Some(stdout(&out))
}

#[test]
fn progress_is_shown_on_a_terminal_and_never_in_a_pipe() {
    let dir = scratch("progress");
    let commands = dir.join("commands.jsonl");
    let commands = commands.to_str().unwrap();
    let out = run(&[
        "demo",
        "--small",
        "--out",
        dir.to_str().unwrap(),
        "--commands",
        commands,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let journal = dir.join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let (piped_import, terminal_import) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    let import = |to: &PathBuf| {
        let to = to.to_str().unwrap().to_string();
        ["import", &to, commands, "--create", "dg", "东港市"].map(str::to_string)
    };
    let (a, b) = (import(&piped_import), import(&terminal_import));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let b: Vec<&str> = b.iter().map(String::as_str).collect();
    for (args, on_terminal, label) in [
        (
            &["verify", journal][..],
            &["verify", journal][..],
            "校验 verify",
        ),
        (
            &["report", journal, "--format", "json"][..],
            &["report", journal, "--format", "json"][..],
            "回放 replay",
        ),
        (&a[..], &b[..], "检查 check"),
    ] {
        let piped = run(args);
        assert!(piped.status.success(), "{}", stderr(&piped));
        assert!(piped.stderr.is_empty(), "{args:?}: {}", stderr(&piped));
        let Some(terminal) = on_a_terminal(on_terminal) else {
            eprintln!("util-linux `script` not found: progress on a terminal not checked");
            return;
        };
        assert!(terminal.contains(label), "{args:?}: {terminal}");
        // The bar is cleared once done: the output ends as the piped run's does.
        let last = stdout(&piped)
            .lines()
            .last()
            .unwrap_or_default()
            // The two imports write to different journals, a.jsonl and b.jsonl.
            .replace("a.jsonl", "b.jsonl");
        assert!(terminal.trim_end().ends_with(last.trim_end()), "{terminal}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_workbook_is_not_written_to_a_terminal() {
    let dir = scratch("xlsx-terminal");
    let out = run(&["demo", "--small", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let journal = dir.join("journal.jsonl");
    let args = ["report", journal.to_str().unwrap(), "--format", "xlsx"];
    let Some(terminal) = on_a_terminal_status(&args, 2) else {
        eprintln!("util-linux `script` not found: not checked");
        return;
    };
    assert!(
        terminal.contains("用法错误：xlsx 是二进制文件") && !terminal.contains("PK"),
        "{terminal}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_library_depends_on_none_of_the_tools_libraries() {
    let tree = |package: &str| {
        let out = Command::new(env!("CARGO"))
            .args([
                "tree",
                "--offline",
                "--locked",
                "-e",
                "normal",
                "--prefix",
                "none",
            ])
            .args(["-p", package])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let crate_names = |tree: &str| -> Vec<String> {
        tree.lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect()
    };
    let tool = crate_names(&tree("chuangzheng-cli"));
    let library = crate_names(&tree("chuangzheng"));
    for name in ["clap", "clap_complete", "indicatif"] {
        assert!(
            tool.iter().any(|c| c == name),
            "{name} is the tool's: {tool:?}"
        );
        assert!(
            !library.iter().any(|c| c == name),
            "{name} in the library: {library:?}"
        );
    }
    assert!(library.iter().any(|c| c == "sm3"), "{library:?}");
}
