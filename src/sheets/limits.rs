//! What a workbook may be before it is read, and the errors of one that cannot be: the bounds
//! keep a hostile file (a zip bomb, a million rows, a vast table of strings) to bounded memory
//! and time, refused with a clear error before the journal is touched.

use std::io::Cursor;

use crate::Coded;

/// The most bytes a workbook file may have.
pub const MAX_WORKBOOK_BYTES: usize = 64 << 20;
/// The most entries its zip archive may hold.
pub const MAX_ENTRIES: usize = 10_000;
/// The most bytes one entry may unpack to (a sheet's XML, the shared strings). The zip reader
/// stops at an entry's declared size, so these bound what is unpacked.
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// The most bytes all entries together may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 256 << 20;
/// The most data rows, over all sheets.
pub const MAX_ROWS: usize = 1_000_000;
/// The most rows a merged region fills (a region down a whole column stops there).
pub const MAX_MERGED_ROWS: u32 = 10_000;
/// The most cells merged regions fill, over a sheet.
pub const MAX_MERGED_CELLS: usize = 1_000_000;
/// The code of a row refused for one of its cells.
pub const CELL_REFUSED: u32 = 6004;

/// A workbook that cannot be read as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// Not a workbook that can be read: not a zip archive (a CSV or another file renamed),
    /// truncated, encrypted, or XML the reader refuses (6001).
    #[error("not a workbook that can be read: {reason}")]
    Unreadable {
        /// What the reader said.
        reason: String,
    },
    /// Past a limit (6002).
    #[error("{what} is {actual}, past the limit of {limit}")]
    TooLarge {
        /// What is counted, in Chinese.
        what_zh: &'static str,
        /// What is counted, in English.
        what: &'static str,
        /// How much there is.
        actual: u64,
        /// The limit.
        limit: u64,
    },
    /// No visible sheet is of a known kind (6003).
    #[error("no sheet of a known kind")]
    NoKnownSheet {
        /// The sheets skipped.
        skipped: Vec<String>,
    },
    /// A sheet lacks columns every row needs (6005).
    #[error("sheet {sheet} lacks columns {columns:?}")]
    MissingColumns {
        /// The sheet.
        sheet: String,
        /// The headers missing.
        columns: Vec<String>,
    },
}

impl SheetError {
    pub(crate) fn unreadable(e: impl std::fmt::Display) -> SheetError {
        SheetError::Unreadable {
            reason: e.to_string(),
        }
    }

    fn too_large(what_zh: &'static str, what: &'static str, actual: u64, limit: u64) -> SheetError {
        SheetError::TooLarge {
            what_zh,
            what,
            actual,
            limit,
        }
    }
}

impl Coded for SheetError {
    fn code(&self) -> u32 {
        match self {
            SheetError::Unreadable { .. } => 6001,
            SheetError::TooLarge { .. } => 6002,
            SheetError::NoKnownSheet { .. } => 6003,
            SheetError::MissingColumns { .. } => 6005,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            SheetError::Unreadable { reason } => format!(
                "不是可以读取的 xlsx 工作簿（可能是 CSV 等其他格式改了扩展名，或文件不完整、已加密）：{reason}"
            ),
            SheetError::TooLarge {
                what_zh,
                actual,
                limit,
                ..
            } => format!("{what_zh}为 {actual}，超过上限 {limit}"),
            SheetError::NoKnownSheet { skipped } => format!(
                "没有可导入的工作表：各表的表头都不是模板的表头（已跳过：{}）",
                skipped.join("、")
            ),
            SheetError::MissingColumns { sheet, columns } => format!(
                "工作表「{sheet}」缺少每行必填的列：{}",
                columns
                    .iter()
                    .map(|c| format!("「{c}」"))
                    .collect::<String>()
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            SheetError::NoKnownSheet { skipped } => format!(
                "no sheet to import: no sheet's headers are a template's (skipped: {})",
                skipped.join(", ")
            ),
            SheetError::MissingColumns { sheet, columns } => {
                format!(
                    "sheet {sheet} lacks columns every row needs: {}",
                    columns.join(", ")
                )
            }
            e => e.to_string(),
        }
    }
}

/// Checks a workbook's bytes before it is read: its size, and its zip archive's entries and
/// their declared sizes.
pub fn check_archive(bytes: &[u8]) -> Result<(), SheetError> {
    let len = bytes.len() as u64;
    if bytes.len() > MAX_WORKBOOK_BYTES {
        return Err(SheetError::too_large(
            "文件大小（字节）",
            "the file's size in bytes",
            len,
            MAX_WORKBOOK_BYTES as u64,
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(SheetError::unreadable)?;
    if zip.len() > MAX_ENTRIES {
        let n = zip.len() as u64;
        return Err(SheetError::too_large(
            "压缩包内的文件数",
            "the entries of its archive",
            n,
            MAX_ENTRIES as u64,
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(SheetError::unreadable)?;
        let size = entry.size();
        if size > MAX_ENTRY_BYTES {
            return Err(SheetError::too_large(
                "压缩包内单个文件解压后的大小（字节）",
                "an entry's unpacked size in bytes",
                size,
                MAX_ENTRY_BYTES,
            ));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(SheetError::too_large(
            "解压后的总大小（字节）",
            "the unpacked size in bytes",
            total,
            MAX_UNPACKED_BYTES,
        ));
    }
    Ok(())
}

/// Checks the count of data rows read so far.
pub fn check_rows(rows: usize) -> Result<(), SheetError> {
    match rows > MAX_ROWS {
        true => Err(SheetError::too_large(
            "数据行数",
            "the data rows",
            rows as u64,
            MAX_ROWS as u64,
        )),
        false => Ok(()),
    }
}
