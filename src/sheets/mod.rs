//! Spreadsheets clerks fill: the kinds of records entered in bulk at a township (members,
//! 123 receptions and visits, concerns and their handling, pledges' monthly reports, hotline
//! cases, donations), each kind's columns as a table ([`kinds`]), and the template written for
//! a kind ([`template`]): Chinese headers, an example row, dates as dates, drop-down lists for
//! every choice and, given the campaign, for the scope's organization and member ids.
//!
//! ```
//! use chuangzheng::sheets::{Kind, template};
//! use jiff::civil::date;
//!
//! let xlsx = template(Kind::Visits, None, date(2010, 7, 1))?;
//! assert!(xlsx.starts_with(b"PK\x03\x04"));
//! assert_eq!(Kind::from_name("visits").map(Kind::sheet), Some("走访登记"));
//! # Ok::<(), chuangzheng::report::WorkbookError>(())
//! ```

mod import;
pub mod kinds;
pub mod limits;
mod read;
mod template;

pub use import::{WorkbookImportError, WorkbookReport, import_workbook};
pub use kinds::{Column, Kind, Stage, Target, Value};
pub use limits::SheetError;
pub use read::{RowAt, SheetRefusal, SheetRows, read_workbook};
pub use template::{GUIDE_SHEET, IDS_SHEET, Ids, template};
