//! Errors shared by every layer: stable numeric codes and bilingual messages.
//!
//! Each layer has its own error enum ([`ModelError`](crate::model::ModelError),
//! [`RulesError`](crate::rules::RulesError), [`LedgerError`](crate::ledger::LedgerError),
//! [`JournalError`](crate::ledger::JournalError)); all of them implement [`Coded`], which gives
//!
//! - a stable numeric code (the C ABI returns it; numbers are never reused), grouped by layer:
//!   `1xxx` model, `2xxx` rules, `3xxx` ledger commands, `4xxx` journal and snapshots;
//! - a Chinese message and an English message, each naming the field and the reason.
//!
//! [`Error`] wraps them all for callers that do not care which layer failed.
//!
//! ```
//! use chuangzheng::model::ExtId;
//! use chuangzheng::Coded;
//!
//! let err = ExtId::new("org.id", "").unwrap_err();
//! assert_eq!(err.code(), 1001);
//! assert!(err.message_en().contains("org.id"));
//! assert!(err.message_zh().contains("不能为空"));
//! ```

use std::borrow::Cow;
use std::fmt;

/// An error with a stable numeric code and a message in Chinese and in English.
pub trait Coded {
    /// The stable numeric code of this error (see the module docs for the ranges).
    fn code(&self) -> u32;
    /// The message in Chinese, naming the field and the reason.
    fn message_zh(&self) -> String;
    /// The message in English, naming the field and the reason.
    fn message_en(&self) -> String;
}

/// Why a single value was refused. Each reason has its own stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// The value is empty (code 1001).
    Empty,
    /// The value is longer than allowed (code 1002).
    TooLong {
        /// Largest length allowed, in bytes or items.
        max: usize,
        /// Length given.
        actual: usize,
    },
    /// The value contains a control character (code 1003).
    ControlCharacter,
    /// The value is not a decimal number written exactly (code 1004).
    NotADecimal,
    /// The value is negative where a negative value means nothing (code 1005).
    Negative,
    /// The value has more decimal places than allowed (code 1006).
    TooManyDecimalPlaces {
        /// Most decimal places allowed.
        max: u32,
    },
    /// The value is larger than allowed (code 1007).
    TooLarge {
        /// The bound, as text.
        max: String,
    },
    /// The value is not a valid date or period (code 1008).
    InvalidDate,
    /// The value is outside its allowed range (code 1009).
    OutOfRange {
        /// Smallest value allowed, as text.
        min: String,
        /// Largest value allowed, as text.
        max: String,
    },
    /// The value is not one of the allowed names (code 1010).
    UnknownName {
        /// The names allowed.
        expected: &'static str,
    },
    /// The value has leading or trailing white space (code 1011).
    SurroundingWhitespace,
    /// Arithmetic on the value overflowed (code 1012).
    Overflow,
    /// The value is malformed for a reason given in the text (code 1013).
    Malformed {
        /// The reason in Chinese.
        zh: Cow<'static, str>,
        /// The reason in English.
        en: Cow<'static, str>,
    },
}

impl Reason {
    /// The stable code of this reason.
    pub fn code(&self) -> u32 {
        match self {
            Reason::Empty => 1001,
            Reason::TooLong { .. } => 1002,
            Reason::ControlCharacter => 1003,
            Reason::NotADecimal => 1004,
            Reason::Negative => 1005,
            Reason::TooManyDecimalPlaces { .. } => 1006,
            Reason::TooLarge { .. } => 1007,
            Reason::InvalidDate => 1008,
            Reason::OutOfRange { .. } => 1009,
            Reason::UnknownName { .. } => 1010,
            Reason::SurroundingWhitespace => 1011,
            Reason::Overflow => 1012,
            Reason::Malformed { .. } => 1013,
        }
    }

    /// The reason in Chinese, with full-width punctuation (bounds and reasons written by other
    /// modules are brought to it here; quoted values keep theirs).
    pub fn zh(&self) -> String {
        crate::json_error::full_width(&self.zh_words())
    }

    fn zh_words(&self) -> String {
        match self {
            Reason::Empty => "不能为空".into(),
            Reason::TooLong { max, actual } => format!("长度 {actual} 超过上限 {max}"),
            Reason::ControlCharacter => "不能包含控制字符".into(),
            Reason::NotADecimal => "不是精确书写的十进制数".into(),
            Reason::Negative => "不能为负数".into(),
            Reason::TooManyDecimalPlaces { max } => format!("小数位数不能超过 {max} 位"),
            Reason::TooLarge { max } => format!("不能大于 {max}"),
            Reason::InvalidDate => "不是有效的日期或期间".into(),
            Reason::OutOfRange { min, max } => format!("必须在 {min} 到 {max} 之间"),
            Reason::UnknownName { expected } => {
                format!("取值无效，应为：{}", expected.replace(", ", "、"))
            }
            Reason::SurroundingWhitespace => "首尾不能有空白".into(),
            Reason::Overflow => "计算溢出".into(),
            Reason::Malformed { zh, .. } => zh.to_string(),
        }
    }

    /// The reason in English.
    pub fn en(&self) -> String {
        match self {
            Reason::Empty => "must not be empty".into(),
            Reason::TooLong { max, actual } => {
                format!("length {actual} exceeds the limit of {max}")
            }
            Reason::ControlCharacter => "must not contain control characters".into(),
            Reason::NotADecimal => "is not an exactly written decimal number".into(),
            Reason::Negative => "must not be negative".into(),
            Reason::TooManyDecimalPlaces { max } => {
                format!("must not have more than {max} decimal places")
            }
            Reason::TooLarge { max } => format!("must not exceed {max}"),
            Reason::InvalidDate => "is not a valid date or period".into(),
            Reason::OutOfRange { min, max } => format!("must be between {min} and {max}"),
            Reason::UnknownName { expected } => {
                format!("is not valid; expected one of: {expected}")
            }
            Reason::SurroundingWhitespace => "must not start or end with white space".into(),
            Reason::Overflow => "arithmetic overflowed".into(),
            Reason::Malformed { en, .. } => en.to_string(),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

/// Any error of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value of the model was refused.
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    /// A rule set was refused.
    #[error(transparent)]
    Rules(#[from] crate::rules::RulesError),
    /// A command was refused.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    /// A journal or snapshot could not be read or written.
    #[error(transparent)]
    Journal(#[from] crate::ledger::JournalError),
}

impl Coded for Error {
    fn code(&self) -> u32 {
        match self {
            Error::Model(e) => e.code(),
            Error::Rules(e) => e.code(),
            Error::Ledger(e) => e.code(),
            Error::Journal(e) => e.code(),
        }
    }
    fn message_zh(&self) -> String {
        match self {
            Error::Model(e) => e.message_zh(),
            Error::Rules(e) => e.message_zh(),
            Error::Ledger(e) => e.message_zh(),
            Error::Journal(e) => e.message_zh(),
        }
    }
    fn message_en(&self) -> String {
        match self {
            Error::Model(e) => e.message_en(),
            Error::Rules(e) => e.message_en(),
            Error::Ledger(e) => e.message_en(),
            Error::Journal(e) => e.message_en(),
        }
    }
}
