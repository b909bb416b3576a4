//! Checking a rule file whole: every fault of the file, not only the first, each with its field
//! path and line, so that a clerk mends the file in one pass (`chuangzheng rules check FILE`).
//!
//! serde stops at the first fault. The file is read once as it stands (which names the first
//! fault with its exact line); then, as a JSON value, the field at fault is taken out (its
//! default applies) and the value read again, until it reads; last the bounds of every field
//! are checked. Each fault after the first gets the line where its field's key is written.

use std::collections::HashMap;

use serde_json::Value;
use serde_path_to_error::Segment;

use super::{RuleSet, RulesError};
use crate::json_error;

/// The most faults named in one file; past it, the rest would only repeat the file's trouble.
const MAX_FAULTS: usize = 100;

impl RuleSet {
    /// Reads and checks a rule set, naming every fault of the file: each field that cannot be
    /// read, then each field out of bounds. `Ok` only when there is none.
    ///
    /// ```
    /// use chuangzheng::rules::RuleSet;
    /// use chuangzheng::Coded;
    ///
    /// let json = r#"{"version": 1, "name": "t",
    ///   "method123": {"receptions_per_week": "one", "visits": 2},
    ///   "escalation": {"village_days": 0}}"#;
    /// let faults = RuleSet::check_all(json).unwrap_err();
    /// let fields: Vec<_> = faults.iter().map(|e| e.field().unwrap_or(".")).collect();
    /// assert_eq!(fields, ["method123.receptions_per_week", "method123.visits", "escalation.village_days"]);
    /// assert_eq!(faults[2].code(), 2109);
    /// ```
    pub fn check_all(json: &str) -> Result<RuleSet, Vec<RulesError>> {
        match RuleSet::from_json(json) {
            Ok(rules) => Ok(rules),
            Err(first @ RulesError::Parse { .. }) => Err(RuleSet::read_pruned(json, vec![first])),
            Err(_) => Err(RuleSet::read_pruned(json, Vec::new())),
        }
    }

    /// Reads `json` as a value, taking out each field that cannot be read, then checks the
    /// bounds; `faults` holds what was found already.
    fn read_pruned(json: &str, mut faults: Vec<RulesError>) -> Vec<RulesError> {
        let Ok(mut value) = serde_json::from_str::<Value>(json) else {
            return faults;
        };
        let lines = key_lines(json);
        let mut pruned: Vec<String> = Vec::new();
        while faults.len() < MAX_FAULTS {
            let e = match serde_path_to_error::deserialize::<_, RuleSet>(&value) {
                Ok(rules) => {
                    let checked = rules.validate_all().into_iter();
                    faults.extend(checked.filter(|e| !under_pruned(e, &pruned)));
                    break;
                }
                Err(e) => e,
            };
            let fault = fault_at(&e, &lines);
            let repeated = faults.iter().any(|f| same_fault(f, &fault));
            if !repeated {
                faults.push(fault);
            }
            match prune(&mut value, &e) {
                Some(path) => pruned.push(path),
                None => break,
            }
        }
        faults.truncate(MAX_FAULTS);
        faults
    }
}

/// A fault found in the value, with the line of its field in the file.
fn fault_at(
    e: &serde_path_to_error::Error<serde_json::Error>,
    lines: &HashMap<String, usize>,
) -> RulesError {
    let d = json_error::describe(e, "文件");
    let line = lines.get(&d.path).copied().unwrap_or(0);
    let (zh_line, en_line) = if line == 0 {
        (String::new(), String::new())
    } else {
        (format!("第 {line} 行，"), format!(" (line {line})"))
    };
    RulesError::Parse {
        message: format!("{}{en_line}", d.en),
        message_zh: format!("{zh_line}{}", d.zh),
        path: d.path,
    }
}

/// The same field and words: the first read of the file and the value's read name it alike.
fn same_fault(a: &RulesError, b: &RulesError) -> bool {
    match (a, b) {
        (
            RulesError::Parse {
                path: pa,
                message: ma,
                ..
            },
            RulesError::Parse {
                path: pb,
                message: mb,
                ..
            },
        ) => pa == pb && words(ma) == words(mb),
        _ => false,
    }
}

/// A message without its position.
fn words(message: &str) -> &str {
    message.rsplit_once(" (line ").map_or(message, |(w, _)| w)
}

/// A bound's fault on a field taken out (or within one): its default is not what the file
/// meant, so it is not named.
fn under_pruned(e: &RulesError, pruned: &[String]) -> bool {
    let Some(field) = e.field() else {
        return false;
    };
    pruned.iter().any(|p| {
        p == field || p.starts_with(&format!("{field}.")) || field.starts_with(&format!("{p}."))
    })
}

/// Takes out of `value` the deepest object key on the fault's path, so that its default
/// applies; a missing field is put in with its default instead. Returns the dotted path mended,
/// or `None` if nothing can be.
fn prune(value: &mut Value, e: &serde_path_to_error::Error<serde_json::Error>) -> Option<String> {
    let mut keys: Vec<String> = e
        .path()
        .iter()
        .map_while(|s| match s {
            Segment::Map { key } => Some(key.clone()),
            _ => None,
        })
        .collect();
    let message = e.inner().to_string();
    if let Some(rest) = message.strip_prefix("missing field `") {
        let (name, _) = rest.split_once('`')?;
        keys.push(name.to_string());
        let default = serde_json::to_value(RuleSet::default()).ok()?;
        let filler = keys.iter().try_fold(&default, |v, k| v.get(k))?.clone();
        let (last, parents) = keys.split_last()?;
        object_at(value, parents)?.insert(last.clone(), filler);
        return Some(keys.join("."));
    }
    let (last, parents) = keys.split_last()?;
    object_at(value, parents)?.remove(last)?;
    Some(keys.join("."))
}

/// The object at the path `keys` of `value`.
fn object_at<'v>(
    value: &'v mut Value,
    keys: &[String],
) -> Option<&'v mut serde_json::Map<String, Value>> {
    keys.iter()
        .try_fold(value, |v, k| v.get_mut(k))?
        .as_object_mut()
}

/// Where the scan of [`key_lines`] stands: in an object (at its current key) or an array (at
/// its current element).
enum Frame {
    Object(Option<String>),
    Array(usize),
}

/// The dotted path of the frames, as serde_path_to_error writes it (`rows[0].when`).
fn path_of(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The line (1-based) where each object key of `json` is written, by its dotted path.
fn key_lines(json: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 1;
    let mut expecting_key = false;
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            '[' => stack.push(Frame::Array(0)),
            '}' | ']' => {
                stack.pop();
            }
            ',' => match stack.last_mut() {
                Some(Frame::Array(i)) => *i += 1,
                Some(Frame::Object(_)) => expecting_key = true,
                None => {}
            },
            '"' => {
                let s = read_string(&mut chars, &mut line);
                if expecting_key && let Some(Frame::Object(key)) = stack.last_mut() {
                    *key = Some(s);
                    out.entry(path_of(&stack)).or_insert(line);
                }
                expecting_key = false;
            }
            _ => {}
        }
    }
    out
}

/// The rest of a JSON string after its opening quote, unescaped enough to compare keys.
fn read_string(chars: &mut std::str::Chars<'_>, line: &mut usize) -> String {
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => {
                if let Some(e) = chars.next() {
                    out.push(e);
                }
            }
            '\n' => {
                *line += 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn every_fault_of_the_member_evaluation_and_deliberation_sections_is_named() {
        let json = r#"{"version": 1, "name": "t",
          "member_evaluation": {"weights_percent": {"self_review": 50, "peers": 30, "masses": 30, "committee": 30},
                                "excellent_cap_percent": 101},
          "deliberation": {"committees_approval_above": {"numerator": 3, "denominator": 2},
                           "min_days_between_steps": 61}}"#;
        let faults = RuleSet::check_all(json).unwrap_err();
        let fields: Vec<&str> = faults.iter().filter_map(RulesError::field).collect();
        assert_eq!(
            fields,
            [
                "member_evaluation.weights_percent",
                "member_evaluation.excellent_cap_percent",
                "deliberation.committees_approval_above",
                "deliberation.min_days_between_steps",
            ]
        );
        // The first fault is the one `from_json` names.
        let first = RuleSet::from_json(json).unwrap_err();
        assert_eq!(first.field(), Some("member_evaluation.weights_percent"));
    }

    #[test]
    fn every_fault_of_a_file_is_named_with_its_line() {
        let json = "{\n  \"version\": 1,\n  \"name\": \"t\",\n  \"method123\": {\n    \"receptions_per_week\": \"one\",\n    \"visits\": 2\n  },\n  \"rounding\": {\"mode\": \"up\"},\n  \"escalation\": {\"village_days\": 0, \"township_days\": 999}\n}";
        let faults = RuleSet::check_all(json).unwrap_err();
        let fields: Vec<&str> = faults.iter().filter_map(RulesError::field).collect();
        assert_eq!(
            fields,
            [
                "method123.receptions_per_week",
                "method123.visits",
                "rounding.mode",
                "escalation.village_days",
                "escalation.township_days"
            ]
        );
        let codes: Vec<u32> = faults.iter().map(Coded::code).collect();
        assert_eq!(codes, [2001, 2001, 2001, 2109, 2109]);
        assert!(
            faults[0]
                .message_zh()
                .contains("第 5 行，字段 method123.receptions_per_week：类型不符")
        );
        assert!(
            faults[1]
                .message_zh()
                .contains("第 6 行，未知的字段 method123.visits")
        );
        assert!(faults[1].message_en().contains("(line 6)"));
        assert!(
            faults[2]
                .message_zh()
                .contains("第 8 行，字段 rounding.mode：未知的取值 \"up\"")
        );
    }

    #[test]
    fn a_valid_file_reads_and_a_broken_one_names_its_first_fault() {
        assert!(RuleSet::check_all(&RuleSet::default().to_json()).is_ok());
        let faults = RuleSet::check_all("{\"version\": 1,").unwrap_err();
        assert_eq!(faults.len(), 1);
        assert!(faults[0].message_zh().contains("文件意外结束"));
        let faults = RuleSet::check_all(r#"{"version": 2, "name": "t"}"#).unwrap_err();
        assert_eq!(faults.iter().map(Coded::code).collect::<Vec<_>>(), [2002]);
        // A missing field takes its default, so that the rest is still checked.
        let faults =
            RuleSet::check_all(r#"{"method123": {"receptions_per_week": 0}}"#).unwrap_err();
        let fields: Vec<&str> = faults.iter().filter_map(RulesError::field).collect();
        assert_eq!(fields, ["method123.receptions_per_week"]);
        let missing: Vec<String> = faults.iter().map(Coded::message_zh).collect();
        assert!(missing[0].contains("缺少字段 version"), "{missing:?}");
        assert!(missing[1].contains("缺少字段 name"), "{missing:?}");
    }

    #[test]
    fn keys_are_found_on_their_lines_inside_arrays_too() {
        let lines = key_lines("{\"a\": {\"b\": 1,\n\"c\": [{\"d\": \"x,\\\"y\"}, {\n\"e\": 2}]}}");
        assert_eq!(lines.get("a.b"), Some(&1));
        assert_eq!(lines.get("a.c[0].d"), Some(&2));
        assert_eq!(lines.get("a.c[1].e"), Some(&3));
    }
}
