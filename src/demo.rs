//! The demo city (being written).
