//! The migration report as one self-contained HTML file: inline style and script, no fonts,
//! images or anything else fetched; tables sort by clicking their header, findings and items
//! can be filtered by text and status, and every location links to its file and line.
//!
//! The page reads without its script too (tables in the report's order, filters hidden), in
//! light and dark, and on paper. The same content as the Markdown form, in the same order.

use std::fmt::Write as _;

use super::links::Links;
use super::migration::{count, Finding, Report, PHASES};
use crate::mapping::items::ItemStatus;
use crate::settings::Level;

pub use super::escape_markup as escape;

/// Escaped text in which `backticked` spans become `<code>`, as in the Markdown form.
fn rich(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    // An odd number of backticks leaves the last one as it is.
    let pairs = (parts.len() - 1) / 2;
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && i > pairs * 2 {
            out.push('`');
        }
        if i % 2 == 1 && i <= pairs * 2 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// An `href` value, escaped; `None` for a scheme that would run code instead of opening a file.
fn safe_href(href: &str) -> Option<String> {
    let squeezed: String =
        href.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    let scheme = squeezed.split(':').next().unwrap_or("");
    let has_scheme = squeezed.contains(':') && !scheme.contains(['/', '?', '#']);
    if has_scheme && matches!(scheme, "javascript" | "vbscript" | "data") {
        return None;
    }
    Some(escape(href))
}

/// A generated Django name: code as a whole, or its `backticked` parts when it has some.
fn target(t: &str) -> String {
    if t.is_empty() {
        String::new()
    } else if t.contains('`') {
        rich(t)
    } else {
        format!("<code>{}</code>", escape(t))
    }
}

fn hours(h: f64) -> String {
    format!("{h:.1}")
}

fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        "0".into()
    } else {
        format!("{:.1}", part as f64 * 100.0 / whole as f64)
    }
}

fn status_rank(s: ItemStatus) -> u8 {
    match s {
        ItemStatus::Auto => 0,
        ItemStatus::Review => 1,
        ItemStatus::Manual => 2,
    }
}

fn level_rank(l: Level) -> u8 {
    match l {
        Level::Error => 0,
        Level::Warning => 1,
        Level::Note => 2,
        Level::Off => 3,
    }
}

fn status_badge(s: ItemStatus) -> String {
    format!("<span class=\"badge st-{0}\">{0}</span>", s.as_str())
}

fn level_badge(l: Level) -> String {
    format!("<span class=\"badge lv-{0}\">{0}</span>", l.as_str())
}

/// A location cell: the file and line, linked when there is a link.
fn location(file: &str, line: u32, links: &Links) -> String {
    let text = match (file.is_empty(), line) {
        (true, _) => "<project>".to_string(),
        (false, 0) => file.to_string(),
        (false, l) => format!("{file}:{l}"),
    };
    // Long paths may break after a slash, and nowhere else.
    let shown = escape(&text).replace('/', "/<wbr>");
    match links.href(file, line).as_deref().and_then(safe_href) {
        Some(href) => format!("<a class=\"loc\" href=\"{href}\">{shown}</a>"),
        None => format!("<span class=\"loc\">{shown}</span>"),
    }
}

/// A horizontal bar of auto, review and manual shares.
fn bar(auto: usize, review: usize, manual: usize) -> String {
    let total = auto + review + manual;
    let label = format!("{auto} auto, {review} review, {manual} manual");
    let mut s = format!("<div class=\"bar\" role=\"img\" aria-label=\"{label}\" title=\"{label}\">");
    for (n, class) in [(auto, "auto"), (review, "review"), (manual, "manual")] {
        if n > 0 {
            let _ = write!(s, "<span class=\"st-{class}\" style=\"width:{}%\"></span>", share(n, total));
        }
    }
    s.push_str("</div>");
    s
}

/// A sortable column header: `num` columns sort by number and align right.
struct Col {
    label: &'static str,
    num: bool,
    sort: bool,
}

const fn col(label: &'static str) -> Col {
    Col { label, num: false, sort: true }
}

const fn num(label: &'static str) -> Col {
    Col { label, num: true, sort: true }
}

const fn plain(label: &'static str) -> Col {
    Col { label, num: false, sort: false }
}

fn table_head(s: &mut String, class: &str, caption: &str, cols: &[Col]) {
    let _ = write!(
        s,
        "<div class=\"scroll\"><table class=\"sortable {class}\"><caption>{}</caption><thead><tr>",
        escape(caption)
    );
    for c in cols {
        let mut attrs = String::new();
        if c.num {
            attrs.push_str(" class=\"n\" data-type=\"num\"");
        }
        if c.sort {
            let _ = write!(s, "<th scope=\"col\"{attrs}><button type=\"button\">{}</button></th>", c.label);
        } else {
            let _ = write!(s, "<th scope=\"col\"{attrs}>{}</th>", c.label);
        }
    }
    s.push_str("</tr></thead><tbody>\n");
}

fn table_end(s: &mut String) {
    s.push_str("</tbody></table></div>\n");
}

/// Text and status filter for the tables matched by `tables` (a CSS selector); hidden until
/// the script shows it.
fn filter(s: &mut String, id: &str, tables: &str, statuses: &[ItemStatus], total: usize) {
    let _ = write!(
        s,
        "<div class=\"filter\" data-tables=\"{}\" hidden><label for=\"{id}-q\">Filter</label> \
         <input type=\"search\" id=\"{id}-q\" placeholder=\"file, code, name, text\" autocomplete=\"off\">",
        escape(tables)
    );
    if !statuses.is_empty() {
        s.push_str("<span class=\"statuses\" role=\"group\" aria-label=\"Status\">");
        for st in statuses {
            let _ = write!(
                s,
                "<label class=\"check\"><input type=\"checkbox\" value=\"{0}\" checked> {1}</label>",
                st.as_str(),
                status_badge(*st)
            );
        }
        s.push_str("</span>");
    }
    let _ = writeln!(s, " <output aria-live=\"polite\">{total} shown</output></div>");
}

const STYLE: &str = r#"
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--link:#0550ae;
--auto:#1a7f37;--auto-bg:#dafbe1;--review:#9a6700;--review-bg:#fff1c2;--manual:#cf222e;--manual-bg:#ffebe9;
--note:#0550ae;--note-bg:#ddf4ff;--bar-auto:#2da44e;--bar-review:#d4a72c;--bar-manual:#cf222e}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#161b22;--line:#30363d;
--link:#4493f8;--auto:#3fb950;--auto-bg:#12261e;--review:#d29922;--review-bg:#272115;--manual:#f85149;
--manual-bg:#25171c;--note:#4493f8;--note-bg:#121d2f;--bar-auto:#238636;--bar-review:#bb8009;--bar-manual:#da3633}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:1.9rem;line-height:1.25;margin:0 0 .4rem}
h2{font-size:1.35rem;margin:2.4rem 0 .7rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.08rem;margin:1.6rem 0 .5rem}
p{margin:.5rem 0}
a{color:var(--link)}
code,.loc{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:.86em}
code{background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:0 .25em;overflow-wrap:break-word}
.lead{font-size:1.05rem;color:var(--muted);margin-bottom:1.2rem}
.lead strong{color:var(--fg)}
nav.toc{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.8rem 0 1.4rem;font-size:.92rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:1rem 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .k{font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .v{font-size:1.55rem;font-weight:650;line-height:1.3;font-variant-numeric:tabular-nums}
.card .s{font-size:.82rem;color:var(--muted)}
.card.auto{border-left:5px solid var(--auto)}.card.review{border-left:5px solid var(--review)}
.card.manual{border-left:5px solid var(--manual)}
.bar{display:flex;height:12px;min-width:120px;border-radius:6px;overflow:hidden;background:var(--line)}
.bar>span{display:block;height:100%}
.bar>.st-auto{background:var(--bar-auto)}.bar>.st-review{background:var(--bar-review)}
.bar>.st-manual{background:repeating-linear-gradient(135deg,var(--bar-manual) 0 6px,color-mix(in srgb,var(--bar-manual) 75%,#000) 6px 8px)}
.bar.big{height:18px;border-radius:9px;margin:.4rem 0}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.88rem;color:var(--muted);margin:.3rem 0 .6rem}
.legend i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.35em;vertical-align:-.05em}
.legend .st-auto{background:var(--bar-auto)}.legend .st-review{background:var(--bar-review)}
.legend .st-manual{background:var(--bar-manual)}
.scroll{overflow-x:auto;margin:.4rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;color:var(--muted);font-size:.85rem;padding:0 0 .3rem}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--panel);border-bottom:2px solid var(--line);font-weight:600;white-space:nowrap}
tbody tr:nth-child(even){background:color-mix(in srgb,var(--panel) 60%,transparent)}
tbody tr:hover{background:var(--panel)}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.wide{min-width:18rem}
td.item{min-width:14rem}
td .sub{display:block;color:var(--muted);font-size:.85em;margin-top:2px}
.loc{overflow-wrap:normal}
th button{all:unset;cursor:pointer;display:inline-flex;gap:.3em;align-items:center;border-radius:3px}
th button:focus-visible{outline:2px solid var(--link);outline-offset:2px}
th button::after{content:"\2195";opacity:.35;font-size:.85em}
th[aria-sort=ascending] button::after{content:"\25B2";opacity:1}
th[aria-sort=descending] button::after{content:"\25BC";opacity:1}
.badge{display:inline-block;padding:0 .5em;border-radius:999px;font-size:.8rem;font-weight:600;line-height:1.6;
border:1px solid currentColor;white-space:nowrap}
.st-auto.badge{color:var(--auto);background:var(--auto-bg)}
.st-review.badge{color:var(--review);background:var(--review-bg)}
.st-manual.badge{color:var(--manual);background:var(--manual-bg)}
.lv-error{color:var(--manual);background:var(--manual-bg)}
.lv-warning{color:var(--review);background:var(--review-bg)}
.lv-note,.lv-off{color:var(--note);background:var(--note-bg)}
ol.phases{padding-left:0;list-style:none;counter-reset:ph;margin:.6rem 0}
ol.phases>li{counter-increment:ph;position:relative;padding:.7rem 1rem .7rem 3.2rem;margin:.5rem 0;
background:var(--panel);border:1px solid var(--line);border-radius:8px}
ol.phases>li::before{content:counter(ph);position:absolute;left:1rem;top:.7rem;width:1.6rem;height:1.6rem;
border-radius:50%;background:var(--fg);color:var(--bg);text-align:center;font-weight:700;line-height:1.6rem}
.phase-title{font-weight:650;font-size:1.02rem}
.meta{color:var(--muted);font-size:.88rem}
.chips{display:inline-flex;flex-wrap:wrap;gap:4px;margin-left:.3rem;vertical-align:1px}
.chip{font-size:.76rem;border:1px solid var(--line);border-radius:999px;padding:0 .5em;background:var(--bg)}
.filter{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .8rem;background:var(--panel);border:1px solid var(--line);
border-radius:8px;padding:8px 12px;margin:.6rem 0 .8rem;position:sticky;top:0;z-index:1}
.filter[hidden]{display:none}
.filter input[type=search]{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px;min-width:18rem;
background:var(--bg);color:var(--fg)}
.filter .statuses{display:inline-flex;gap:.7rem}
.filter .check{display:inline-flex;align-items:center;gap:.25rem;cursor:pointer}
.filter output{color:var(--muted);font-size:.88rem;margin-left:auto}
details{margin:.6rem 0}
details>summary{cursor:pointer;font-weight:600;padding:.4rem 0}
footer{margin-top:2.5rem;padding-top:.8rem;border-top:1px solid var(--line);color:var(--muted);font-size:.88rem}
.empty{color:var(--muted);font-style:italic}
@media print{
:root{--fg:#000;--muted:#444;--bg:#fff;--panel:#f3f3f3;--line:#bbb}
body{font-size:10.5pt}main{max-width:none;padding:0}
nav.toc,.filter{display:none!important}
a{color:inherit;text-decoration:none}
th button::after{content:none}
h2,h3{break-after:avoid}tr,ol.phases>li,.card{break-inside:avoid}
.bar,.badge,.card,ol.phases>li::before{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.scroll{overflow:visible}
}
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function each(list, f) { Array.prototype.forEach.call(list, f); }
  function key(cell) {
    var v = cell ? cell.getAttribute("data-sort") : "";
    return v === null ? cell.textContent.trim() : v;
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
    each(body.rows, function (row, i) { row.setAttribute("data-index", i); });
    each(heads, function (th, col) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        var numeric = th.getAttribute("data-type") === "num";
        each(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]), c;
          if (numeric) {
            x = parseFloat(x); y = parseFloat(y);
            c = (isNaN(x) ? -Infinity : x) - (isNaN(y) ? -Infinity : y);
            if (isNaN(c)) c = 0;
          } else {
            c = collator.compare(x, y);
          }
          if (dir === "descending") c = -c;
          return c || a.getAttribute("data-index") - b.getAttribute("data-index");
        });
        each(rows, function (row) { body.appendChild(row); });
      });
    });
  });
  each(document.querySelectorAll(".filter"), function (box) {
    var tables = document.querySelectorAll(box.getAttribute("data-tables"));
    var input = box.querySelector("input[type=search]");
    var checks = box.querySelectorAll("input[type=checkbox]");
    var output = box.querySelector("output");
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean), allowed = {}, shown = 0, total = 0;
      each(checks, function (c) { allowed[c.value] = c.checked; });
      each(tables, function (table) {
        var visible = 0;
        each(table.tBodies[0].rows, function (row) {
          var text = row.textContent.toLowerCase(), status = row.getAttribute("data-status");
          var ok = (!status || allowed[status] !== false) &&
            terms.every(function (t) { return text.indexOf(t) >= 0; });
          row.hidden = !ok;
          total += 1;
          if (ok) { visible += 1; shown += 1; }
        });
        var group = table.closest(".group");
        if (group) group.hidden = visible === 0;
      });
      output.textContent = shown === total ? total + " shown" : shown + " of " + total + " shown";
    }
    input.addEventListener("input", apply);
    each(checks, function (c) { c.addEventListener("change", apply); });
    box.hidden = false;
    apply();
  });
  window.addEventListener("beforeprint", function () {
    each(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  document.body.setAttribute("data-sortable", "ready");
})();
"#;

pub fn render(r: &Report, links: &Links) -> String {
    let mut s = String::with_capacity(64 * 1024 + r.items.len() * 400);
    let m = &r.summary;
    let title = format!("Migration report: {}", r.project);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        r.tool.name,
        r.tool.version,
        escape(&title)
    );

    // Summary.
    let _ = writeln!(s, "<header>\n<h1>{}</h1>", escape(&title));
    let (read, came_to) = r.headline();
    let _ = writeln!(s, "<p class=\"lead\">{}: <strong>{}</strong>.</p>", escape(&read), escape(&came_to));
    s.push_str("<div class=\"cards\">\n");
    let card = |s: &mut String, class: &str, k: &str, v: String, sub: String| {
        let _ = writeln!(
            s,
            "<div class=\"card {class}\"><div class=\"k\">{k}</div><div class=\"v\">{v}</div><div class=\"s\">{sub}</div></div>"
        );
    };
    card(
        &mut s,
        "",
        "Items",
        m.items.to_string(),
        format!("{}, {}", count(r.stats.python_files, "Python file"), count(r.stats.template_files, "template")),
    );
    card(
        &mut s,
        "auto",
        "Automatic",
        m.auto.to_string(),
        format!("{}% of items, {}", share(m.auto, m.items), status_badge(ItemStatus::Auto)),
    );
    card(
        &mut s,
        "review",
        "To review",
        m.review.to_string(),
        format!("{}% of items, {}", share(m.review, m.items), status_badge(ItemStatus::Review)),
    );
    card(
        &mut s,
        "manual",
        "To port by hand",
        m.manual.to_string(),
        format!("{}% of items, {}", share(m.manual, m.items), status_badge(ItemStatus::Manual)),
    );
    card(
        &mut s,
        "",
        "Coverage",
        format!("{:.1}%", m.coverage),
        format!("items generated; {:.1}% as equivalent", m.automatic),
    );
    card(
        &mut s,
        "",
        "Effort",
        format!("{} h", hours(m.effort_hours)),
        format!("about {:.1} days of 6 hours", m.effort_days),
    );
    card(
        &mut s,
        "",
        "Findings",
        (m.errors + m.warnings + m.notes).to_string(),
        format!(
            "{}, {}, {}; {} suppressed",
            count(m.errors, "error"),
            count(m.warnings, "warning"),
            count(m.notes, "note"),
            m.suppressed
        ),
    );
    s.push_str("</div>\n");
    s.push_str(&bar(m.auto, m.review, m.manual).replacen("class=\"bar\"", "class=\"bar big\"", 1));
    s.push('\n');
    legend(&mut s, m.auto, m.review, m.manual);
    let _ = writeln!(
        s,
        "<p>Coverage (items generated): <strong>{:.1}%</strong>; generated as equivalent: {:.1}%. \
         Estimated effort: <strong>{} hours</strong> (about {:.1} days), from the weights in <code>mappings/effort.toml</code>. \
         Findings: {}, {}, {}{}.</p>",
        m.coverage,
        m.automatic,
        hours(m.effort_hours),
        m.effort_days,
        count(m.errors, "error"),
        count(m.warnings, "warning"),
        count(m.notes, "note"),
        if m.suppressed > 0 { format!(" ({} suppressed)", m.suppressed) } else { String::new() }
    );

    let items: Vec<&Finding> = r.findings.iter().filter(|f| f.status.is_some()).collect();
    let diags: Vec<&Finding> = r.findings.iter().filter(|f| f.status.is_none()).collect();
    s.push_str("<nav class=\"toc\" aria-label=\"Sections\"><a href=\"#categories\">By category</a><a href=\"#order\">Order of work</a>");
    if !r.extensions.is_empty() {
        s.push_str("<a href=\"#extensions\">Extensions</a>");
    }
    if !items.is_empty() {
        let _ = write!(s, "<a href=\"#findings\">To review and port ({})</a>", items.len());
    }
    if !diags.is_empty() {
        let _ = write!(s, "<a href=\"#diagnostics\">Diagnostics ({})</a>", diags.len());
    }
    let _ = writeln!(s, "<a href=\"#items\">All items ({})</a></nav>\n</header>", r.items.len());

    // By category.
    s.push_str("<section id=\"categories\">\n<h2>By category</h2>\n");
    legend(&mut s, m.auto, m.review, m.manual);
    table_head(
        &mut s,
        "categories",
        "Items per category, with their status and estimated hours",
        &[
            col("Category"),
            col("Code"),
            num("Phase"),
            plain("Shares"),
            num("Auto"),
            num("Review"),
            num("Manual"),
            num("Coverage"),
            num("Effort (h)"),
        ],
    );
    for c in &r.categories {
        let _ = writeln!(
            s,
            "<tr><td title=\"{}\">{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\" data-sort=\"{:.1}\">{:.1}%</td><td class=\"n\">{}</td></tr>",
            escape(c.summary),
            escape(c.category),
            escape(c.code),
            c.phase,
            bar(c.auto, c.review, c.manual),
            c.auto,
            c.review,
            c.manual,
            c.coverage,
            c.coverage,
            hours(c.effort_hours)
        );
    }
    table_end(&mut s);
    s.push_str("</section>\n");

    // Order of work.
    s.push_str("<section id=\"order\">\n<h2>Order of work</h2>\n<ol class=\"phases\">\n");
    for p in &r.phases {
        let _ = write!(s, "<li><span class=\"phase-title\">{}</span>", escape(p.title));
        if !p.categories.is_empty() {
            s.push_str("<span class=\"chips\">");
            for c in &p.categories {
                let _ = write!(s, "<span class=\"chip\">{}</span>", escape(c));
            }
            s.push_str("</span>");
        }
        if p.phase as usize != PHASES.len() {
            let _ = write!(s, "<div class=\"meta\">{} open items, {} hours</div>", p.open, hours(p.effort_hours));
        }
        let _ = writeln!(s, "<p>{}</p></li>", rich(p.advice));
    }
    s.push_str("</ol>\n</section>\n");

    // Extensions.
    if !r.extensions.is_empty() {
        s.push_str("<section id=\"extensions\">\n<h2>Extensions</h2>\n");
        table_head(
            &mut s,
            "extensions",
            "Flask extensions of the app and their Django counterparts",
            &[col("Extension"), col("Object"), col("Django"), num("Status"), col("Note"), col("Location")],
        );
        for e in &r.extensions {
            let _ = writeln!(
                s,
                "<tr data-status=\"{}\"><td>{}</td><td><code>{}</code></td><td>{}</td><td data-sort=\"{}\">{}</td><td class=\"wide\">{}</td><td>{}</td></tr>",
                e.status.as_str(),
                escape(&e.extension),
                escape(e.variable.as_deref().unwrap_or("-")),
                if e.django.is_empty() { "-".to_string() } else { rich(&e.django) },
                status_rank(e.status),
                status_badge(e.status),
                rich(&e.note),
                location(&e.file, e.line, links)
            );
        }
        table_end(&mut s);
        s.push_str("</section>\n");
    }

    // To review and port, by phase.
    if !items.is_empty() {
        s.push_str("<section id=\"findings\">\n<h2>To review and port</h2>\n");
        let mut statuses: Vec<ItemStatus> = items.iter().filter_map(|f| f.status).collect();
        statuses.sort();
        statuses.dedup();
        filter(&mut s, "findings", "#findings table", &statuses, items.len());
        for (n, title, _) in PHASES {
            let cats: Vec<&str> = r.categories.iter().filter(|c| c.phase == *n).map(|c| c.category).collect();
            let mut mine: Vec<&Finding> = items.iter().copied().filter(|f| cats.contains(&f.name)).collect();
            if mine.is_empty() {
                continue;
            }
            mine.sort_by(|a, b| (a.code, &a.file, a.line, &a.key).cmp(&(b.code, &b.file, b.line, &b.key)));
            let _ = writeln!(
                s,
                "<div class=\"group\">\n<h3>{n}. {} <span class=\"meta\">({})</span></h3>",
                escape(title),
                mine.len()
            );
            table_head(
                &mut s,
                "findings",
                &format!("Phase {n}: items to review or port"),
                &[col("Location"), col("Code"), num("Status"), col("Item"), plain("Why, or what to do")],
            );
            for f in mine {
                let status = f.status.unwrap_or(ItemStatus::Manual);
                let target = if f.target.is_empty() {
                    String::new()
                } else {
                    format!("<span class=\"sub\">Django: {}</span>", target(&f.target))
                };
                let _ = writeln!(
                    s,
                    "<tr data-status=\"{}\"><td>{}</td><td><code>{}</code> <span class=\"sub\">{}</span></td><td data-sort=\"{}\">{}</td><td class=\"item\">{}{target}</td><td class=\"wide\">{}</td></tr>",
                    status.as_str(),
                    location(&f.file, f.line, links),
                    escape(f.code),
                    escape(f.name),
                    status_rank(status),
                    status_badge(status),
                    rich(&f.message),
                    rich(f.help.as_deref().unwrap_or(""))
                );
            }
            table_end(&mut s);
            s.push_str("</div>\n");
        }
        s.push_str("</section>\n");
    }

    // Diagnostics.
    if !diags.is_empty() {
        s.push_str("<section id=\"diagnostics\">\n<h2>Diagnostics</h2>\n");
        table_head(
            &mut s,
            "diagnostics",
            "What the analysis could not follow, or wants a person to know",
            &[col("Location"), col("Code"), num("Level"), col("Message")],
        );
        for f in diags {
            let help = match &f.help {
                Some(h) => format!("<span class=\"sub\">{}</span>", rich(h)),
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td><code>{}</code> <span class=\"sub\">{}</span></td><td data-sort=\"{}\">{}</td><td class=\"wide\">{}{help}</td></tr>",
                location(&f.file, f.line, links),
                escape(f.code),
                escape(f.name),
                level_rank(f.level),
                level_badge(f.level),
                rich(&f.message)
            );
        }
        table_end(&mut s);
        s.push_str("</section>\n");
    }

    // Every item.
    let _ = writeln!(
        s,
        "<section id=\"items\">\n<h2>All items</h2>\n<details>\n<summary>All {} items, automatic ones included ({} auto, {} review, {} manual)</summary>",
        r.items.len(),
        m.auto,
        m.review,
        m.manual
    );
    if r.items.is_empty() {
        s.push_str("<p class=\"empty\">No items.</p>\n");
    } else {
        let mut statuses: Vec<ItemStatus> = r.items.iter().map(|i| i.status).collect();
        statuses.sort();
        statuses.dedup();
        filter(&mut s, "items", "#items table", &statuses, r.items.len());
        table_head(
            &mut s,
            "items",
            "Every migration item and what it became",
            &[col("Location"), col("Code"), col("Category"), num("Status"), col("Item, and why"), col("Django")],
        );
        for i in &r.items {
            let why = match &i.reason {
                Some(w) => format!("<span class=\"sub\">{}</span>", rich(w)),
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "<tr data-status=\"{}\"><td>{}</td><td><code>{}</code></td><td>{}</td><td data-sort=\"{}\">{}</td><td class=\"wide\"><code>{}</code>{why}</td><td>{}</td></tr>",
                i.status.as_str(),
                location(&i.file, i.line, links),
                escape(i.code),
                escape(i.category),
                status_rank(i.status),
                status_badge(i.status),
                escape(&i.name),
                target(&i.target)
            );
        }
        table_end(&mut s);
    }
    s.push_str("</details>\n</section>\n");

    let _ = write!(
        s,
        "<footer><p><code>flask2django explain CODE</code> prints what a code means and what to do. \
         Written by {} {}.</p></footer>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        r.tool.name, r.tool.version
    );
    s
}

fn legend(s: &mut String, auto: usize, review: usize, manual: usize) {
    let _ = writeln!(
        s,
        "<div class=\"legend\"><span><i class=\"st-auto\"></i>auto: generated, equivalent ({auto})</span>\
         <span><i class=\"st-review\"></i>review: generated, to confirm ({review})</span>\
         <span><i class=\"st-manual\"></i>manual: to port by hand ({manual})</span></div>"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::items::Item;
    use crate::report::migration::{CategorySummary, ExtensionEntry, Phase, Stats, Summary, Tool};

    fn report() -> Report {
        let item = |name: &str, status: ItemStatus, reason: Option<&str>| Item {
            category: "view",
            code: "FD502",
            name: name.into(),
            file: "app/views.py".into(),
            line: 7,
            first_line: 0,
            status,
            target: "app.views.index".into(),
            reason: reason.map(str::to_string),
        };
        Report {
            schema_version: 1,
            tool: Tool { name: "flask2django", version: "0.0.0" },
            project: "shop & <co>".into(),
            summary: Summary { items: 2, auto: 1, manual: 1, coverage: 50.0, automatic: 50.0, ..Summary::default() },
            categories: vec![CategorySummary {
                category: "view",
                code: "FD502",
                summary: "a view",
                phase: 2,
                auto: 1,
                review: 0,
                manual: 1,
                coverage: 50.0,
                effort_hours: 2.0,
            }],
            phases: PHASES
                .iter()
                .map(|(n, title, advice)| Phase {
                    phase: *n,
                    title,
                    advice,
                    categories: if *n == 2 { vec!["view"] } else { vec![] },
                    open: usize::from(*n == 2),
                    effort_hours: 0.0,
                })
                .collect(),
            extensions: vec![ExtensionEntry {
                extension: "Flask-X".into(),
                variable: Some("x".into()),
                django: String::new(),
                status: ItemStatus::Manual,
                note: "\"quoted\" 'note'".into(),
                file: "app/__init__.py".into(),
                line: 3,
            }],
            findings: vec![
                Finding {
                    file: "app/views.py".into(),
                    line: 7,
                    column: 0,
                    code: "FD502",
                    name: "view",
                    level: Level::Error,
                    status: Some(ItemStatus::Manual),
                    message: "view `<script>alert(1)</script>` to port by hand".into(),
                    help: Some("uses <b>g</b> & `request`".into()),
                    target: String::new(),
                    key: "k".into(),
                    first_line: 0,
                },
                Finding {
                    file: String::new(),
                    line: 0,
                    column: 0,
                    code: "FD101",
                    name: "dynamic",
                    level: Level::Note,
                    status: None,
                    message: "<script>x()</script>".into(),
                    help: None,
                    target: String::new(),
                    key: "d".into(),
                    first_line: 0,
                },
            ],
            items: vec![
                item("index", ItemStatus::Auto, None),
                item("<script>alert(2)</script>", ItemStatus::Manual, Some("it's <i>dynamic</i>")),
            ],
            stats: Stats { python_files: 3, template_files: 1, lines: 40 },
        }
    }

    #[test]
    fn escapes_every_text_from_the_report() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        let html = render(&report(), &Links::none());
        // The page's own script is the only one.
        assert_eq!(html.matches("<script").count(), 1, "{html}");
        assert!(html.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"));
        assert!(html.contains("&lt;script&gt;x()&lt;/script&gt;"));
        assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert!(html.contains("<title>Migration report: shop &amp; &lt;co&gt;</title>"));
        assert!(html.contains("it&#39;s &lt;i&gt;dynamic&lt;/i&gt;"));
        assert!(html.contains("&quot;quoted&quot; &#39;note&#39;"));
        assert!(!html.contains("<b>g</b>") && !html.contains("<i>dynamic"));
    }

    #[test]
    fn self_contained_and_deterministic() {
        let r = report();
        let html = render(&r, &Links::none());
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(!html.contains("http://") && !html.contains("https://"), "a URL without a link template");
        assert!(!html.contains("@import") && !html.contains("<link") && !html.contains(" src="));
        assert_eq!(html, render(&r, &Links::none()));
        assert_eq!(html.matches("<table").count(), html.matches("</table>").count());
        assert!(html.contains("<a class=\"loc\" href=\"app/views.py#L7\">app/<wbr>views.py:7</a>"));
        assert!(html.contains("<span class=\"loc\">&lt;project&gt;</span>"));
    }

    #[test]
    fn links_come_from_the_template_and_never_run_code() {
        let r = report();
        let root = std::path::Path::new(".");
        let html = render(&r, &Links::new(Some("https://example.com/b/{path}#L{line}&x='y'"), root, None));
        assert!(html.contains("href=\"https://example.com/b/app/views.py#L7&amp;x=&#39;y&#39;\""));
        let html = render(&r, &Links::new(Some(" JavaScript:alert('{path}')"), root, None));
        assert!(!html.to_ascii_lowercase().contains("href=\" javascript:"));
        assert!(!html.to_ascii_lowercase().contains("javascript:"));
        assert!(html.contains("<span class=\"loc\">app/<wbr>views.py:7</span>"));
        assert!(safe_href("vscode://file/a.py:3").is_some());
        assert!(safe_href("java\tscript:x").is_none());
        assert!(safe_href("a/b:c.py").is_some());
    }

    #[test]
    fn backticks_become_code() {
        assert_eq!(rich("a `b<` c"), "a <code>b&lt;</code> c");
        assert_eq!(rich("odd ` tick"), "odd ` tick");
        assert_eq!(rich("`a` and `b` `c"), "<code>a</code> and <code>b</code> `c");
    }
}
