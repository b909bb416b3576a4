//! The `chuangzheng` command-line tool: the demo city, the stage report, imports, journal
//! verification and signed checkpoints, the audit of published claims, and rule files.
//! `chuangzheng --help` says it all; exit statuses are documented there.
//!
//! The command line is declared in [`args`] (clap); [`usage`] says clap's errors in Chinese and
//! English; each command lives in [`cmd`].

mod args;
mod cmd;
mod failure;
mod journal;
mod progress;
mod usage;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use crate::args::{Cli, Cmd};
use crate::failure::Failure;
use crate::usage::Usage;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e, &args),
    };
    let name = cli.command.name();
    match run(&cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.code == 0 => {
            eprintln!("{}", Usage::new(f.zh, f.en).lines(name));
            ExitCode::from(2)
        }
        Err(f) => {
            eprintln!("{}", f.lines());
            ExitCode::from(f.exit_status())
        }
    }
}

/// What clap stopped at: the help or the version asked for (printed, exit 0), or a usage error
/// (one line in each language and a hint, exit 2).
fn clap_exit(e: &clap::Error, args: &[OsString]) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // To stdout; a closed stdout (`… | head`) is no one's error.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let command = usage::command_typed(args);
            eprintln!("{}", usage::from_clap(e, &command).lines(&command));
            ExitCode::from(2)
        }
    }
}

fn run(command: &Cmd) -> Result<(), Failure> {
    match command {
        Cmd::Demo(a) => cmd::demo::run(a),
        Cmd::Report(a) => cmd::report::run(a),
        Cmd::Figures(a) => cmd::rollup::run_figures(a),
        Cmd::Merge(a) => cmd::rollup::run_merge(a),
        Cmd::Import(a) => cmd::import::run(a),
        Cmd::Checkpoint(a) => cmd::verify::run_checkpoint(a),
        Cmd::Verify(a) => cmd::verify::run(a),
        Cmd::Snapshot(a) => cmd::verify::run_snapshot(a),
        Cmd::Audit(a) => cmd::report::run_audit(a),
        Cmd::Rules(a) => cmd::rules::run(a),
        Cmd::Template(a) => cmd::template::run(a),
        Cmd::Completions(a) => {
            let mut stdout = std::io::stdout().lock();
            clap_complete::generate(a.shell, &mut Cli::command(), "chuangzheng", &mut stdout);
            Ok(())
        }
    }
}
