//! The migration report as one self-contained HTML file.

use super::links::Links;
use super::migration::Report;

pub fn render(r: &Report, links: &Links) -> String {
    let _ = links;
    format!("<!doctype html><html><body><pre>{}</pre></body></html>\n", super::json(r))
}
