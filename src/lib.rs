//! # chuangzheng — the rules of grassroots party-building work, exactly
//!
//! An embedded library for the 创先争优 campaign ("create advanced organizations, strive to be
//! excellent members"): the organization tree, members and units ([`model`]); the rules as
//! versioned data ([`rules`]); and the [`ledger`], where every change is a command checked
//! against the rules and the actor's authority, journaled in a hash-chained file, and applied.
//! Later layers add pledges, the 123 work method, evaluation and the stage-review report.
//!
//! Principles the whole crate keeps:
//!
//! - **Determinism.** Time comes from the caller; nothing reads the wall clock. The same
//!   journal always replays to the same state.
//! - **Exact arithmetic.** Money and rates are [`rust_decimal::Decimal`], counts are integers,
//!   rounding is round-half-up (四舍五入) at display only.
//! - **Errors are values.** Bad input never panics: every error has a stable numeric code and a
//!   message in Chinese and English naming the field and the reason ([`Coded`]).
//!
//! ```
//! use chuangzheng::model::{OrgKind, Period, Granularity};
//! use jiff::civil::date;
//!
//! // 2026-12-31 falls in ISO week 53 of 2026.
//! let week = Period::containing(date(2026, 12, 31), Granularity::Week);
//! assert_eq!(week.to_string(), "2026-W53");
//! assert!(OrgKind::Community.may_sit_under(OrgKind::StreetCommittee));
//! ```

#![warn(missing_docs)]

pub mod activity;
pub mod deliberation;
pub mod demo;
mod error;
#[cfg(test)]
mod error_codes_test;
#[cfg(test)]
mod error_messages_test;
pub mod evaluation;
pub mod ffi;
mod json_error;
pub mod ledger;
pub mod method123;
pub mod model;
pub mod org;
pub mod pledge;
pub mod report;
pub mod rules;
pub mod sheets;

pub use error::{Coded, Error, Reason};

/// The README's examples, compiled and run as documentation tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
