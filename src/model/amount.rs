//! Amounts (being written).
