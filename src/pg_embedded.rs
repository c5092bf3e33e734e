//! A private PostgreSQL cluster run from the machine's own binaries.
// (being written)
