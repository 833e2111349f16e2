//! The migration report as Markdown: for a pull request, a wiki page or a terminal.

use std::fmt::Write as _;

use super::links::Links;
use super::migration::{count, Finding, Report, PHASES};

/// A table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn hours(h: f64) -> String {
    format!("{h:.1}")
}

fn location(f: &Finding, links: &Links) -> String {
    let text = cell(&f.location());
    match links.href(&f.file, f.line) {
        Some(href) => format!("[`{text}`]({href})"),
        None => format!("`{text}`"),
    }
}

pub fn render(r: &Report, links: &Links) -> String {
    let mut s = String::new();
    let m = &r.summary;
    let _ = writeln!(s, "# Migration report: {}\n", r.project);
    let (read, came_to) = r.headline();
    let _ = writeln!(s, "{read}: **{came_to}**.\n");
    let _ = writeln!(
        s,
        "- Coverage (items generated): **{:.1}%**; generated as equivalent: {:.1}%.",
        m.coverage, m.automatic
    );
    let _ = writeln!(
        s,
        "- Estimated effort: **{} hours** (about {:.1} days), from the weights in `mappings/effort.toml`.",
        hours(m.effort_hours),
        m.effort_days
    );
    let _ = writeln!(
        s,
        "- Findings: {}, {}, {}{}.\n",
        count(m.errors, "error"),
        count(m.warnings, "warning"),
        count(m.notes, "note"),
        if m.suppressed > 0 { format!(" ({} suppressed)", m.suppressed) } else { String::new() }
    );

    let _ = writeln!(s, "## By category\n");
    let _ = writeln!(s, "| Category | Code | Auto | Review | Manual | Coverage | Effort (h) |");
    let _ = writeln!(s, "| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for c in &r.categories {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {:.1}% | {} |",
            c.category,
            c.code,
            c.auto,
            c.review,
            c.manual,
            c.coverage,
            hours(c.effort_hours)
        );
    }

    let _ = writeln!(s, "\n## Order of work\n");
    for p in &r.phases {
        let cats = if p.categories.is_empty() { String::new() } else { format!(" ({})", p.categories.join(", ")) };
        let open = if p.phase as usize == PHASES.len() {
            String::new()
        } else {
            format!(" — {} open, {} hours", count(p.open, "item"), hours(p.effort_hours))
        };
        let _ = writeln!(s, "{}. **{}**{cats}{open}. {}", p.phase, p.title, p.advice);
    }

    if !r.extensions.is_empty() {
        let _ = writeln!(s, "\n## Extensions\n");
        let _ = writeln!(s, "| Extension | Object | Django | Status | Note |");
        let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
        for e in &r.extensions {
            let _ = writeln!(
                s,
                "| {} | `{}` | {} | {} | {} |",
                cell(&e.extension),
                cell(e.variable.as_deref().unwrap_or("-")),
                cell(if e.django.is_empty() { "-" } else { &e.django }),
                e.status.as_str(),
                cell(&e.note)
            );
        }
    }

    let items: Vec<&Finding> = r.findings.iter().filter(|f| f.status.is_some()).collect();
    if !items.is_empty() {
        let _ = writeln!(s, "\n## To review and port\n");
        for (n, title, _) in PHASES {
            let cats: Vec<&str> = r.categories.iter().filter(|c| c.phase == *n).map(|c| c.category).collect();
            let mine: Vec<&&Finding> = items.iter().filter(|f| cats.contains(&f.name)).collect();
            if mine.is_empty() {
                continue;
            }
            let _ = writeln!(s, "### {n}. {title}\n");
            let _ = writeln!(s, "| Location | Code | Status | Item | Why, or what to do |");
            let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
            let mut sorted = mine.clone();
            sorted.sort_by(|a, b| (a.code, &a.file, a.line, &a.key).cmp(&(b.code, &b.file, b.line, &b.key)));
            for f in sorted {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} |",
                    location(f, links),
                    f.code,
                    f.status.map(|x| x.as_str()).unwrap_or_default(),
                    cell(&f.message),
                    cell(f.help.as_deref().unwrap_or(""))
                );
            }
            let _ = writeln!(s);
        }
    }

    let diags: Vec<&Finding> = r.findings.iter().filter(|f| f.status.is_none()).collect();
    if !diags.is_empty() {
        let _ = writeln!(s, "\n## Diagnostics\n");
        let _ = writeln!(s, "| Location | Code | Level | Message |");
        let _ = writeln!(s, "| --- | --- | --- | --- |");
        for f in diags {
            let msg = match &f.help {
                Some(h) => format!("{} ({h})", f.message),
                None => f.message.clone(),
            };
            let _ = writeln!(
                s,
                "| {} | {} {} | {} | {} |",
                location(f, links),
                f.code,
                f.name,
                f.level.as_str(),
                cell(&msg)
            );
        }
    }
    let _ = writeln!(s, "\n`flask2django explain CODE` prints what a code means and what to do.");
    s
}
