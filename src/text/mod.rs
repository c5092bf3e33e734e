//! The text pipeline for Thai chapters: plain functions on plain data, no I/O.

pub mod anchors;
pub mod normalize;
pub mod segment;
pub mod words;
