//! The rules layer's error.

use std::fmt;

use crate::error::{Coded, Reason};

/// A rule set was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RulesError {
    /// The JSON could not be read into a rule set (code 2001): malformed JSON, a wrong type, an
    /// unknown or missing field. `path` is the dotted path of the field at fault.
    Parse {
        /// Dotted path of the field at fault (`.` when it is the document itself).
        path: String,
        /// The parser's message, in English, with the line and column in the file.
        message: String,
        /// The same in Chinese, naming the line of the file and the field path.
        message_zh: String,
    },
    /// The format version is not one this build reads (code 2002).
    UnsupportedVersion {
        /// The version found.
        found: u32,
    },
    /// A field's value is out of bounds (code 2100 + the reason's number, e.g. 2109 for a value
    /// out of range).
    Invalid {
        /// Dotted path of the field.
        field: &'static str,
        /// Why it was refused.
        reason: Reason,
    },
}

impl RulesError {
    /// The dotted path of the field at fault, if one is known.
    pub fn field(&self) -> Option<&str> {
        match self {
            RulesError::Parse { path, .. } if path != "." => Some(path),
            RulesError::Parse { .. } => None,
            RulesError::UnsupportedVersion { .. } => Some("version"),
            RulesError::Invalid { field, .. } => Some(field),
        }
    }
}

impl Coded for RulesError {
    fn code(&self) -> u32 {
        match self {
            RulesError::Parse { .. } => 2001,
            RulesError::UnsupportedVersion { .. } => 2002,
            RulesError::Invalid { reason, .. } => 2100 + (reason.code() - 1000),
        }
    }
    fn message_zh(&self) -> String {
        match self {
            RulesError::Parse { message_zh, .. } => format!("规则集无法解析，{message_zh}"),
            RulesError::UnsupportedVersion { found } => format!(
                "规则集字段 version：不支持的格式版本 {found}（支持 {}）",
                super::RULES_FORMAT_VERSION
            ),
            RulesError::Invalid { field, reason } => {
                format!("规则集字段 {field}：{}", reason.zh())
            }
        }
    }
    fn message_en(&self) -> String {
        match self {
            RulesError::Parse { path, message, .. } => {
                format!("rule set cannot be read, field {path}: {message}")
            }
            RulesError::UnsupportedVersion { found } => format!(
                "rule set field version: format version {found} is not supported (this build reads {})",
                super::RULES_FORMAT_VERSION
            ),
            RulesError::Invalid { field, reason } => {
                format!("rule set field {field}: {}", reason.en())
            }
        }
    }
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message_en(), self.message_zh())
    }
}

impl std::error::Error for RulesError {}
