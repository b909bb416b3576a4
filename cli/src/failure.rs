//! How a command fails: an error's code and its message in Chinese and English, and the exit
//! status each code gives.

use std::path::Path;

use chuangzheng::Coded;
use chuangzheng::ledger::io_zh;

/// Writes a line to stdout. A closed stdout (`… | head`) ends the output quietly: there is no
/// one left to tell.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// Writes to stdout without a newline; as [`say!`].
macro_rules! say_raw {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($t)*);
    }};
}

pub(crate) use {say, say_raw};

/// A failure: its error code (0 for usage errors), its message in Chinese and in English.
pub struct Failure {
    pub code: u32,
    pub zh: String,
    pub en: String,
}

impl<E: Coded> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure {
            code: e.code(),
            zh: e.message_zh(),
            en: e.message_en(),
        }
    }
}

impl Failure {
    /// The exit status: 2 usage, 3 I/O, 4 bytes outside every record, 5 an unsigned tail, 1
    /// any other refusal.
    pub fn exit_status(&self) -> u8 {
        match self.code {
            0 => 2,
            4001 => 3,
            4010 => 4,
            4014 => 5,
            _ => 1,
        }
    }

    /// The failure as two lines, Chinese then English, each with the code.
    pub fn lines(&self) -> String {
        format!(
            "错误 [{}]：{}\nerror [{}]: {}",
            self.code, self.zh, self.code, self.en
        )
    }
}

/// A usage error found by a command (what clap cannot see alone): one line in each language;
/// `main` adds the hint.
pub fn usage(zh: impl Into<String>, en: impl Into<String>) -> Failure {
    Failure {
        code: 0,
        zh: zh.into(),
        en: en.into(),
    }
}

/// A file that could not be read (`读取`), written (`写入`) or created.
pub fn io_failure(what: &str, path: &Path, e: &std::io::Error) -> Failure {
    let what_en = match what {
        "读取" => "read",
        "写入" => "write",
        _ => "create",
    };
    let shown = path.display().to_string();
    Failure {
        code: 4001,
        zh: format!("无法{what} {shown:?}：{}", io_zh(e)),
        en: format!("cannot {what_en} {shown}: {e}"),
    }
}

/// Writes `text` to the file at `path`.
pub fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| io_failure("写入", path, &e))
}
