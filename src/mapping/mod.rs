//! Mapping: inventory facts + the `mappings/*.toml` tables -> Django equivalents.
//!
//! Consumes the [`crate::inventory::model`] types and the tables; produces Django targets. Reads no
//! source file; a new Django equivalent is a row in a table, not code here.

pub mod apps;
pub mod config;
pub mod items;
pub mod models;
pub mod py;
pub mod tables;
pub mod types;
pub mod urls;
