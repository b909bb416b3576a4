//! A JSON parse error told in Chinese and English: every kind of serde error (unknown value,
//! missing, unknown or duplicate field, wrong type, a syntax error, the end of the input) gets
//! Chinese words of its own, the field path it concerns, and a short list of the valid values.
//!
//! Commands, import lines, rule files, claims files, snapshots, journal headers and the C ABI's
//! campaign info all read their JSON through [`describe`], so a clerk reads the same words
//! whichever file was at fault. The English half keeps serde's own words.

use serde_json::error::Category;

/// A parse error, ready to be put into a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Described {
    /// Dotted path of the field at fault, as serde_path_to_error gives it (`.` for the document;
    /// for a missing field, the object that lacks it).
    pub path: String,
    /// The error in Chinese, naming the field path; no position.
    pub zh: String,
    /// serde's English words, without the position.
    pub en: String,
    /// Line of the input where the parser stopped (1-based; 0 when unknown).
    pub line: usize,
    /// Column of that line (1-based; 0 when unknown).
    pub column: usize,
}

impl Described {
    /// `第 N 行，` for a file's line, to put before the Chinese words; empty when unknown.
    pub fn zh_line_prefix(&self) -> String {
        if self.line == 0 {
            String::new()
        } else {
            format!("第 {} 行，", self.line)
        }
    }

    /// ` (line N, column M)` to put after the English words; empty when unknown.
    pub fn en_position(&self) -> String {
        if self.line == 0 {
            String::new()
        } else {
            format!(" (line {}, column {})", self.line, self.column)
        }
    }

    /// ` (column M)` for one line of a file, whose line number the caller gives.
    pub fn en_column(&self) -> String {
        match (self.line, self.column) {
            (0, _) => String::new(),
            (1, c) => format!(" (column {c})"),
            (l, c) => format!(" (line {l} of the record, column {c})"),
        }
    }
}

/// Describes an error of `serde_path_to_error` over `serde_json`. `noun` names the input in
/// Chinese (`文件`, `命令`): "文件意外结束".
/// Reads a whole JSON text as `T`: one value, then nothing but white space (`{…} junk` is
/// refused as trailing characters). An error is described with `noun` naming what was read.
pub(crate) fn read_whole<'de, R, T>(
    de: &mut serde_json::Deserializer<R>,
    noun: &str,
) -> Result<T, Described>
where
    R: serde_json::de::Read<'de>,
    T: serde::Deserialize<'de>,
{
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| describe(&e, noun))?;
    de.end().map_err(|e| describe_at(&e, ".", noun))?;
    Ok(value)
}

pub(crate) fn describe(e: &serde_path_to_error::Error<serde_json::Error>, noun: &str) -> Described {
    describe_at(e.inner(), &e.path().to_string(), noun)
}

/// Describes a `serde_json` error whose field path is `path` (`.` when unknown).
pub(crate) fn describe_at(e: &serde_json::Error, path: &str, noun: &str) -> Described {
    let raw = without_position(e);
    let zh = match e.classify() {
        Category::Io => "读取失败".to_string(),
        Category::Eof | Category::Syntax | Category::Data => zh_of_text(&raw, path, noun),
    };
    let en = english_only(raw, path);
    Described {
        path: path.to_string(),
        zh,
        en,
        line: e.line(),
        column: e.column(),
    }
}

/// A [`ModelError`](crate::model::ModelError) inside serde displays as `field F: EN (字段 F：ZH)`,
/// F being its type's own name for the field: the English half keeps EN, as the path is given
/// beside it (unless F names a part of the value the path cannot see, as `text` of a pledge's
/// `content`).
fn english_only(en: String, path: &str) -> String {
    if model_error_zh(&en).is_none() {
        return en;
    }
    let words = en.split_once(" (字段 ").map_or(en.as_str(), |(w, _)| w);
    if inner_field(&en, path).is_some() {
        return words.to_string();
    }
    let words = match words.strip_prefix("field ") {
        Some(rest) => rest.split_once(": ").map_or(rest, |(_, reason)| reason),
        None => words,
    };
    words.to_string()
}

/// The names our types give their own value when they refuse it: the path already says which
/// field held it.
const OWN_NAMES: [&str; 9] = [
    "id", "name", "at", "code", "unit", "goal", "value", "text", "list",
];

/// The field a [`ModelError`](crate::model::ModelError) inside serde names, when it is a part
/// of the value at `path` (a pledge content's `text`), not the value's own name.
fn inner_field<'a>(en: &'a str, path: &str) -> Option<&'a str> {
    model_error_zh(en)?;
    let (field, _) = en.strip_prefix("field ")?.split_once(": ")?;
    let last = path.rsplit('.').next().unwrap_or(path);
    let own = OWN_NAMES.contains(&field) || field == last || field.contains(' ');
    (!own).then_some(field)
}

/// serde_json's message without the " at line L column C" it appends.
fn without_position(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&suffix) {
        Some(s) if e.line() > 0 => s.to_string(),
        _ => full,
    }
}

/// serde_json's English words (without the position) in Chinese, for the field at `path`.
pub(crate) fn zh_of_text(en: &str, path: &str, noun: &str) -> String {
    if en.starts_with("EOF while parsing") {
        return format!("{noun}意外结束，{}不完整", eof_what(en));
    }
    match syntax_zh(en, noun) {
        Some(zh) => format!("JSON 格式错误：{zh}"),
        None => data_zh(en, path),
    }
}

fn eof_what(en: &str) -> &'static str {
    match en {
        "EOF while parsing a list" => "数组",
        "EOF while parsing an object" => "对象",
        "EOF while parsing a string" => "字符串",
        _ => "内容",
    }
}

fn syntax_zh(en: &str, noun: &str) -> Option<String> {
    let zh = match en {
        "expected `:`" => "此处应为冒号",
        "expected `,` or `]`" => "此处应为逗号或数组结尾 ]",
        "expected `,` or `}`" => "此处应为逗号或对象结尾 }",
        "expected ident" => "无法识别的字词，应为 true、false 或 null",
        "expected value" => "此处应为一个取值",
        "expected `\"`" => "此处应为双引号",
        "invalid escape" => "转义字符无效",
        "invalid number" => "数字无效",
        "number out of range" => "数字超出范围",
        "invalid unicode code point" => "Unicode 码位无效",
        "key must be a string" => "对象的键必须是字符串",
        "trailing comma" => "多余的逗号",
        "trailing characters" => return Some(format!("{noun}结尾有多余的字符")),
        "unexpected end of hex escape" => "十六进制转义不完整",
        "recursion limit exceeded" => "嵌套层数过多",
        "lone leading surrogate in hex escape" => "转义中有不成对的代理码元",
        "invalid value: expected key to be a number in quotes" => "对象的键应为带引号的数字",
        s if s.starts_with("control character") => "字符串中有控制字符",
        s if s.starts_with("float key must be finite") => "对象的键须为有限的数",
        _ => return None,
    };
    Some(zh.to_string())
}

/// A data error: the value was well-formed JSON but not what the field takes.
fn data_zh(en: &str, path: &str) -> String {
    let at = |what: String| format!("字段 {path}：{what}");
    if let Some(rest) = en.strip_prefix("unknown variant `") {
        let (value, expected) = split_tick(rest);
        return at(format!(
            "未知的取值 {value:?}{}",
            valid_list(value, expected)
        ));
    }
    if let Some(rest) = en.strip_prefix("unknown field `") {
        let (field, expected) = split_tick(rest);
        return format!("未知的字段 {path}{}", valid_list(field, expected));
    }
    if let Some(name) = ticked(en, "missing field `") {
        return format!("缺少字段 {}", join_path(path, name));
    }
    if let Some(name) = ticked(en, "duplicate field `") {
        return format!("重复的字段 {}", join_path(path, name));
    }
    for (prefix, what) in [
        ("invalid type: ", "类型不符"),
        ("invalid value: ", "取值无效"),
    ] {
        if let Some(rest) = en.strip_prefix(prefix) {
            let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
            return at(format!(
                "{what}，应为{}，实为{}",
                expected_zh(expected),
                found_zh(found)
            ));
        }
    }
    if let Some(rest) = en.strip_prefix("invalid length ") {
        let (n, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return at(format!("长度 {n} 不符，应为{}", expected_zh(expected)));
    }
    match inner_field(en, path) {
        Some(inner) => format!("字段 {}：{}", join_path(path, inner), custom_zh(en)),
        None => at(custom_zh(en)),
    }
}

/// `a.b` + `c` → `a.b.c`; the document's path `.` + `c` → `c`.
fn join_path(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// `` x`, expected … `` → (`x`, `expected …`).
fn split_tick(rest: &str) -> (&str, &str) {
    rest.split_once("`, ")
        .unwrap_or((rest.trim_end_matches('`'), ""))
}

/// The name between `prefix` and the closing backtick.
fn ticked<'a>(en: &'a str, prefix: &str) -> Option<&'a str> {
    en.strip_prefix(prefix)?.strip_suffix('`')
}

/// The most names a list of valid values shows in full; past it, the closest names.
const SHORT_LIST: usize = 16;

/// How many of the closest names a long list shows.
const CLOSEST: usize = 6;

/// `，可选：a、b、c` from serde's `expected one of `a`, `b`, `c``; a long list shows the names
/// closest to `value` (`，可选共 49 项，最接近的有：…`); empty when serde gives none.
fn valid_list(value: &str, expected: &str) -> String {
    let mut names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if names.is_empty() {
        return if expected.starts_with("there are no") {
            "，此处没有可选项".to_string()
        } else {
            String::new()
        };
    }
    if names.len() <= SHORT_LIST {
        return format!("，可选：{}", names.join("、"));
    }
    let total = names.len();
    names.sort_by_key(|n| edit_distance(value, n));
    names.truncate(CLOSEST);
    format!("，可选共 {total} 项，最接近的有：{}", names.join("、"))
}

/// Levenshtein distance, by characters; names are short, so the quadratic table is cheap.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// serde's "expected" words in Chinese.
fn expected_zh(expected: &str) -> String {
    let e = expected.trim();
    let zh = match e {
        "a string" | "string" => "字符串",
        "u8" | "u16" | "u32" | "u64" | "usize" => "非负整数",
        "i8" | "i16" | "i32" | "i64" | "isize" => "整数",
        "f32" | "f64" => "数字",
        "a boolean" | "bool" => "布尔值 true 或 false",
        "a sequence" | "a list" => "数组",
        "a map" => "对象",
        "unit" => "null",
        _ if e.starts_with("struct ") || e.starts_with("a map") => "对象",
        _ if e.starts_with("enum ") || e.starts_with("variant identifier") => "规定的取值之一",
        _ if e.starts_with("a sequence") || e.starts_with("an array") => "数组",
        _ if e.starts_with("tuple") => "数组",
        _ if e.starts_with("string or map") => "字符串或对象",
        _ if e.is_empty() => "其他类型",
        _ => return format!(" {e:?}"),
    };
    zh.to_string()
}

/// serde's "unexpected" words (`string "x"`, ``integer `5` ``) in Chinese.
fn found_zh(found: &str) -> String {
    let inner = |rest: &str| rest.trim_matches('`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        return format!("字符串 {s}");
    }
    if let Some(n) = found.strip_prefix("integer ") {
        return format!("整数 {}", inner(n));
    }
    if let Some(n) = found.strip_prefix("floating point ") {
        return format!("小数 {}", inner(n));
    }
    if let Some(b) = found.strip_prefix("boolean ") {
        return format!("布尔值 {}", inner(b));
    }
    if let Some(c) = found.strip_prefix("character ") {
        return format!("字符 {:?}", inner(c));
    }
    match found {
        "null" | "unit value" => "null".to_string(),
        "map" => "对象".to_string(),
        "sequence" => "数组".to_string(),
        other => format!("{other:?}"),
    }
}

/// A message our own types gave serde, in Chinese. A [`ModelError`](crate::model::ModelError)
/// displays as `field F: EN (字段 F：ZH)`: its Chinese reason is taken from there.
fn custom_zh(en: &str) -> String {
    if let Some(zh) = model_error_zh(en) {
        return zh.to_string();
    }
    if en.starts_with("an actor is either") {
        return "操作者须为 {\"org\"，可选 \"by\"} 或 {\"member\"} 二者之一".to_string();
    }
    if en.starts_with("data did not match any variant of untagged enum") {
        return "不符合任何一种允许的写法".to_string();
    }
    format!("取值无效：{en:?}")
}

/// The Chinese reason of a [`ModelError`](crate::model::ModelError)'s display, if `en` is one.
pub(crate) fn model_error_zh(en: &str) -> Option<&str> {
    let (_, zh) = en.split_once(" (字段 ")?;
    let zh = zh.strip_suffix(')')?;
    Some(zh.split_once('：').map_or(zh, |(_, reason)| reason))
}

/// `text` with `f` applied to the parts outside quoted values (`"…"` with its escapes).
pub(crate) fn map_unquoted(text: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut plain = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            plain.push(c);
            continue;
        }
        out.push_str(&f(&plain));
        plain.clear();
        out.push(c);
        while let Some(q) = chars.next() {
            out.push(q);
            if q == '\\' {
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
            } else if q == '"' {
                break;
            }
        }
    }
    out.push_str(&f(&plain));
    out
}

/// ASCII punctuation of the Chinese half made full-width: `,` `;` `:` `(` `)` become `，` `；`
/// `：` `（` `）` outside quoted values (`"…"`, `` `…` ``) and outside numbers and times
/// (`09:00`, `1,000`). For Chinese words written elsewhere that may still hold ASCII marks.
pub(crate) fn full_width(zh: &str) -> String {
    let mut out = String::with_capacity(zh.len());
    let chars: Vec<char> = zh.chars().collect();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == '\\' && q == '"' && i + 1 < chars.len() {
                    out.push(c);
                    i += 1;
                    out.push(chars[i]);
                } else {
                    if c == q {
                        quote = None;
                    }
                    out.push(c);
                }
            }
            None => {
                if c == '"' || c == '`' {
                    quote = Some(c);
                }
                let between_digits = i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                out.push(match c {
                    ',' if !between_digits => '，',
                    ';' => '；',
                    ':' if !between_digits => '：',
                    '(' => '（',
                    ')' => '）',
                    other => other,
                });
                if matches!(c, ',' | ';' | ':') && !between_digits && chars.get(i + 1) == Some(&' ')
                {
                    i += 1; // a full-width mark carries its own space
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
/// The first ASCII `,` `;` `:` `(` `)` of `zh` outside quoted values (`"…"`, `` `…` ``, `{…}`
/// JSON shapes excepted), numbers and times: what the Chinese half of a message must not hold.
pub(crate) fn ascii_punctuation(zh: &str) -> Option<(usize, char)> {
    let chars: Vec<char> = zh.chars().collect();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some('"') if c == '\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if matches!(c, ',' | ';' | ':' | '(' | ')') => {
                let between_digits = i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if !between_digits {
                    return Some((i, c));
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Described {
        let de = &mut serde_json::Deserializer::from_str(json);
        match serde_path_to_error::deserialize::<_, T>(&mut *de) {
            Err(err) => describe(&err, "文件"),
            // Trailing characters show only at the end of the input.
            Ok(_) => describe_at(&de.end().expect_err("an error"), ".", "文件"),
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        count: u32,
        kind: crate::model::OrgKind,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn every_reader_refuses_text_after_the_value() {
        use crate::Coded;
        let command = r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#;
        assert!(crate::ledger::Command::from_json(command).is_ok());
        assert!(crate::ledger::Command::from_json(&format!("{command}  \n")).is_ok());
        let err = crate::ledger::Command::from_json(&format!("{command} junk")).unwrap_err();
        assert_eq!(err.code(), 3001);
        assert!(
            err.message_zh().contains("命令结尾有多余的字符"),
            "{}",
            err.message_zh()
        );
        assert!(
            err.message_en().contains("trailing characters"),
            "{}",
            err.message_en()
        );
        let rules = crate::rules::RuleSet::default().to_json();
        assert!(crate::rules::RuleSet::from_json(&rules).is_ok());
        let err = crate::rules::RuleSet::from_json(&format!("{rules}{{}}")).unwrap_err();
        assert_eq!(err.code(), 2001);
        assert!(
            err.message_zh().contains("文件结尾有多余的字符"),
            "{}",
            err.message_zh()
        );
        let claims = r#"{"claims":[]} x"#;
        let err = crate::report::Claims::from_json(claims).unwrap_err();
        assert!(
            err.message_zh.contains("文件结尾有多余的字符"),
            "{}",
            err.message_zh
        );
    }

    #[test]
    fn each_serde_kind_has_chinese_words_and_the_field_path() {
        let cases = [
            (
                r#"{"name":"a","count":1,"kind":"villge"}"#,
                "字段 kind：未知的取值 \"villge\"，可选：",
            ),
            (r#"{"count":1,"kind":"village"}"#, "缺少字段 name"),
            (
                r#"{"name":"a","count":1,"kind":"village","x":1}"#,
                "未知的字段 x，可选：name、count、kind、tags",
            ),
            (
                r#"{"name":"a","name":"b","count":1,"kind":"village"}"#,
                "重复的字段 name",
            ),
            (
                r#"{"name":"a","count":"1","kind":"village"}"#,
                "字段 count：类型不符，应为非负整数，实为字符串 \"1\"",
            ),
            (
                r#"{"name":"a","count":-1,"kind":"village"}"#,
                "字段 count：取值无效，应为非负整数，实为整数 -1",
            ),
            (
                r#"{"name":"a","count":1,"kind":"village","tags":null}"#,
                "字段 tags：类型不符，应为数组，实为null",
            ),
            (r#"{"name":"a","count":1"#, "文件意外结束，对象不完整"),
            (
                r#"{"name":"a","count":1,"kind":"village"} x"#,
                "JSON 格式错误：文件结尾有多余的字符",
            ),
            (r#"{"name" "a"}"#, "JSON 格式错误：此处应为冒号"),
        ];
        for (json, zh) in cases {
            let d = parse::<Doc>(json);
            assert!(d.zh.starts_with(zh), "{json}: {}", d.zh);
            assert_eq!(ascii_punctuation(&d.zh), None, "{json}: {}", d.zh);
            assert!(!d.en.contains(" at line "), "{}", d.en);
            assert_eq!(d.line, 1);
        }
    }

    #[test]
    fn a_missing_field_is_named_by_its_full_path_and_lines_are_the_files() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            inner: Doc,
        }
        let d = parse::<Outer>(r#"{"inner": {"name": "a", "name": "b"}}"#);
        assert_eq!(d.zh, "重复的字段 inner.name");
        let d = parse::<Outer>("{\n\"inner\": {\"count\": 1,\n\"kind\": \"village\"}}");
        assert_eq!(d.path, "inner");
        assert_eq!(d.zh, "缺少字段 inner.name");
        assert_eq!(d.line, 3);
        assert_eq!(d.zh_line_prefix(), "第 3 行，");
        assert!(d.en_position().starts_with(" (line 3, column "));
    }

    #[test]
    fn a_long_list_of_values_is_cut_short() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Cmd {
            event: crate::ledger::Event,
        }
        let d = parse::<Cmd>(r#"{"event":{"fly":{}}}"#);
        assert!(
            d.zh.starts_with("字段 event：未知的取值 \"fly\"，可选共 "),
            "{}",
            d.zh
        );
        let d = parse::<Cmd>(r#"{"event":{"create_orgg":{}}}"#);
        assert!(d.zh.contains("最接近的有：create_org、"), "{}", d.zh);
        assert!(d.zh.chars().count() < 400, "{}", d.zh);
    }

    #[test]
    fn a_model_error_inside_serde_keeps_its_chinese_reason() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Named {
            id: crate::model::ExtId,
        }
        let d = parse::<Named>(r#"{"id":""}"#);
        assert_eq!(d.zh, "字段 id：不能为空");
        assert_eq!(d.en, "must not be empty");
    }

    #[test]
    fn full_width_leaves_quoted_values_numbers_and_times_alone() {
        assert_eq!(
            full_width("产出 \"a, b\" 重复 (共 3 项): 09:00, 1,000; x"),
            "产出 \"a, b\" 重复 （共 3 项）：09:00，1,000；x"
        );
        assert_eq!(ascii_punctuation("字段 a.b：\"x, y\" 09:30"), None);
        assert_eq!(ascii_punctuation("字段 a: b"), Some((4, ':')));
    }
}
