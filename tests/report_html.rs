//! `flask2django report --format html` as a person opens it: one self-contained file that
//! headless Chromium renders into a non-blank page, whose script sorts and filters without
//! breaking it, whose tags close in order, and whose locations lead to the analyzed files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::chromium::{file_url, headless, RUN_TIMEOUT};
use crate::support::process;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Writes the example's HTML report to `dir/report.html` and returns its path and text.
fn write_report(dir: &Path) -> (PathBuf, String) {
    let out = dir.join("report.html");
    let done = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django"))
            .arg("report")
            .arg(root().join("examples/flask_shop"))
            .args(["--format", "html", "-o"])
            .arg(&out),
        Duration::from_secs(120),
    )
    .unwrap();
    assert!(done.success(), "report failed ({}):\n{}", done.status, done.stderr);
    let html = fs::read_to_string(&out).unwrap();
    (out, html)
}

/// Runs a headless Chromium command to completion and returns its standard output.
fn run_chromium(mut cmd: Command, what: &str) -> String {
    let started = Instant::now();
    let done = process::run(&mut cmd, RUN_TIMEOUT).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(done.success(), "{what} failed ({}):\n{}", done.status, process::tail(&done.stderr, 40));
    eprintln!("[chromium] {what} in {:.1}s", started.elapsed().as_secs_f64());
    done.stdout
}

/// Pixels of a PNG as RGB triples, with its width and height.
fn decode_png(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", path.display()));
    let mut decoder = png::Decoder::new(BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a PNG of a sane size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => unreachable!("expanded by normalize_to_color8"),
    };
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| if channels < 3 { [p[0]; 3] } else { [p[0], p[1], p[2]] })
        .collect();
    (info.width, info.height, pixels)
}

#[test]
fn html_report_is_self_contained_and_chromium_renders_it() {
    let dir = tempfile::tempdir().unwrap();
    let (report, html) = write_report(dir.path());

    // Self-contained: nothing fetched, no URL at all without --link.
    assert!(html.starts_with("<!doctype html>"), "{}", &html[..80.min(html.len())]);
    assert!(html.contains("<meta charset=\"utf-8\">") && html.contains("<html lang=\"en\">"));
    assert!(html.contains("<title>Migration report: flask_shop</title>"));
    let lower = html.to_ascii_lowercase();
    for needle in ["<link", "src=\"http", " src=", "@import", "url(", "http://", "https://", "javascript:"] {
        assert!(!lower.contains(needle), "the report is not self-contained: it contains `{needle}`");
    }
    assert_eq!(lower.matches("<style>").count(), 1);
    assert_eq!(lower.matches("<script>").count(), 1);

    // A screenshot, checked to show a page and not a blank or an error screen.
    let shot = dir.path().join("shot.png");
    let mut cmd = headless(&dir.path().join("profile"));
    cmd.arg("--window-size=1280,2000").arg(format!("--screenshot={}", shot.display())).arg(file_url(&report));
    run_chromium(cmd, "screenshot");
    let (width, height, pixels) = decode_png(&shot);
    assert_eq!((width, height), (1280, 2000), "the screenshot has the window's size");
    let mut counts: BTreeMap<[u8; 3], usize> = BTreeMap::new();
    for p in &pixels {
        *counts.entry(*p).or_default() += 1;
    }
    let (background, most) = counts.iter().max_by_key(|(_, n)| **n).map(|(c, n)| (*c, *n)).unwrap();
    let share = 1.0 - most as f64 / pixels.len() as f64;
    let colourful = pixels.iter().filter(|[r, g, b]| r.max(g).max(b) - r.min(g).min(b) > 60).count();
    eprintln!(
        "[chromium] screenshot {width}x{height}, {} bytes: {} distinct colours, background {background:?}, \
         {:.1}% of pixels not background, {:.2}% saturated",
        fs::metadata(&shot).unwrap().len(),
        counts.len(),
        share * 100.0,
        colourful as f64 * 100.0 / pixels.len() as f64
    );
    assert!(counts.len() >= 200, "only {} distinct colours: a blank page?", counts.len());
    assert!(share >= 0.05, "{:.1}% of pixels differ from the background: a blank page?", share * 100.0);
    // The status colours (green, amber, red bars and badges) are drawn.
    assert!(colourful as f64 / pixels.len() as f64 >= 0.002, "no status colours on the page");
}

/// Clicks through the page's own controls after its script ran, and records what it saw on
/// `<body data-check>`.
const CHECK_SCRIPT: &str = r##"<script>
(function () {
  var out = [];
  function values(table, col) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[col].getAttribute("data-sort") || r.cells[col].textContent.trim(); });
  }
  function sorted(v, dir) {
    for (var i = 1; i < v.length; i++) {
      var a = parseFloat(v[i - 1]), b = parseFloat(v[i]);
      if (dir > 0 ? a > b : a < b) return false;
    }
    return true;
  }
  var table = document.querySelector("table.categories");
  var heads = table.tHead.rows[0].cells, col = heads.length - 1;
  var button = heads[col].querySelector("button");
  button.click();
  out.push(heads[col].getAttribute("aria-sort") === "ascending" && sorted(values(table, col), 1) ? "asc-ok" : "asc-bad:" + values(table, col).join(","));
  button.click();
  out.push(heads[col].getAttribute("aria-sort") === "descending" && sorted(values(table, col), -1) ? "desc-ok" : "desc-bad:" + values(table, col).join(","));
  var box = document.querySelector("#findings .filter");
  var input = box.querySelector("input[type=search]");
  var all = document.querySelectorAll("#findings tbody tr").length;
  input.value = "models.py";
  input.dispatchEvent(new Event("input"));
  var shown = document.querySelectorAll("#findings tbody tr:not([hidden])").length;
  out.push(shown > 0 && shown < all ? "filter-ok" : "filter-bad:" + shown + "/" + all);
  input.value = "";
  input.dispatchEvent(new Event("input"));
  var manual = box.querySelector("input[value=manual]");
  manual.click();
  var left = document.querySelectorAll("#findings tbody tr:not([hidden])");
  var onlyReview = Array.prototype.every.call(left, function (r) { return r.getAttribute("data-status") === "review"; });
  out.push(left.length > 0 && onlyReview ? "status-ok" : "status-bad:" + left.length);
  document.body.setAttribute("data-check", out.join(" "));
})();
</script>"##;

#[test]
fn html_report_script_runs_in_chromium_and_sorts_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (report, html) = write_report(dir.path());

    // The page as written: the script ran, marked the page and showed the filters.
    let mut cmd = headless(&dir.path().join("profile"));
    cmd.arg("--dump-dom").arg(file_url(&report));
    let dom = run_chromium(cmd, "DOM dump");
    assert!(dom.contains("data-sortable=\"ready\""), "the page's script did not finish:\n{}", process::tail(&dom, 30));
    assert!(dom.contains("Migration report: flask_shop"));
    assert!(!dom.contains("class=\"filter\" data-tables=\"#findings table\" hidden"), "the filter stayed hidden");

    // The same page with a script that uses its controls the way a reader would.
    let checked = dir.path().join("checked.html");
    fs::write(&checked, html.replacen("</body>", &format!("{CHECK_SCRIPT}\n</body>"), 1)).unwrap();
    let mut cmd = headless(&dir.path().join("profile2"));
    cmd.arg("--dump-dom").arg(file_url(&checked));
    let dom = run_chromium(cmd, "DOM dump with clicks");
    let check = dom
        .split("data-check=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("(no result: the check script failed)");
    assert_eq!(check, "asc-ok desc-ok filter-ok status-ok");
}

/// Start tags and end tags pair up in order (void elements aside; script and style skipped).
fn check_nesting(html: &str) -> Result<usize, String> {
    const VOID: &[&str] = &["meta", "input", "br", "wbr", "img", "hr", "link", "col", "source"];
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('!') {
            rest = &rest[rest.find('>').ok_or("unclosed <!")? + 1..];
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("a bare `<` in the text: {:?}", &rest[..40.min(rest.len())]));
        }
        let end = rest.find('>').ok_or_else(|| format!("<{name} is never closed by `>`"))?;
        rest = &rest[end + 1..];
        if closing {
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => return Err(format!("</{name}> closes <{open}>")),
                None => return Err(format!("</{name}> closes nothing")),
            }
        } else if !VOID.contains(&name.as_str()) {
            elements += 1;
            if name == "script" || name == "style" {
                let close = format!("</{name}>");
                rest = &rest[rest.find(&close).ok_or_else(|| format!("<{name}> never closes"))?..];
            }
            stack.push(name);
        }
    }
    match stack.is_empty() {
        true => Ok(elements),
        false => Err(format!("never closed: {stack:?}")),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 paths")
}

#[test]
fn html_report_is_well_formed_and_its_links_lead_to_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let (report, html) = write_report(dir.path());

    let elements = check_nesting(&html).unwrap_or_else(|e| panic!("the HTML does not nest: {e}"));
    assert!(elements > 1000, "{elements} elements");
    for tag in ["table", "thead", "tbody", "tr", "section", "details", "div"] {
        assert_eq!(
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count(),
            html.matches(&format!("</{tag}>")).count(),
            "<{tag}> and </{tag}> do not pair up"
        );
    }
    assert!(html.matches("<table").count() >= 5, "category, extension, finding, diagnostic and item tables");

    // The report is in a temporary folder: its links go up and over to examples/flask_shop.
    let folder = report.parent().unwrap();
    let hrefs: BTreeSet<&str> = html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let files: BTreeSet<&str> =
        hrefs.iter().filter(|h| !h.starts_with('#')).map(|h| h.split('#').next().unwrap()).collect();
    assert!(files.len() >= 10, "links to files: {files:?}");
    for href in &files {
        assert!(!href.contains(':'), "not a relative link: {href}");
        let path = folder.join(percent_decode(href));
        assert!(path.is_file(), "{href} leads to no file ({})", path.display());
    }
    assert!(hrefs.iter().any(|h| h.contains(".py#L")), "locations link to lines");
    assert!(files.iter().any(|h| h.ends_with("shop/models.py")));
}

/// The same page with a `--link` template: locations link there, and nowhere else.
#[test]
fn html_report_links_follow_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let done = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django"))
            .arg("report")
            .arg(root().join("examples/flask_shop"))
            .args(["--format", "html", "--link", "https://code.example/shop/blob/main/{path}#L{line}", "-o"])
            .arg(&out),
        Duration::from_secs(120),
    )
    .unwrap();
    assert!(done.success(), "{}", done.stderr);
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains("href=\"https://code.example/shop/blob/main/shop/models.py#L"));
    let urls = html.matches("https://").count();
    assert_eq!(urls, html.matches("href=\"https://code.example/shop/blob/main/").count(), "a URL outside the links");
}
