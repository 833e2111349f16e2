//! Shared helpers of the integration tests.
#![allow(dead_code)]

pub mod chromium;
pub mod files;
pub mod process;
pub mod python;
