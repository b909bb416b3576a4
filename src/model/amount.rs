//! Exact money, quantities and ratios.
//!
//! Statistics of grassroots party work add up money (dues, donations, project funds),
//! quantities (kilometres of road, households, varieties) and rates (the share of members who
//! took part). All of them are exact here: nothing passes through binary floating point.
//!
//! # Exact decimals
//!
//! Values are [`rust_decimal::Decimal`]s, read with [`Decimal::from_str_exact`] after this
//! module has checked the text itself (`-?[0-9]+(\.[0-9]+)?`), so a value is either taken as
//! written or refused with a reason: no exponents (`1e5`), no signs other than one leading
//! minus, no white space, no digit silently dropped. Trailing zeros after the point do not
//! count as decimal places (`1.500` is 1.5) and are never shown: every value is normalized
//! before it is displayed or serialized, so `1.10` and `1.1` are the same value, print as `1.1`
//! and hash alike.
//!
//! # Money
//!
//! An [`Amount`] is money in yuan (元): never negative, in whole fen (分, 0.01 yuan), at most
//! 10¹² yuan. Reports often give money in 万元 (ten thousand yuan): [`Amount::to_wan`].
//!
//! # Rounding
//!
//! Reports round 四舍五入, half away from zero, which is [`round_half_up`]. (rust_decimal's own
//! `round_dp` rounds half to even, which is not what a Chinese report means.)
//!
//! # JSON
//!
//! Decimals are written as JSON strings (`"12.5"`), and only strings are read back: a JSON
//! number is refused, because a JSON reader may already have rounded it to binary floating
//! point.
//!
//! ```
//! use chuangzheng::model::{Amount, Ratio};
//!
//! let dues = Amount::parse("dues", "1234.50")?;
//! let total = dues.checked_add(Amount::parse("dues", "0.5")?)?;
//! assert_eq!(total.to_string(), "1235");
//! assert_eq!(serde_json::to_string(&total).unwrap(), "\"1235\"");
//!
//! let turnout = Ratio::new("turnout", 427, 493)?;
//! assert_eq!(turnout.percent(1).to_string(), "86.6");
//! # Ok::<(), chuangzheng::model::ModelError>(())
//! ```

use std::fmt;
use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Reason;
use crate::model::ModelError;

/// Rounds `value` to `places` decimal places, half away from zero: 四舍五入.
///
/// Places beyond the value's own are left as they are (rounding 2.5 to 3 places gives 2.5).
///
/// ```
/// use chuangzheng::model::round_half_up;
/// use rust_decimal::Decimal;
///
/// let d = |s: &str| Decimal::from_str_exact(s).unwrap();
/// assert_eq!(round_half_up(d("2.5"), 0), d("3"));
/// assert_eq!(round_half_up(d("0.56025"), 4), d("0.5603"));
/// assert_eq!(round_half_up(d("-2.5"), 0), d("-3"));
/// assert_eq!(round_half_up(d("0.56024"), 4), d("0.5602"));
/// ```
pub fn round_half_up(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// The decimals one type accepts.
struct Bounds {
    /// Most decimal places.
    places: u32,
    /// Largest value.
    max: Decimal,
    /// `max` as the error message shows it.
    max_text: &'static str,
    /// Digits before the point of `max`: a longer integer part is refused from the text alone.
    integer_digits: usize,
}

/// 10¹² yuan, in whole fen.
const AMOUNT_BOUNDS: Bounds = Bounds {
    places: 2,
    max: Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0),
    max_text: "1000000000000",
    integer_digits: 13,
};

/// Below 10¹⁵, at most 6 places.
const QUANTITY_BOUNDS: Bounds = Bounds {
    places: 6,
    max: Decimal::from_parts(0xDE9F_FFFF, 0x35C9_ADC5, 0x36, false, 6),
    max_text: "999999999999999.999999",
    integer_digits: 15,
};

impl Bounds {
    /// Normalizes `value` and checks it: not negative, not too many places, not too large.
    fn check(&self, field: &'static str, value: Decimal) -> Result<Decimal, ModelError> {
        // normalize() also turns -0 into 0, which is not negative.
        let value = value.normalize();
        if value.is_sign_negative() {
            Err(ModelError::new(field, Reason::Negative))
        } else if value.scale() > self.places {
            Err(self.too_many_places(field))
        } else if value > self.max {
            Err(self.too_large(field))
        } else {
            Ok(value)
        }
    }

    /// Reads `text` exactly, then checks it as [`Bounds::check`] does.
    fn parse(&self, field: &'static str, text: &str) -> Result<Decimal, ModelError> {
        let not_a_decimal = || ModelError::new(field, Reason::NotADecimal);
        let digits = Digits::split(text).ok_or_else(not_a_decimal)?;
        // Judged on the text first, so that a value too long for a Decimal (past 28 places or
        // 96 bits) is refused for the reason the caller can act on, not as unreadable.
        if digits.negative && !digits.is_zero() {
            return Err(ModelError::new(field, Reason::Negative));
        }
        if digits.fraction.len() > self.places as usize {
            return Err(self.too_many_places(field));
        }
        if digits.integer.len() > self.integer_digits {
            return Err(self.too_large(field));
        }
        let value = Decimal::from_str_exact(&digits.significant()).map_err(|_| not_a_decimal())?;
        self.check(field, value)
    }

    fn too_many_places(&self, field: &'static str) -> ModelError {
        let max = self.places;
        ModelError::new(field, Reason::TooManyDecimalPlaces { max })
    }

    fn too_large(&self, field: &'static str) -> ModelError {
        let max = self.max_text.to_owned();
        ModelError::new(field, Reason::TooLarge { max })
    }
}

/// A decimal written as `-?[0-9]+(\.[0-9]+)?`, cut down to its significant digits.
struct Digits<'a> {
    negative: bool,
    /// The integer part without leading zeros (empty for 0).
    integer: &'a str,
    /// The fraction without trailing zeros (empty for a whole number).
    fraction: &'a str,
}

impl<'a> Digits<'a> {
    fn split(text: &'a str) -> Option<Digits<'a>> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (integer, fraction) = match unsigned.split_once('.') {
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (unsigned, None),
        };
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(integer) || fraction.is_some_and(|f| !all_digits(f)) {
            return None;
        }
        Some(Digits {
            negative,
            integer: integer.trim_start_matches('0'),
            fraction: fraction.unwrap_or("").trim_end_matches('0'),
        })
    }

    fn is_zero(&self) -> bool {
        self.integer.is_empty() && self.fraction.is_empty()
    }

    /// The unsigned value, written with no superfluous zero.
    fn significant(&self) -> String {
        let integer = if self.integer.is_empty() {
            "0"
        } else {
            self.integer
        };
        if self.fraction.is_empty() {
            integer.to_owned()
        } else {
            format!("{integer}.{}", self.fraction)
        }
    }
}

/// Money in yuan (元): not negative, in whole fen (分), at most 10¹² yuan.
///
/// Stored as a count of fen, so equal amounts are equal whatever their text (`1.10` and `1.1`),
/// and displayed and serialized as normalized yuan (`"12.5"`, `"2747410"`).
///
/// ```
/// use chuangzheng::model::Amount;
/// use chuangzheng::Coded;
///
/// let amount = Amount::parse("project.funds", "2747410.00")?;
/// assert_eq!(amount.to_string(), "2747410");
/// assert_eq!(amount.to_wan(3).to_string(), "274.741");
/// assert_eq!(Amount::from_fen("fee", 1250)?, Amount::parse("fee", "12.50")?);
///
/// let err = Amount::parse("project.funds", "12.345").unwrap_err();
/// assert_eq!((err.code(), err.field()), (1006, "project.funds"));
/// assert!(serde_json::from_str::<Amount>("12.5").is_err()); // a JSON number
/// # Ok::<(), chuangzheng::model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount {
    /// Invariant: `0 <= fen <= MAX_FEN`.
    fen: i64,
}

/// 10¹² yuan in fen.
const MAX_FEN: i64 = 100_000_000_000_000;

impl Amount {
    /// No money.
    pub const ZERO: Amount = Amount { fen: 0 };

    /// The largest amount: 10¹² yuan.
    pub const MAX: Amount = Amount { fen: MAX_FEN };

    /// Reads an amount of yuan written exactly, such as `12`, `12.5` or `0.05`.
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::NotADecimal`] when the text is not `-?[0-9]+(\.[0-9]+)?` (empty
    /// text, white space, `1e5`, `+1`, `.5`, `1,000`), [`Reason::Negative`],
    /// [`Reason::TooManyDecimalPlaces`] past fen, [`Reason::TooLarge`] past 10¹² yuan.
    pub fn parse(field: &'static str, text: &str) -> Result<Amount, ModelError> {
        let yuan = AMOUNT_BOUNDS.parse(field, text)?;
        Amount::from_checked_yuan(field, yuan)
    }

    /// An amount from a decimal number of yuan.
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::Negative`], [`Reason::TooManyDecimalPlaces`] past fen,
    /// [`Reason::TooLarge`] past 10¹² yuan.
    pub fn from_yuan(field: &'static str, yuan: Decimal) -> Result<Amount, ModelError> {
        let yuan = AMOUNT_BOUNDS.check(field, yuan)?;
        Amount::from_checked_yuan(field, yuan)
    }

    /// An amount from a whole number of fen (0.01 yuan).
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::Negative`], [`Reason::TooLarge`] past 10¹² yuan.
    pub fn from_fen(field: &'static str, fen: i64) -> Result<Amount, ModelError> {
        Amount::bounded(field, fen)
    }

    /// `yuan` has passed [`AMOUNT_BOUNDS`]: at most 2 places, so it is a whole number of fen.
    fn from_checked_yuan(field: &'static str, yuan: Decimal) -> Result<Amount, ModelError> {
        let fen = 2u32
            .checked_sub(yuan.scale())
            .and_then(|shift| 10i128.checked_pow(shift))
            .and_then(|factor| yuan.mantissa().checked_mul(factor))
            .and_then(|fen| i64::try_from(fen).ok())
            .ok_or_else(|| ModelError::new(field, Reason::Overflow))?;
        Amount::bounded(field, fen)
    }

    fn bounded(field: &'static str, fen: i64) -> Result<Amount, ModelError> {
        if fen < 0 {
            Err(ModelError::new(field, Reason::Negative))
        } else if fen > MAX_FEN {
            Err(AMOUNT_BOUNDS.too_large(field))
        } else {
            Ok(Amount { fen })
        }
    }

    /// The amount in yuan, normalized (`12.5`, not `12.50`).
    pub fn yuan(self) -> Decimal {
        Decimal::new(self.fen, 2).normalize()
    }

    /// The amount in fen (0.01 yuan).
    pub const fn fen(self) -> i64 {
        self.fen
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.fen == 0
    }

    /// The amount in 万元 (ten thousand yuan), rounded half up (四舍五入) to `places` places
    /// and normalized.
    ///
    /// ```
    /// use chuangzheng::model::Amount;
    ///
    /// let a = Amount::parse("a", "2747410")?;
    /// assert_eq!(a.to_wan(3).to_string(), "274.741");
    /// assert_eq!(a.to_wan(1).to_string(), "274.7");
    /// assert_eq!(Amount::parse("a", "10500000")?.to_wan(0).to_string(), "1050");
    /// assert_eq!(Amount::parse("a", "5000")?.to_wan(0).to_string(), "1"); // 0.5 rounds up
    /// # Ok::<(), chuangzheng::model::ModelError>(())
    /// ```
    pub fn to_wan(self, places: u32) -> Decimal {
        // fen / 10^6 = yuan / 10^4, exactly.
        round_half_up(Decimal::new(self.fen, 6), places).normalize()
    }

    /// The sum of two amounts.
    ///
    /// # Errors
    ///
    /// On field `amount`: [`Reason::TooLarge`] past 10¹² yuan.
    pub fn checked_add(self, other: Amount) -> Result<Amount, ModelError> {
        let fen = self.fen.checked_add(other.fen);
        Amount::bounded_result("amount", fen)
    }

    /// This amount less `other`.
    ///
    /// # Errors
    ///
    /// On field `amount`: [`Reason::Negative`] when `other` is the larger.
    pub fn checked_sub(self, other: Amount) -> Result<Amount, ModelError> {
        let fen = self.fen.checked_sub(other.fen);
        Amount::bounded_result("amount", fen)
    }

    /// This amount `count` times (a fee times a number of members).
    ///
    /// # Errors
    ///
    /// On field `amount`: [`Reason::TooLarge`] past 10¹² yuan, [`Reason::Overflow`] when the
    /// product does not even fit the arithmetic.
    pub fn checked_mul_count(self, count: u64) -> Result<Amount, ModelError> {
        let fen = i64::try_from(count)
            .ok()
            .and_then(|count| self.fen.checked_mul(count));
        Amount::bounded_result("amount", fen)
    }

    /// The sum of `amounts` (zero for none).
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::TooLarge`] when the sum passes 10¹² yuan.
    ///
    /// ```
    /// use chuangzheng::model::Amount;
    ///
    /// let fees = ["12.5", "7.5", "80"].map(|s| Amount::parse("fee", s).unwrap());
    /// assert_eq!(Amount::sum("fees", fees)?.to_string(), "100");
    /// # Ok::<(), chuangzheng::model::ModelError>(())
    /// ```
    pub fn sum(
        field: &'static str,
        amounts: impl IntoIterator<Item = Amount>,
    ) -> Result<Amount, ModelError> {
        amounts.into_iter().try_fold(Amount::ZERO, |total, amount| {
            Amount::bounded_result(field, total.fen.checked_add(amount.fen))
        })
    }

    /// `None` is arithmetic overflow.
    fn bounded_result(field: &'static str, fen: Option<i64>) -> Result<Amount, ModelError> {
        let fen = fen.ok_or_else(|| ModelError::new(field, Reason::Overflow))?;
        Amount::bounded(field, fen)
    }
}

impl fmt::Display for Amount {
    /// Normalized yuan: `2747410`, `12.5`, `0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.yuan(), f)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        deserializer.deserialize_str(DecimalTextVisitor {
            parse: |text| Amount::parse("amount", text),
        })
    }
}

/// Reads a decimal from a string only. A number is refused by the deserializer itself
/// ("invalid type: floating point `12.5`, expected ..."), with `expecting` saying why.
struct DecimalTextVisitor<T> {
    parse: fn(&str) -> Result<T, ModelError>,
}

impl<T> Visitor<'_> for DecimalTextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a decimal number written as a string, such as \"12.50\" \
             (a JSON number may already have lost digits to floating point)",
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.parse)(text).map_err(E::custom)
    }
}

/// The unit of a [`Quantity`]: `km`, `户`, `元`, `个`, `品种`.
///
/// Not empty, at most 16 bytes of UTF-8 (five Chinese characters), no control characters, no
/// white space at either end. Serialized as a plain string.
///
/// ```
/// use chuangzheng::model::MeasureUnit;
/// use chuangzheng::Coded;
///
/// assert_eq!(MeasureUnit::new("unit", "品种")?.as_str(), "品种");
/// assert_eq!(MeasureUnit::new("unit", " km").unwrap_err().code(), 1011);
/// # Ok::<(), chuangzheng::model::ModelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeasureUnit(Arc<str>);

impl MeasureUnit {
    /// Most bytes in a unit name.
    pub const MAX_LEN: usize = 16;

    /// A unit name.
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::Empty`], [`Reason::TooLong`] past 16 bytes,
    /// [`Reason::ControlCharacter`], [`Reason::SurroundingWhitespace`].
    pub fn new(field: &'static str, name: &str) -> Result<MeasureUnit, ModelError> {
        let reason = if name.is_empty() {
            Reason::Empty
        } else if name.len() > MeasureUnit::MAX_LEN {
            Reason::TooLong {
                max: MeasureUnit::MAX_LEN,
                actual: name.len(),
            }
        } else if name.chars().any(char::is_control) {
            Reason::ControlCharacter
        } else if name.trim() != name {
            Reason::SurroundingWhitespace
        } else {
            return Ok(MeasureUnit(name.into()));
        };
        Err(ModelError::new(field, reason))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The shared text (for a reader that shares units met before).
    pub(crate) fn shared(&self) -> &Arc<str> {
        &self.0
    }

    /// A unit of text made into a unit before (by [`MeasureUnit::new`]).
    pub(crate) fn from_shared(text: Arc<str>) -> MeasureUnit {
        MeasureUnit(text)
    }
}

impl fmt::Display for MeasureUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for MeasureUnit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MeasureUnit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MeasureUnit, D::Error> {
        let name = String::deserialize(deserializer)?;
        MeasureUnit::new("unit", &name).map_err(de::Error::custom)
    }
}

/// A measured quantity: a value and its unit, such as 89.7 km or 1 250 户.
///
/// The value is not negative, has at most 6 decimal places and is below 10¹⁵; it is kept
/// normalized. Serialized as `{"value": "89.7", "unit": "km"}`, the value a string.
///
/// ```
/// use chuangzheng::model::Quantity;
///
/// let road = Quantity::parse("road", "89.70", "km")?;
/// assert_eq!(road.to_string(), "89.7 km");
/// assert_eq!(
///     serde_json::to_string(&road).unwrap(),
///     r#"{"value":"89.7","unit":"km"}"#
/// );
/// assert_eq!(Quantity::parse("road", "89.7", "").unwrap_err().field(), "road.unit");
/// # Ok::<(), chuangzheng::model::ModelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "QuantityFields")]
pub struct Quantity {
    value: Decimal,
    unit: MeasureUnit,
}

impl Quantity {
    /// A quantity of `value` `unit`s.
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::Negative`], [`Reason::TooManyDecimalPlaces`] past 6,
    /// [`Reason::TooLarge`] from 10¹⁵ up.
    pub fn new(
        field: &'static str,
        value: Decimal,
        unit: MeasureUnit,
    ) -> Result<Quantity, ModelError> {
        let value = QUANTITY_BOUNDS.check(field, value)?;
        Ok(Quantity { value, unit })
    }

    /// A quantity read from the text of its value and of its unit.
    ///
    /// # Errors
    ///
    /// Those of [`Amount::parse`] for the value (with 6 places and 10¹⁵ as bounds), on
    /// `field`; those of [`MeasureUnit::new`] for the unit, on `field.unit`.
    pub fn parse(field: &'static str, value: &str, unit: &str) -> Result<Quantity, ModelError> {
        let value = QUANTITY_BOUNDS.parse(field, value)?;
        let unit = MeasureUnit::new("unit", unit).map_err(|e| e.within(field))?;
        Ok(Quantity { value, unit })
    }

    /// Reads the text of a quantity's value alone: exact, not negative, at most 6 places,
    /// below 10¹⁵. Errors as [`Quantity::parse`] gives them for the value.
    pub fn parse_value(field: &'static str, text: &str) -> Result<Decimal, ModelError> {
        QUANTITY_BOUNDS.parse(field, text)
    }

    /// Checks a quantity's value alone, as [`Quantity::new`] does; returns it normalized.
    pub fn check_value(field: &'static str, value: Decimal) -> Result<Decimal, ModelError> {
        QUANTITY_BOUNDS.check(field, value)
    }

    /// The value, normalized.
    pub fn value(&self) -> Decimal {
        self.value
    }

    /// The unit.
    pub fn unit(&self) -> &MeasureUnit {
        &self.unit
    }
}

impl fmt::Display for Quantity {
    /// The value and the unit, separated by a space: `89.7 km`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.unit)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("Quantity", 2)?;
        fields.serialize_field("value", &format_args!("{}", self.value))?;
        fields.serialize_field("unit", &self.unit)?;
        fields.end()
    }
}

/// A quantity as serialized, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuantityFields {
    value: DecimalText,
    unit: String,
}

impl TryFrom<QuantityFields> for Quantity {
    type Error = ModelError;

    fn try_from(fields: QuantityFields) -> Result<Quantity, ModelError> {
        Quantity::parse("quantity", &fields.value.0, &fields.unit)
    }
}

/// The text of a decimal, which had to be a string.
struct DecimalText(String);

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DecimalText, D::Error> {
        deserializer.deserialize_str(DecimalTextVisitor {
            parse: |text| Ok(DecimalText(text.to_owned())),
        })
    }
}

/// An exact rate of two counts, such as 427 members who took part out of 493.
///
/// The denominator is never zero; the numerator may exceed it (a plan overfulfilled). Rates
/// are kept as counts so that they merge exactly ([`Ratio::checked_add`]) and are rounded only
/// when shown ([`Ratio::to_decimal`], [`Ratio::percent`]). Serialized as
/// `{"numerator": 427, "denominator": 493}`.
///
/// ```
/// use chuangzheng::model::Ratio;
///
/// let ratio = Ratio::new("turnout", 13876, 24768)?;
/// assert_eq!(ratio.to_decimal(4).to_string(), "0.5602");
/// assert_eq!(Ratio::new("turnout", 427, 493)?.percent(1).to_string(), "86.6");
/// let both = Ratio::new("a", 1, 2)?.checked_add(Ratio::new("b", 2, 3)?)?;
/// assert_eq!((both.numerator(), both.denominator()), (3, 5));
/// # Ok::<(), chuangzheng::model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RatioFields")]
pub struct Ratio {
    numerator: u64,
    denominator: u64,
}

impl Ratio {
    /// The rate `numerator / denominator`.
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::Malformed`] when the denominator is zero.
    pub fn new(field: &'static str, numerator: u64, denominator: u64) -> Result<Ratio, ModelError> {
        if denominator == 0 {
            let reason = Reason::Malformed {
                zh: "分母不能为零".into(),
                en: "the denominator must not be zero".into(),
            };
            return Err(ModelError::new(field, reason));
        }
        Ok(Ratio {
            numerator,
            denominator,
        })
    }

    /// The count on top.
    pub const fn numerator(self) -> u64 {
        self.numerator
    }

    /// The count below, never zero.
    pub const fn denominator(self) -> u64 {
        self.denominator
    }

    /// The rate, rounded half up (四舍五入) from the exact quotient to `places` places and
    /// normalized; `86/99` to 4 places is `0.8687`.
    ///
    /// `places` is capped at 28, and at what a [`Decimal`] can hold beside the integer part.
    pub fn to_decimal(self, places: u32) -> Decimal {
        divide_half_up(u128::from(self.numerator), self.denominator, places)
    }

    /// The rate in percent, rounded half up (四舍五入) from the exact quotient to `places`
    /// places and normalized; `427/493` to 1 place is `86.6`.
    pub fn percent(self, places: u32) -> Decimal {
        divide_half_up(u128::from(self.numerator) * 100, self.denominator, places)
    }

    /// The merged rate of two aggregates: numerators and denominators added.
    ///
    /// # Errors
    ///
    /// On field `ratio`: [`Reason::Overflow`] when a sum passes `u64::MAX`.
    pub fn checked_add(self, other: Ratio) -> Result<Ratio, ModelError> {
        let overflow = || ModelError::new("ratio", Reason::Overflow);
        Ok(Ratio {
            numerator: self
                .numerator
                .checked_add(other.numerator)
                .ok_or_else(overflow)?,
            denominator: self
                .denominator
                .checked_add(other.denominator)
                .ok_or_else(overflow)?,
        })
    }
}

impl fmt::Display for Ratio {
    /// `427/493`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// A ratio as serialized, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatioFields {
    numerator: u64,
    denominator: u64,
}

impl TryFrom<RatioFields> for Ratio {
    type Error = ModelError;

    fn try_from(fields: RatioFields) -> Result<Ratio, ModelError> {
        Ratio::new("ratio", fields.numerator, fields.denominator)
    }
}

/// Largest mantissa of a [`Decimal`]: 96 bits.
const MAX_MANTISSA: u128 = (1 << 96) - 1;
/// Most places of a [`Decimal`].
const MAX_SCALE: u32 = 28;

/// `numerator / denominator` rounded half up to `places`, by long division on integers: the
/// remainder stays below the denominator, so nothing overflows and nothing is approximated.
fn divide_half_up(numerator: u128, denominator: u64, places: u32) -> Decimal {
    let denominator = u128::from(denominator);
    let (Some(mut mantissa), Some(mut remainder)) = (
        numerator.checked_div(denominator),
        numerator.checked_rem(denominator),
    ) else {
        return Decimal::ZERO;
    };
    let mut scale = 0;
    // Each digit must leave room for the rounding increment below.
    while scale < places.min(MAX_SCALE) && mantissa <= (MAX_MANTISSA - 10) / 10 {
        remainder *= 10;
        mantissa = mantissa * 10 + remainder / denominator;
        remainder %= denominator;
        scale += 1;
    }
    if remainder * 2 >= denominator {
        mantissa += 1;
    }
    // Within 96 bits by the loop's bound; the fallback only spares a panic.
    i128::try_from(mantissa)
        .ok()
        .and_then(|m| Decimal::try_from_i128_with_scale(m, scale).ok())
        .map_or(Decimal::MAX, |d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn amount(s: &str) -> Amount {
        Amount::parse("t", s).unwrap()
    }

    fn assert_err<T: fmt::Debug>(result: Result<T, ModelError>, field: &str, reason: Reason) {
        let err = result.unwrap_err();
        assert_eq!(err.field(), field);
        assert_eq!(err.code(), reason.code(), "{err}");
        assert_eq!(err.reason(), &reason);
    }

    fn too_large_amount() -> Reason {
        Reason::TooLarge {
            max: "1000000000000".into(),
        }
    }

    #[test]
    fn bounds_constants() {
        assert_eq!(AMOUNT_BOUNDS.max.to_string(), AMOUNT_BOUNDS.max_text);
        assert_eq!(QUANTITY_BOUNDS.max.to_string(), QUANTITY_BOUNDS.max_text);
        assert_eq!(Amount::MAX.yuan(), AMOUNT_BOUNDS.max);
        assert_eq!(
            Decimal::from_i128_with_scale(MAX_MANTISSA as i128, 0),
            Decimal::MAX
        );
    }

    #[test]
    fn round_half_up_is_sishe_wuru() {
        assert_eq!(round_half_up(d("2.5"), 0), d("3"));
        assert_eq!(round_half_up(d("3.5"), 0), d("4"));
        assert_eq!(round_half_up(d("-2.5"), 0), d("-3"));
        assert_eq!(round_half_up(d("0.56025"), 4), d("0.5603"));
        assert_eq!(round_half_up(d("0.125"), 2), d("0.13"));
        // rust_decimal's own default is half to even.
        assert_eq!(d("0.125").round_dp(2), d("0.12"));
        assert_eq!(round_half_up(d("2.5"), 40), d("2.5"));
        assert_eq!(round_half_up(Decimal::MAX, 0), Decimal::MAX);
    }

    #[test]
    fn amount_parse_accepts() {
        assert_eq!(amount("12.50").to_string(), "12.5");
        assert_eq!(amount("2747410").to_string(), "2747410");
        assert_eq!(amount("0.05").fen(), 5);
        assert_eq!(amount("007.10").fen(), 710);
        assert_eq!(amount("1.500000000000000000000000000000000000").fen(), 150);
        assert_eq!(amount("-0"), Amount::ZERO);
        assert_eq!(amount("-0.00"), Amount::ZERO);
        assert_eq!(amount("1000000000000"), Amount::MAX);
        assert_eq!(amount("1000000000000.00"), Amount::MAX);
        assert_eq!(amount("1.10"), amount("1.1"));
        assert_eq!(amount("1.10").to_string(), "1.1");
    }

    #[test]
    fn amount_parse_errors() {
        let junk = [
            "", " ", " 1", "1 ", "1e5", "1E5", "+1", "+-1", "-+1", "--1", "-", ".5", "5.", "1.2.3",
            "1,000", "1_000", "０", "١", "NaN", "inf", "0x10", "1\u{0}", "¥12",
        ];
        for text in junk {
            assert_err(
                Amount::parse("f.amount", text),
                "f.amount",
                Reason::NotADecimal,
            );
        }
        assert_err(Amount::parse("f", "-5"), "f", Reason::Negative);
        assert_err(Amount::parse("f", "-0.01"), "f", Reason::Negative);
        assert_err(Amount::parse("f", "-1.234"), "f", Reason::Negative);
        let places = Reason::TooManyDecimalPlaces { max: 2 };
        assert_err(Amount::parse("f", "12.345"), "f", places.clone());
        assert_err(Amount::parse("f", "0.001"), "f", places.clone());
        let tiny = format!("0.{}1", "0".repeat(40));
        assert_err(Amount::parse("f", &tiny), "f", places);
        assert_err(
            Amount::parse("f", "1000000000000.01"),
            "f",
            too_large_amount(),
        );
        assert_err(Amount::parse("f", "9999999999999"), "f", too_large_amount());
        let huge = "9".repeat(60);
        assert_err(Amount::parse("f", &huge), "f", too_large_amount());
    }

    #[test]
    fn amount_constructors() {
        assert_eq!(Amount::from_yuan("f", d("12.50")).unwrap(), amount("12.5"));
        assert_eq!(Amount::from_yuan("f", d("-0")).unwrap(), Amount::ZERO);
        assert_err(Amount::from_yuan("f", d("-0.5")), "f", Reason::Negative);
        let places = Reason::TooManyDecimalPlaces { max: 2 };
        assert_err(Amount::from_yuan("f", d("0.005")), "f", places);
        assert_err(
            Amount::from_yuan("f", Decimal::MAX),
            "f",
            too_large_amount(),
        );
        assert_eq!(Amount::from_fen("f", 1250).unwrap().to_string(), "12.5");
        assert_eq!(Amount::from_fen("f", MAX_FEN).unwrap(), Amount::MAX);
        assert_err(Amount::from_fen("f", -1), "f", Reason::Negative);
        assert_err(Amount::from_fen("f", i64::MIN), "f", Reason::Negative);
        assert_err(Amount::from_fen("f", MAX_FEN + 1), "f", too_large_amount());
        assert_err(Amount::from_fen("f", i64::MAX), "f", too_large_amount());
    }

    #[test]
    fn amount_arithmetic() {
        assert_eq!(
            amount("0.1").checked_add(amount("0.2")).unwrap(),
            amount("0.3")
        );
        let over = Amount::MAX.checked_add(amount("0.01"));
        assert_err(over, "amount", too_large_amount());
        assert_eq!(
            amount("5").checked_sub(amount("0.5")).unwrap(),
            amount("4.5")
        );
        assert_err(
            amount("1").checked_sub(amount("1.01")),
            "amount",
            Reason::Negative,
        );
        assert_eq!(amount("12.5").checked_mul_count(4).unwrap(), amount("50"));
        assert_eq!(amount("12.5").checked_mul_count(0).unwrap(), Amount::ZERO);
        assert_err(
            amount("2").checked_mul_count(u64::MAX),
            "amount",
            Reason::Overflow,
        );
        assert_err(
            amount("2").checked_mul_count(1 << 62),
            "amount",
            Reason::Overflow,
        );
        let big = amount("2").checked_mul_count(500_000_000_001);
        assert_err(big, "amount", too_large_amount());
        assert_eq!(Amount::sum("s", []).unwrap(), Amount::ZERO);
        let halves = std::iter::repeat_n(Amount::MAX, 2);
        assert_err(
            Amount::sum("s.total", halves),
            "s.total",
            too_large_amount(),
        );
    }

    #[test]
    fn amount_to_wan() {
        assert_eq!(amount("2747410").to_wan(3), d("274.741"));
        assert_eq!(amount("2747410").to_wan(3).to_string(), "274.741");
        assert_eq!(amount("10500000").to_wan(0).to_string(), "1050");
        assert_eq!(amount("10500000").to_wan(2).to_string(), "1050");
        assert_eq!(amount("15000").to_wan(0).to_string(), "2");
        assert_eq!(amount("14999.99").to_wan(0).to_string(), "1");
        assert_eq!(amount("0.01").to_wan(6).to_string(), "0.000001");
        assert_eq!(amount("0.01").to_wan(5).to_string(), "0");
        assert_eq!(Amount::MAX.to_wan(2).to_string(), "100000000");
    }

    #[test]
    fn amount_serde() {
        let a = amount("12.50");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"12.5\"");
        assert_eq!(serde_json::from_str::<Amount>("\"12.50\"").unwrap(), a);
        for number in ["12.5", "12", "-3", "1e3"] {
            let err = serde_json::from_str::<Amount>(number)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("expected a decimal number written as a string"),
                "{err}"
            );
        }
        let err = serde_json::from_str::<Amount>("\"-1\"")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("field amount") && err.contains("negative"),
            "{err}"
        );
        assert!(serde_json::from_str::<Amount>("null").is_err());
        assert!(serde_json::from_str::<Amount>("\"1e5\"").is_err());
    }

    #[test]
    fn amount_equality_and_hash() {
        use std::collections::HashSet;
        let set: HashSet<Amount> = [amount("1.10"), amount("1.1"), amount("1.100")].into();
        assert_eq!(set.len(), 1);
        assert!(amount("1.1") < amount("1.11"));
    }

    #[test]
    fn unit_names() {
        for name in ["km", "户", "元", "个", "品种", "万元/年", "a b"] {
            assert_eq!(MeasureUnit::new("u", name).unwrap().as_str(), name);
        }
        assert_err(MeasureUnit::new("u", ""), "u", Reason::Empty);
        let long = Reason::TooLong {
            max: 16,
            actual: 18,
        };
        assert_err(MeasureUnit::new("u", "一二三四五六"), "u", long);
        assert!(MeasureUnit::new("u", "一二三四五").is_ok());
        assert_err(MeasureUnit::new("u", "k\tm"), "u", Reason::ControlCharacter);
        assert_err(MeasureUnit::new("u", "km\n"), "u", Reason::ControlCharacter);
        assert_err(
            MeasureUnit::new("u", "\u{7f}"),
            "u",
            Reason::ControlCharacter,
        );
        assert_err(
            MeasureUnit::new("u", " km"),
            "u",
            Reason::SurroundingWhitespace,
        );
        assert_err(
            MeasureUnit::new("u", "km "),
            "u",
            Reason::SurroundingWhitespace,
        );
        assert_err(
            MeasureUnit::new("u", "户\u{3000}"),
            "u",
            Reason::SurroundingWhitespace,
        );
        assert_err(
            MeasureUnit::new("u", " "),
            "u",
            Reason::SurroundingWhitespace,
        );
        let unit = MeasureUnit::new("u", "品种").unwrap();
        let json = serde_json::to_string(&unit).unwrap();
        assert_eq!(json, "\"品种\"");
        assert_eq!(serde_json::from_str::<MeasureUnit>(&json).unwrap(), unit);
        let err = serde_json::from_str::<MeasureUnit>("\" km\"").unwrap_err();
        assert!(err.to_string().contains("field unit"), "{err}");
    }

    #[test]
    fn quantities() {
        let q = Quantity::parse("q", "89.70", "km").unwrap();
        assert_eq!(q.value().to_string(), "89.7");
        assert_eq!(q.unit().as_str(), "km");
        assert_eq!(
            q,
            Quantity::new("q", d("89.7"), MeasureUnit::new("u", "km").unwrap()).unwrap()
        );
        assert!(Quantity::parse("q", "0.000001", "km").is_ok());
        assert!(Quantity::parse("q", "999999999999999.999999", "km").is_ok());
        let places = Reason::TooManyDecimalPlaces { max: 6 };
        assert_err(Quantity::parse("q", "0.0000001", "km"), "q", places.clone());
        let too_large = Reason::TooLarge {
            max: "999999999999999.999999".into(),
        };
        assert_err(
            Quantity::parse("q", "1000000000000000", "km"),
            "q",
            too_large.clone(),
        );
        assert_err(Quantity::parse("q", "-1", "km"), "q", Reason::Negative);
        assert_err(Quantity::parse("q", "1e3", "km"), "q", Reason::NotADecimal);
        assert_err(Quantity::parse("q", "1", ""), "q.unit", Reason::Empty);
        let km = MeasureUnit::new("u", "km").unwrap();
        assert_err(
            Quantity::new("q", d("-0.1"), km.clone()),
            "q",
            Reason::Negative,
        );
        assert_err(Quantity::new("q", d("0.1234567"), km.clone()), "q", places);
        assert_err(
            Quantity::new("q", d("1000000000000000"), km),
            "q",
            too_large,
        );
    }

    #[test]
    fn quantity_serde() {
        let q = Quantity::parse("q", "89.70", "km").unwrap();
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(json, r#"{"value":"89.7","unit":"km"}"#);
        assert_eq!(serde_json::from_str::<Quantity>(&json).unwrap(), q);
        let number = serde_json::from_str::<Quantity>(r#"{"value":89.7,"unit":"km"}"#);
        assert!(
            number
                .unwrap_err()
                .to_string()
                .contains("expected a decimal number written as a string")
        );
        let negative = serde_json::from_str::<Quantity>(r#"{"value":"-1","unit":"km"}"#);
        assert!(
            negative
                .unwrap_err()
                .to_string()
                .contains("field quantity:")
        );
        let bad_unit = serde_json::from_str::<Quantity>(r#"{"value":"1","unit":""}"#);
        assert!(
            bad_unit
                .unwrap_err()
                .to_string()
                .contains("field quantity.unit")
        );
        let extra = serde_json::from_str::<Quantity>(r#"{"value":"1","unit":"km","x":1}"#);
        assert!(extra.is_err());
        assert!(serde_json::from_str::<Quantity>(r#"{"value":"1"}"#).is_err());
    }

    #[test]
    fn ratio_values() {
        let r = |n, d| Ratio::new("r", n, d).unwrap();
        assert_eq!(r(13876, 24768).to_decimal(4), d("0.5602"));
        assert_eq!(r(427, 493).to_decimal(4), d("0.8661"));
        assert_eq!(r(86, 99).to_decimal(4), d("0.8687"));
        assert_eq!(r(26, 38).to_decimal(4), d("0.6842"));
        assert_eq!(r(427, 493).percent(1), d("86.6"));
        assert_eq!(r(1, 8).to_decimal(2), d("0.13")); // 0.125, half up
        assert_eq!(r(1, 2).to_decimal(0), d("1"));
        assert_eq!(r(1, 2).to_decimal(4).to_string(), "0.5");
        assert_eq!(r(3, 2).percent(0), d("150"));
        assert_eq!(r(0, 7).to_decimal(3), Decimal::ZERO);
        assert_eq!(
            r(2, 3).to_decimal(100).to_string(),
            format!("0.{}7", "6".repeat(27))
        );
        let max = r(u64::MAX, 1);
        assert_eq!(max.to_decimal(5), Decimal::from(u64::MAX));
        assert_eq!(
            max.percent(40),
            Decimal::from(u64::MAX) * Decimal::ONE_HUNDRED
        );
        let third = r(u64::MAX, 3).to_decimal(28);
        assert!(third.scale() <= 28);
        assert_eq!(round_half_up(third, 0), Decimal::from(u64::MAX / 3));
    }

    #[test]
    fn ratio_errors_and_merge() {
        let err = Ratio::new("turnout", 1, 0).unwrap_err();
        assert_eq!((err.code(), err.field()), (1013, "turnout"));
        assert!(err.message_zh().contains("分母"));
        let r = |n, d| Ratio::new("r", n, d).unwrap();
        assert_eq!(r(1, 2).checked_add(r(2, 3)).unwrap(), r(3, 5));
        assert_err(
            r(u64::MAX, 1).checked_add(r(1, 1)),
            "ratio",
            Reason::Overflow,
        );
        assert_err(
            r(1, u64::MAX).checked_add(r(1, 1)),
            "ratio",
            Reason::Overflow,
        );
        assert_eq!(r(427, 493).to_string(), "427/493");
    }

    #[test]
    fn ratio_serde() {
        let ratio = Ratio::new("r", 427, 493).unwrap();
        let json = serde_json::to_string(&ratio).unwrap();
        assert_eq!(json, r#"{"numerator":427,"denominator":493}"#);
        assert_eq!(serde_json::from_str::<Ratio>(&json).unwrap(), ratio);
        let zero = serde_json::from_str::<Ratio>(r#"{"numerator":1,"denominator":0}"#);
        assert!(zero.unwrap_err().to_string().contains("field ratio"));
        let negative = serde_json::from_str::<Ratio>(r#"{"numerator":-1,"denominator":2}"#);
        assert!(negative.is_err());
    }

    proptest! {
        #[test]
        fn amount_text_round_trip(fen in 0..=MAX_FEN) {
            let a = Amount::from_fen("t", fen).unwrap();
            prop_assert_eq!(a.fen(), fen);
            prop_assert_eq!(Amount::parse("t", &a.to_string()), Ok(a));
            prop_assert_eq!(Amount::from_yuan("t", a.yuan()), Ok(a));
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
        }

        #[test]
        fn amount_written_forms(yuan in 0u64..=1_000_000_000_000, fen in 0u32..100, zeros in 0usize..4) {
            prop_assume!(yuan < 1_000_000_000_000 || fen == 0);
            let text = format!("{yuan}.{fen:02}{}", "0".repeat(zeros));
            let a = Amount::parse("t", &text).unwrap();
            prop_assert_eq!(a.fen(), i64::try_from(yuan * 100 + u64::from(fen)).unwrap());
            prop_assert_eq!(a.yuan(), d(&text));
            prop_assert!(!a.to_string().ends_with('0') || !a.to_string().contains('.'));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}|-?[0-9.]{0,45}") {
            let _ = Amount::parse("t", &s);
            let _ = Quantity::parse("t", &s, &s);
            let _ = MeasureUnit::new("t", &s);
        }

        #[test]
        // Counts below 2^32 keep Decimal's 28-digit quotient far enough from any midpoint for
        // the comparison to be fair.
        fn ratio_matches_decimal_division(n in 0u64..=u64::from(u32::MAX), den in 1u64..=u64::from(u32::MAX), places in 0u32..=6) {
            let ratio = Ratio::new("r", n, den).unwrap();
            let exact = Decimal::from(n).checked_div(Decimal::from(den)).unwrap();
            prop_assert_eq!(ratio.to_decimal(places), round_half_up(exact, places));
            let percent = exact.checked_mul(Decimal::ONE_HUNDRED).unwrap();
            prop_assert_eq!(ratio.percent(places), round_half_up(percent, places));
        }

        #[test]
        fn ratio_merge_adds(a in any::<u32>(), b in 1u32.., c in any::<u32>(), e in 1u32..) {
            let x = Ratio::new("r", a.into(), b.into()).unwrap();
            let y = Ratio::new("r", c.into(), e.into()).unwrap();
            let merged = x.checked_add(y).unwrap();
            prop_assert_eq!(merged.numerator(), u64::from(a) + u64::from(c));
            prop_assert_eq!(merged.denominator(), u64::from(b) + u64::from(e));
        }
    }
}
