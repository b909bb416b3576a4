//! The binary layout of the state's values, as a snapshot file holds them (docs/events.md,
//! "Binary snapshots").
//!
//! Each type writes its fields in declaration order, fixed-width and little-endian: integers
//! as themselves, a date as year (`i16`), month and day (`i8`), text as its byte length
//! (`u32`) and its UTF-8, an option as a byte 0 or 1 and then the value, a list as its length
//! (`u32`) and its items, an enum without fields as the variant's position (`u8`). Reading
//! builds every value through its checked constructor, so what a snapshot yields is what
//! the JSON reader would accept; a value out of its bounds is an error naming its offset.
//!
//! The layout is the snapshot format's: any change to it (a field added, a variant moved)
//! comes with a new snapshot version, and a snapshot of another version is rebuilt from the
//! journal, never read (`tests/snapshot.rs` reads a snapshot of the committed version).

use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;

/// Items a list read makes room for before it reads them; a longer list grows as it is read.
const PREALLOCATED_ITEMS: usize = 1 << 12;

/// A value that has a binary layout.
pub(crate) trait Binary: Sized {
    /// Appends the value's bytes to `out`.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads a value, checked as its constructor checks it.
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError>;
}

/// Why bytes are not a value: where, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BinaryError {
    /// The offset in the bytes read.
    pub at: usize,
    /// What was wrong (English).
    pub what: String,
}

impl std::fmt::Display for BinaryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.at, self.what)
    }
}

/// Reads values from bytes, front to back.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The texts that repeat, met so far (see [`Texts`]).
    texts: Texts,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader::keeping(bytes, Texts::default())
    }

    /// A reader at the start of `bytes` that shares the texts `texts` met before (another
    /// reader's, given back by [`Reader::into_texts`]).
    pub fn keeping(bytes: &'a [u8], texts: Texts) -> Reader<'a> {
        Reader {
            bytes,
            at: 0,
            texts,
        }
    }

    /// The texts this reader met, for the next one.
    pub fn into_texts(self) -> Texts {
        self.texts
    }

    /// An error at the current offset.
    pub fn error(&self, what: impl Into<String>) -> BinaryError {
        BinaryError {
            at: self.at,
            what: what.into(),
        }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], BinaryError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(self.error(format!("{n} bytes wanted, the data ends first")));
        };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BinaryError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// Whether every byte was read.
    pub fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// A list's length, no longer than the bytes left could hold (each item takes a byte at
    /// least), so a bad length never asks for a huge allocation.
    pub fn len(&mut self) -> Result<usize, BinaryError> {
        let n = u32::get(self)? as usize;
        if n > self.bytes.len() - self.at {
            return Err(self.error(format!("a list of {n} items, longer than the data left")));
        }
        Ok(n)
    }

    /// Text, checked as UTF-8.
    pub fn str(&mut self) -> Result<&'a str, BinaryError> {
        let n = u32::get(self)? as usize;
        let at = self.at;
        let bytes = self.take(n)?;
        utf8(at, bytes)
    }

    /// Text of a kind that repeats (names, units: `kind` tells them apart), made by `make`
    /// from the text when it is new to this reader. A text met before is shared: the same
    /// `Arc` again, neither checked nor allocated a second time (what `make` refused is never
    /// kept, so what is shared was made by `make` from the same bytes).
    pub fn repeated<T>(
        &mut self,
        kind: u8,
        make: impl FnOnce(&str) -> Result<T, crate::model::ModelError>,
        shared: impl Fn(&T) -> &Arc<str>,
        from_shared: impl FnOnce(Arc<str>) -> T,
    ) -> Result<T, BinaryError> {
        let n = u32::get(self)? as usize;
        let at = self.at;
        let bytes = self.take(n)?;
        if let Some(seen) = self.texts.seen(kind, bytes) {
            return Ok(from_shared(seen));
        }
        let made = Reader::checked(at, make(utf8(at, bytes)?))?;
        self.texts.keep(kind, shared(&made));
        Ok(made)
    }

    /// The result of a checked constructor, its error (any `Display`) placed at offset `at`.
    pub fn checked<T, E: std::fmt::Display>(
        at: usize,
        made: Result<T, E>,
    ) -> Result<T, BinaryError> {
        made.map_err(|e| BinaryError {
            at,
            what: e.to_string(),
        })
    }

    /// The current offset.
    pub fn at(&self) -> usize {
        self.at
    }

    /// A list (a `Vec<T>`'s layout) that most often holds one item: that item alone when it
    /// does, no list made; else the list.
    pub fn one_or_list<T: Binary>(&mut self) -> Result<Result<T, Vec<T>>, BinaryError> {
        let at = self.at;
        if self.len()? == 1 {
            return T::get(self).map(Ok);
        }
        self.at = at;
        Vec::<T>::get(self).map(Err)
    }
}

/// `bytes` (at offset `at`) as UTF-8.
fn utf8(at: usize, bytes: &[u8]) -> Result<&str, BinaryError> {
    std::str::from_utf8(bytes).map_err(|e| BinaryError {
        at: at + e.valid_up_to(),
        what: "text that is not UTF-8".into(),
    })
}

/// The texts of kinds that repeat (a pledge's metric and unit, the titles drafted from a
/// template) a reader has met, one per slot by the text's hash: a text met again is shared
/// instead of allocated and checked again. A snapshot of a province holds millions of pledges
/// whose targets name a handful of metrics and units.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    /// Per slot: the kind and the text, checked when it was made. Empty until the first text.
    slots: Vec<Option<(u8, Arc<str>)>>,
}

/// How many texts [`Texts`] holds at most (a power of two).
const TEXT_SLOTS: usize = 256;

impl Texts {
    fn slot(kind: u8, bytes: &[u8]) -> usize {
        use std::hash::Hasher;
        let mut h = crate::model::fast::FxHasher::default();
        h.write_u8(kind);
        h.write(bytes);
        h.finish() as usize % TEXT_SLOTS
    }

    /// The text of `kind` with these bytes, if it was kept.
    fn seen(&self, kind: u8, bytes: &[u8]) -> Option<Arc<str>> {
        match self.slots.get(Texts::slot(kind, bytes))? {
            Some((k, text)) if *k == kind && text.as_bytes() == bytes => Some(Arc::clone(text)),
            _ => None,
        }
    }

    /// Keeps `text` of `kind`, in place of what its slot held.
    fn keep(&mut self, kind: u8, text: &Arc<str>) {
        if self.slots.is_empty() {
            self.slots.resize(TEXT_SLOTS, None);
        }
        let at = Texts::slot(kind, text.as_bytes());
        self.slots[at] = Some((kind, Arc::clone(text)));
    }
}

macro_rules! int_binary {
    ($($t:ty),*) => {$(
        impl Binary for $t {
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
                Ok(<$t>::from_le_bytes(r.array()?))
            }
        }
    )*};
}

int_binary!(u8, u16, u32, u64, i8, i16, i32, i64);

impl Binary for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        match u8::get(r)? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(r.error(format!("a flag of {b}, not 0 or 1"))),
        }
    }
}

impl Binary for Date {
    fn put(&self, out: &mut Vec<u8>) {
        self.year().put(out);
        self.month().put(out);
        self.day().put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        let (y, m, d) = (i16::get(r)?, i8::get(r)?, i8::get(r)?);
        Reader::checked(at, Date::new(y, m, d))
    }
}

impl Binary for Decimal {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.serialize());
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let bytes: [u8; 16] = r.array()?;
        // The flags word: the sign in its top bit, the scale (at most 28) in bits 16 to 23,
        // every other bit zero.
        let flags = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        if flags & 0x7F00_FFFF != 0 || (flags >> 16) & 0xFF > 28 {
            return Err(r.error("a decimal with an impossible scale or flags"));
        }
        Ok(Decimal::deserialize(bytes))
    }
}

impl Binary for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self, out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        Ok(r.str()?.to_owned())
    }
}

impl Binary for Box<str> {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self, out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        Ok(r.str()?.into())
    }
}

impl Binary for Arc<str> {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self, out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        Ok(r.str()?.into())
    }
}

/// Text is written as its length and bytes; it is read back through an owning type.
pub(crate) fn put_str(s: &str, out: &mut Vec<u8>) {
    // Every text of the state is bounded far below 4 GiB (MAX_TEXT_BYTES and the like).
    (s.len() as u32).put(out);
    out.extend_from_slice(s.as_bytes());
}

impl<T: Binary> Binary for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        match u8::get(r)? {
            0 => Ok(None),
            1 => Ok(Some(T::get(r)?)),
            b => Err(r.error(format!("an option tagged {b}, not 0 or 1"))),
        }
    }
}

/// Writes a list: its length, then each item.
pub(crate) fn put_slice<T: Binary>(items: &[T], out: &mut Vec<u8>) {
    // Lists of the state hold at most MAX_ENTITIES items, far below 4 G.
    (items.len() as u32).put(out);
    for item in items {
        item.put(out);
    }
}

impl<T: Binary> Binary for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_slice(self, out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let n = r.len()?;
        // A length is at most the bytes left, but an item may take far more room in memory
        // than in the file: room for the first items only, so that bytes that lie about a
        // length never ask for more memory than the file's size in items.
        let mut out = Vec::with_capacity(n.min(PREALLOCATED_ITEMS));
        for _ in 0..n {
            out.push(T::get(r)?);
        }
        Ok(out)
    }
}

impl<const N: usize> Binary for [u8; N] {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        r.array()
    }
}

impl<A: Binary, B: Binary> Binary for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        Ok((A::get(r)?, B::get(r)?))
    }
}

/// The layout of a struct: its fields in the order listed, which must be all of them (the
/// pattern that takes the value apart fails to compile when one is missing).
macro_rules! binary_struct {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl $crate::model::binary::Binary for $t {
            fn put(&self, out: &mut Vec<u8>) {
                let $t { $($f),* } = self;
                $( $crate::model::binary::Binary::put($f, out); )*
            }
            fn get(
                r: &mut $crate::model::binary::Reader<'_>,
            ) -> Result<Self, $crate::model::binary::BinaryError> {
                Ok($t { $( $f: $crate::model::binary::Binary::get(r)?, )* })
            }
        }
    };
}

/// The layout of an enum without fields: the variant's position among those listed, which
/// must be all of them in declaration order (the match fails to compile when one is missing).
macro_rules! binary_enum {
    ($t:ident { $($v:ident),* $(,)? }) => {
        impl $crate::model::binary::Binary for $t {
            fn put(&self, out: &mut Vec<u8>) {
                const ALL: &[$t] = &[$($t::$v),*];
                match self { $( $t::$v )|* => {} }
                let i = ALL.iter().position(|v| v == self).unwrap_or(0);
                out.push(i as u8);
            }
            fn get(
                r: &mut $crate::model::binary::Reader<'_>,
            ) -> Result<Self, $crate::model::binary::BinaryError> {
                const ALL: &[$t] = &[$($t::$v),*];
                let b = <u8 as $crate::model::binary::Binary>::get(r)?;
                ALL.get(b as usize).copied().ok_or_else(|| {
                    r.error(format!("variant {b} of {}, which has {}", stringify!($t), ALL.len()))
                })
            }
        }
    };
}

/// The layout of a checked list (a type that derefs to a slice of its items and is made from a
/// `Vec` of them by `TryFrom`, which checks it): its items as a list.
macro_rules! binary_checked_list {
    ($t:ty, $item:ty) => {
        impl $crate::model::binary::Binary for $t {
            fn put(&self, out: &mut Vec<u8>) {
                $crate::model::binary::put_slice(self, out);
            }
            fn get(
                r: &mut $crate::model::binary::Reader<'_>,
            ) -> Result<Self, $crate::model::binary::BinaryError> {
                let at = r.at();
                let items = <Vec<$item> as $crate::model::binary::Binary>::get(r)?;
                $crate::model::binary::Reader::checked(at, <$t>::try_from(items))
            }
        }
    };
}

/// The layout of an index (a `u32` newtype).
macro_rules! index_binary {
    ($($t:ident),*) => {$(
        impl $crate::model::binary::Binary for $t {
            fn put(&self, out: &mut Vec<u8>) {
                $crate::model::binary::Binary::put(&self.0, out);
            }
            fn get(
                r: &mut $crate::model::binary::Reader<'_>,
            ) -> Result<Self, $crate::model::binary::BinaryError> {
                Ok($t($crate::model::binary::Binary::get(r)?))
            }
        }
    )*};
}

/// The layout of checked text (a type with `new(field, &str)` and `as_str`).
macro_rules! text_binary {
    ($($t:ident),*) => {$(
        impl $crate::model::binary::Binary for $t {
            fn put(&self, out: &mut Vec<u8>) {
                $crate::model::binary::put_str(self.as_str(), out);
            }
            fn get(
                r: &mut $crate::model::binary::Reader<'_>,
            ) -> Result<Self, $crate::model::binary::BinaryError> {
                let at = r.at();
                let s = r.str()?;
                $crate::model::binary::Reader::checked(at, $t::new(stringify!($t), s))
            }
        }
    )*};
}

/// The layout of an enum whose variants may carry values: the tag given for each variant
/// (`u8`), then its values in order. Every variant must be listed (the match fails to compile
/// otherwise).
macro_rules! binary_union {
    ($t:ident { $($tag:literal => $v:ident $(($($a:ident),+))? $({$($f:ident),+})?),* $(,)? }) => {
        impl $crate::model::binary::Binary for $t {
            fn put(&self, out: &mut Vec<u8>) {
                use $crate::model::binary::Binary;
                match self {
                    $( $t::$v $(($($a),+))? $({$($f),+})? => {
                        <u8 as Binary>::put(&$tag, out);
                        $($( Binary::put($a, out); )+)?
                        $($( Binary::put($f, out); )+)?
                    } )*
                }
            }
            fn get(
                r: &mut $crate::model::binary::Reader<'_>,
            ) -> Result<Self, $crate::model::binary::BinaryError> {
                use $crate::model::binary::Binary;
                let b = <u8 as Binary>::get(r)?;
                $( if b == $tag {
                    return Ok($t::$v $(($({ let _ = stringify!($a); Binary::get(r)? }),+))?
                        $({$($f: Binary::get(r)?),+})?);
                } )*
                Err(r.error(format!("variant {b} of {}", stringify!($t))))
            }
        }
    };
}

pub(crate) use {
    binary_checked_list, binary_enum, binary_struct, binary_union, index_binary, text_binary,
};

// The model's values.

use super::times::{Fact, TimeEntry};
use super::{
    Amount, Bounded, Dated, ExtId, Granularity, History, LeaderLevel, LongText, MeasureUnit,
    Member, MemberCategory, MemberIdx, Org, OrgIdx, OrgKind, Period, Posting, Quantity, Ratio,
    Role, Stamp, Unit, UnitIdx, UnitKind, UnitStanding,
};

text_binary!(ExtId, LongText);

/// The layout of checked text that repeats, read through [`Reader::repeated`] (a type with
/// `new(field, &str)`, `as_str`, and crate-private `shared` and `from_shared` over its
/// `Arc<str>`); each type its own kind.
macro_rules! repeated_text_binary {
    ($($t:ident = $kind:literal),*) => {$(
        impl Binary for $crate::model::$t {
            fn put(&self, out: &mut Vec<u8>) {
                put_str(self.as_str(), out);
            }
            fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
                r.repeated(
                    $kind,
                    |s| $crate::model::$t::new(stringify!($t), s),
                    $crate::model::$t::shared,
                    $crate::model::$t::from_shared,
                )
            }
        }
    )*};
}

repeated_text_binary!(Name = 1, MeasureUnit = 2);

index_binary!(OrgIdx, MemberIdx, UnitIdx);

binary_enum!(OrgKind {
    ProvinceCommittee,
    CityCommittee,
    TownshipCommittee,
    StreetCommittee,
    FarmCommittee,
    CityDepartment,
    Village,
    Community,
    Organ,
    School,
    Clinic,
    Enterprise,
    SocialOrganization,
    Cooperative,
});
binary_enum!(MemberCategory {
    Farmer,
    Organ,
    Community,
    Enterprise,
    Other
});
binary_enum!(Role {
    Secretary,
    CommitteeMember,
    Ordinary
});
binary_enum!(LeaderLevel {
    None,
    Section,
    City
});
binary_enum!(UnitKind {
    NonPublicEnterprise,
    SocialOrganization,
    Cooperative
});
binary_enum!(Granularity {
    Day,
    Week,
    Month,
    Quarter,
    Year
});

binary_struct!(Org {
    id,
    name,
    kind,
    parent,
    since,
    former_parents,
    former_names
});
binary_struct!(Posting { from, org, role });
binary_struct!(Member {
    id,
    category,
    leader_level,
    postings,
    former_levels
});
binary_struct!(UnitStanding {
    from,
    eligible,
    covered_by
});
binary_struct!(Unit {
    id,
    name,
    kind,
    area,
    standings
});
binary_enum!(Fact {
    OrgMove,
    Posting,
    Standing,
    PledgeStatus,
    PledgeReport,
    PledgeFulfilment,
    PledgeEvaluation,
    ConcernRaised,
    ConcernEscalation,
    MatterStep,
    MatterProposed,
    CaseReceived,
    TeamFounded,
    TeamJoined,
    TeamLeft,
    ContactLinked,
    ContactUnlinked,
    InstructorAssigned,
    InstructorUnassigned,
    VillagePaired,
    VillageUnpaired,
});
binary_struct!(TimeEntry { fact, of, at, time });

impl<T: Dated + Binary> Binary for History<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_slice(self, out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        // Most histories hold one value (a member's one posting), kept inline: no list made.
        match r.one_or_list()? {
            Ok(one) => Ok(History::new(one)),
            Err(values) => Reader::checked(at, History::try_from(values)),
        }
    }
}

impl<T: Binary, const MAX: usize> Binary for Bounded<T, MAX> {
    fn put(&self, out: &mut Vec<u8>) {
        put_slice(self, out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        let items = Vec::<T>::get(r)?;
        Reader::checked(at, Bounded::new("list", items))
    }
}

impl Binary for Amount {
    fn put(&self, out: &mut Vec<u8>) {
        self.fen().put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        let fen = i64::get(r)?;
        Reader::checked(at, Amount::from_fen("amount", fen))
    }
}

impl Binary for Quantity {
    fn put(&self, out: &mut Vec<u8>) {
        self.value().put(out);
        self.unit().put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        let (value, unit) = (Decimal::get(r)?, MeasureUnit::get(r)?);
        Reader::checked(at, Quantity::new("quantity", value, unit))
    }
}

impl Binary for Ratio {
    fn put(&self, out: &mut Vec<u8>) {
        self.numerator().put(out);
        self.denominator().put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        let (n, d) = (u64::get(r)?, u64::get(r)?);
        Reader::checked(at, Ratio::new("ratio", n, d))
    }
}

impl Binary for Period {
    fn put(&self, out: &mut Vec<u8>) {
        match *self {
            Period::Day(d) => (Granularity::Day, d).put(out),
            Period::Week { year, week } => (Granularity::Week, (year, week)).put(out),
            Period::Month { year, month } => (Granularity::Month, (year, month)).put(out),
            Period::Quarter { year, quarter } => (Granularity::Quarter, (year, quarter)).put(out),
            Period::Year(year) => (Granularity::Year, year).put(out),
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        let made = match Granularity::get(r)? {
            Granularity::Day => return Ok(Period::Day(Date::get(r)?)),
            Granularity::Week => Period::week(i16::get(r)?, i8::get(r)?),
            Granularity::Month => Period::month(i16::get(r)?, i8::get(r)?),
            Granularity::Quarter => Period::quarter(i16::get(r)?, i8::get(r)?),
            Granularity::Year => Period::year(i16::get(r)?),
        };
        Reader::checked(at, made)
    }
}

impl Binary for jiff::civil::Time {
    fn put(&self, out: &mut Vec<u8>) {
        self.hour().put(out);
        self.minute().put(out);
        self.second().put(out);
        self.subsec_nanosecond().put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        let at = r.at();
        let (h, m, s, ns) = (i8::get(r)?, i8::get(r)?, i8::get(r)?, i32::get(r)?);
        Reader::checked(at, jiff::civil::Time::new(h, m, s, ns))
    }
}

binary_struct!(Stamp { date, time });

#[cfg(test)]
mod tests {
    use super::*;

    fn round<T: Binary + PartialEq + std::fmt::Debug>(v: T) {
        let mut out = Vec::new();
        v.put(&mut out);
        let mut r = Reader::new(&out);
        assert_eq!(T::get(&mut r).unwrap(), v);
        assert!(r.is_done());
    }

    /// A name or unit met again is the same `Arc`, within a reader and the next one that
    /// keeps its texts; a text of one kind is never taken for another's; what was refused is
    /// refused again.
    #[test]
    fn repeated_texts_are_shared_and_still_checked() {
        use crate::model::{MeasureUnit, Name};
        let bytes = |texts: &[&str]| {
            let mut out = Vec::new();
            texts.iter().for_each(|t| put_str(t, &mut out));
            out
        };
        let six = "一二三四五六"; // 18 bytes: a name, too long for a unit
        let out = bytes(&["件", "件", "件", six, six]);
        let mut r = Reader::new(&out);
        let (name, again) = (Name::get(&mut r).unwrap(), Name::get(&mut r).unwrap());
        let unit = MeasureUnit::get(&mut r).unwrap();
        assert_eq!((again.as_str(), unit.as_str()), ("件", "件"));
        assert!(Arc::ptr_eq(name.shared(), again.shared()));
        assert!(!Arc::ptr_eq(name.shared(), unit.shared()));
        assert_eq!(Name::get(&mut r).unwrap().as_str(), six);
        let e = MeasureUnit::get(&mut r).unwrap_err();
        assert!(e.what.contains("MeasureUnit"), "{e}");
        // The next reader shares what this one met.
        let out = bytes(&["件", "件"]);
        let mut next = Reader::keeping(&out, r.into_texts());
        let (name2, unit2) = (
            Name::get(&mut next).unwrap(),
            MeasureUnit::get(&mut next).unwrap(),
        );
        assert!(Arc::ptr_eq(name.shared(), name2.shared()));
        assert!(Arc::ptr_eq(unit.shared(), unit2.shared()));
        // A text refused is not kept: refused again.
        let out = bytes(&["件\u{7}", "件\u{7}"]);
        let mut bad = Reader::new(&out);
        assert!(Name::get(&mut bad).is_err());
        bad.at = 4 + "件\u{7}".len();
        assert!(Name::get(&mut bad).is_err());
    }

    #[test]
    fn values_read_back_as_written() {
        round(0xDEAD_BEEF_u32);
        round(-5_i64);
        round(true);
        round(jiff::civil::date(2010, 7, 1));
        round(Decimal::new(-12345, 2));
        round(Some("东港".to_string()));
        round(vec![(1_u32, None::<u64>), (2, Some(3))]);
    }

    #[test]
    fn bad_bytes_are_errors_with_their_offset() {
        let e = bool::get(&mut Reader::new(&[2])).unwrap_err();
        assert_eq!((e.at, e.what.as_str()), (1, "a flag of 2, not 0 or 1"));
        // February 30th.
        let mut out = Vec::new();
        2010_i16.put(&mut out);
        out.extend([2, 30]);
        assert_eq!(Date::get(&mut Reader::new(&out)).unwrap_err().at, 0);
        // A list longer than its bytes.
        let e = Vec::<u8>::get(&mut Reader::new(&[9, 0, 0, 0, 1])).unwrap_err();
        assert!(e.what.contains("longer than the data left"), "{e}");
        // Text that is not UTF-8.
        let e = String::get(&mut Reader::new(&[2, 0, 0, 0, b'a', 0xFF])).unwrap_err();
        assert_eq!(e.at, 5);
        // A decimal with scale 29.
        let mut d = [0_u8; 16];
        d[2] = 29;
        assert!(Decimal::get(&mut Reader::new(&d)).is_err());
    }
}
