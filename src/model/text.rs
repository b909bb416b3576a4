//! Bounded text: external identifiers, names and long texts.
//!
//! Host systems key everything by their own identifiers, so the library keeps each entity's
//! [`ExtId`] as given (after checking it) and never invents one. Names are for people reading
//! reports; they are bounded too, because every input is. A [`LongText`] (a pledge's text, a
//! concern, an outcome, a reason) is bounded the same way: each type checks its value when it
//! is built and when it is read, so a value a Rust caller can build is one the journal's reader
//! accepts.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ModelError;
use crate::error::Reason;

/// Longest external identifier, in bytes of UTF-8.
pub const MAX_EXT_ID_BYTES: usize = 64;
/// Longest name, in bytes of UTF-8 (about 40 Chinese characters).
pub const MAX_NAME_BYTES: usize = 120;
/// Longest free text ([`LongText`]: pledge texts, concerns, outcomes, reasons, notes), in bytes
/// of UTF-8 (about 660 Chinese characters).
pub const MAX_TEXT_BYTES: usize = 2000;

/// Whether `s` holds a control character (Unicode's Cc: U+0000 to U+001F and U+007F to
/// U+009F) other than the ASCII ones in `allowed`. Byte by byte, as UTF-8 writes them: the C0
/// controls and DEL as themselves, the C1 controls as 0xC2 then 0x80 to 0x9F (0xC2 is only
/// ever a lead byte). Several times faster than decoding the characters of Chinese text.
fn has_control(s: &str, allowed: &[u8]) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c < 0x20 && !allowed.contains(&c))
            || c == 0x7F
            || (c == 0xC2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    })
}

fn check_text(field: &'static str, s: &str, max: usize) -> Result<(), ModelError> {
    if s.is_empty() {
        return Err(ModelError::new(field, Reason::Empty));
    }
    if s.len() > max {
        return Err(ModelError::new(
            field,
            Reason::TooLong {
                max,
                actual: s.len(),
            },
        ));
    }
    if has_control(s, b"") {
        return Err(ModelError::new(field, Reason::ControlCharacter));
    }
    let edges = [s.chars().next(), s.chars().next_back()];
    if edges.into_iter().flatten().any(char::is_whitespace) {
        return Err(ModelError::new(field, Reason::SurroundingWhitespace));
    }
    Ok(())
}

/// An entity's identifier in the host system: 1 to 64 bytes of UTF-8, no control characters,
/// no surrounding white space. Unique within its kind (organizations, members, units).
/// Cloning is cheap (a shared reference count), so the state and its indices share one copy.
///
/// ```
/// use chuangzheng::model::ExtId;
///
/// let id = ExtId::new("org.id", "village-0012").unwrap();
/// assert_eq!(id.as_str(), "village-0012");
/// assert!(ExtId::new("org.id", " padded").is_err());
/// assert!(ExtId::new("org.id", &"x".repeat(65)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExtId(Arc<str>);

impl ExtId {
    /// Checks `s` and makes it an identifier; `field` names it in the error.
    pub fn new(field: &'static str, s: &str) -> Result<ExtId, ModelError> {
        check_text(field, s, MAX_EXT_ID_BYTES)?;
        Ok(ExtId(s.into()))
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for ExtId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExtId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ExtId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ExtId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ExtId, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ExtId::new("id", &s).map_err(serde::de::Error::custom)
    }
}

/// A name shown in reports: 1 to 120 bytes of UTF-8, no control characters, no surrounding
/// white space.
///
/// ```
/// use chuangzheng::model::Name;
///
/// let name = Name::new("org.name", "东港市委").unwrap();
/// assert_eq!(name.as_str(), "东港市委");
/// assert!(Name::new("org.name", "").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name(Arc<str>);

impl Name {
    /// Checks `s` and makes it a name; `field` names it in the error.
    pub fn new(field: &'static str, s: &str) -> Result<Name, ModelError> {
        check_text(field, s, MAX_NAME_BYTES)?;
        Ok(Name(s.into()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The shared text (for a reader that shares names met before).
    pub(crate) fn shared(&self) -> &Arc<str> {
        &self.0
    }

    /// A name of text made into a name before (by [`Name::new`]).
    pub(crate) fn from_shared(text: Arc<str>) -> Name {
        Name(text)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Name::new("name", &s).map_err(serde::de::Error::custom)
    }
}

/// Checks a long text: not blank, at most [`MAX_TEXT_BYTES`], no control characters but `\n`
/// and `\t`.
fn check_long_text(field: &'static str, text: &str) -> Result<(), ModelError> {
    if text.trim().is_empty() {
        return Err(ModelError::new(field, Reason::Empty));
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(ModelError::new(
            field,
            Reason::TooLong {
                max: MAX_TEXT_BYTES,
                actual: text.len(),
            },
        ));
    }
    if has_control(text, b"\n\t") {
        return Err(ModelError::new(field, Reason::ControlCharacter));
    }
    Ok(())
}

/// A free text written by people for people (a pledge's text, a concern, an outcome, a
/// reviewer's reasons, a note): 1 to [`MAX_TEXT_BYTES`] bytes of UTF-8, not blank, no control
/// characters but line breaks and tabs. Checked when built and when read from JSON, where it
/// is a plain string.
///
/// ```
/// use chuangzheng::model::{LongText, MAX_TEXT_BYTES};
/// use chuangzheng::Coded;
///
/// let text = LongText::new("event.outcome", "已修通\n村民满意").unwrap();
/// assert_eq!(text.as_str(), "已修通\n村民满意");
/// assert!(text.starts_with("已修通"));
/// let err = LongText::new("event.outcome", &"x".repeat(MAX_TEXT_BYTES + 1)).unwrap_err();
/// assert_eq!((err.code(), err.field()), (1002, "event.outcome"));
/// assert_eq!(LongText::new("event.outcome", " \n").unwrap_err().code(), 1001);
/// assert!(serde_json::from_str::<LongText>(&format!("\"{}\"", "x".repeat(2001))).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LongText(Box<str>);

impl LongText {
    /// Checks `s` and makes it a long text; `field` names it in the error.
    pub fn new(field: &'static str, s: &str) -> Result<LongText, ModelError> {
        check_long_text(field, s)?;
        Ok(LongText(s.into()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks the text; the error names it by its type's own name, `text`.
impl TryFrom<&str> for LongText {
    type Error = ModelError;
    fn try_from(s: &str) -> Result<LongText, ModelError> {
        LongText::new("text", s)
    }
}

impl std::ops::Deref for LongText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for LongText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LongText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for LongText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LongText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LongText, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        LongText::new("text", &s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use proptest::prelude::*;

    proptest! {
        /// The byte scan finds the control characters that decoding the characters finds.
        #[test]
        fn the_byte_scan_finds_what_the_characters_show(
            s in "(\\PC|\\p{Cc}|[\u{80}-\u{9f}\u{a0}-\u{ff}\u{100}-\u{17f}\u{3000}一-龥])*",
        ) {
            prop_assert_eq!(has_control(&s, b""), s.chars().any(char::is_control));
            prop_assert_eq!(
                has_control(&s, b"\n\t"),
                s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
            );
        }
    }

    #[test]
    fn every_control_character_is_found() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let s = format!("一{c}二");
            assert_eq!(has_control(&s, b""), c.is_control(), "{:?}", c);
        }
    }

    #[test]
    fn ext_id_errors_name_field_and_reason() {
        let cases: [(&str, u32); 5] = [
            ("", 1001),
            (&"长".repeat(22), 1002),
            ("a\nb", 1003),
            ("a\u{7f}", 1003),
            ("a ", 1011),
        ];
        for (input, code) in cases {
            let err = ExtId::new("member.id", input).unwrap_err();
            assert_eq!(err.code(), code, "input {input:?}");
            assert_eq!(err.field(), "member.id");
        }
        // Exactly at the bound is accepted: 21 three-byte characters are 63 bytes, plus one.
        assert!(ExtId::new("member.id", &format!("{}a", "长".repeat(21))).is_ok());
    }

    #[test]
    fn serde_checks_on_the_way_in() {
        let id: ExtId = serde_json::from_str("\"v-1\"").unwrap();
        assert_eq!(id.as_str(), "v-1");
        assert!(serde_json::from_str::<ExtId>("\"\"").is_err());
        assert!(serde_json::from_str::<Name>(&format!("\"{}\"", "x".repeat(121))).is_err());
    }

    #[test]
    fn long_texts_are_bounded_both_ways() {
        let at = "长".repeat(666) + "xx";
        assert_eq!(at.len(), MAX_TEXT_BYTES);
        assert!(LongText::new("event.text", &at).is_ok());
        let past = at.clone() + "x";
        let err = LongText::new("event.text", &past).unwrap_err();
        assert_eq!((err.code(), err.field()), (1002, "event.text"));
        // A 2 MB note cannot be built at all, so no record can carry one.
        let huge = "x".repeat(2 << 20);
        assert_eq!(LongText::new("event.note", &huge).unwrap_err().code(), 1002);
        for (text, code) in [
            ("", 1001),
            (" \t\n", 1001),
            ("a\u{7}b", 1003),
            ("a\rb", 1003),
        ] {
            assert_eq!(
                LongText::new("t", text).unwrap_err().code(),
                code,
                "{text:?}"
            );
        }
        // Line breaks and tabs are text; JSON holds the same string, byte for byte.
        let ok = LongText::new("t", "一\n\t二").unwrap();
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(json, serde_json::to_string("一\n\t二").unwrap());
        assert_eq!(serde_json::from_str::<LongText>(&json).unwrap(), ok);
        let err = serde_json::from_str::<LongText>(&format!("\"{past}\"")).unwrap_err();
        assert!(
            err.to_string().contains("exceeds the limit of 2000"),
            "{err}"
        );
    }
}
