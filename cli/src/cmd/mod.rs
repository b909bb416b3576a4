//! The commands, one module each (`verify` holds `checkpoint`, `report` holds `audit`).

pub mod demo;
pub mod import;
mod keys;
pub mod report;
pub mod rollup;
pub mod rules;
pub mod template;
pub mod verify;
