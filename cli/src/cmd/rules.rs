//! `chuangzheng rules`: the built-in rule set, or a rule file checked.

use std::path::Path;

use chuangzheng::rules::{RuleSet, RulesError};

use crate::args::{RulesAction, RulesArgs};
use crate::failure::{Failure, io_failure, say, usage};

pub fn run(a: &RulesArgs) -> Result<(), Failure> {
    let file = match (&a.action, &a.check) {
        (Some(RulesAction::Check { .. }), Some(_)) => {
            return Err(usage(
                "rules check FILE 与 --check FILE 只能用其一",
                "rules check FILE or --check FILE, not both",
            ));
        }
        (Some(RulesAction::Check { file }), None) | (None, Some(file)) => file,
        (None, None) => {
            say!("{}", RuleSet::default().to_json());
            return Ok(());
        }
    };
    check(file)
}

fn check(path: &Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| io_failure("读取", path, &e))?;
    let rules = RuleSet::check_all(&text).map_err(|faults| rule_faults(&faults))?;
    let (name, version) = (&rules.name, rules.version);
    say!("规则集有效：{name}，版本 {version} / rule set is valid: {name} (version {version})");
    Ok(())
}

/// Lists every fault of a rule file on stderr and returns the failure that ends the check.
fn rule_faults(faults: &[RulesError]) -> Failure {
    for fault in faults {
        eprintln!("{}", Failure::from(fault.clone()).lines());
    }
    let n = faults.len();
    Failure {
        code: 2000,
        zh: format!("规则文件有 {n} 处错误，均列于上方"),
        en: format!("the rule file has {n} faults, each listed above"),
    }
}
