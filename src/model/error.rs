//! The model's error: one value refused, with the field that held it and why.

use std::borrow::Cow;
use std::fmt;

use crate::error::{Coded, Reason};

/// A value of the model was refused: names the field and the [`Reason`].
///
/// ```
/// use chuangzheng::model::Amount;
/// use chuangzheng::Coded;
///
/// let err = Amount::parse("donation.amount_yuan", "-5").unwrap_err();
/// assert_eq!(err.field(), "donation.amount_yuan");
/// assert_eq!(err.code(), 1005);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    field: Cow<'static, str>,
    reason: Reason,
}

impl ModelError {
    /// An error for `field` with `reason`.
    pub fn new(field: impl Into<Cow<'static, str>>, reason: Reason) -> ModelError {
        ModelError {
            field: field.into(),
            reason,
        }
    }

    /// The field that held the refused value (a dotted path such as `member.org`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Why the value was refused.
    pub fn reason(&self) -> &Reason {
        &self.reason
    }

    /// The same error, with its field placed under `prefix` (`prefix.field`).
    pub fn within(self, prefix: &str) -> ModelError {
        ModelError {
            field: format!("{prefix}.{}", self.field).into(),
            reason: self.reason,
        }
    }
}

impl Coded for ModelError {
    fn code(&self) -> u32 {
        self.reason.code()
    }
    fn message_zh(&self) -> String {
        format!("字段 {}：{}", self.field, self.reason.zh())
    }
    fn message_en(&self) -> String {
        format!("field {}: {}", self.field, self.reason.en())
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message_en(), self.message_zh())
    }
}

impl std::error::Error for ModelError {}
