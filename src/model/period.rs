//! Periods (being written).
