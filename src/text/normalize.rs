//! Normalization at the edge: bytes in, clean Unicode text out.
// (being written)
