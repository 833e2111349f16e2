//! Discover: walk the analyzed repository and list the files the later stages read.
//!
//! Consumes a root folder and exclude globs; produces a sorted list of [`SourceFile`]s (with their
//! Python module names) and diagnostics for what could not be walked. Reads no file contents, and
//! never leaves the root: symbolic links pointing outside it or into a loop are reported, not followed.

mod module_name;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::diagnostics::{Code, Diagnostic};
use module_name::module_name;

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    pub root: PathBuf,
    /// Gitignore-style globs, relative to the root.
    pub excludes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Python,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceFile {
    /// Root-relative, `/`-separated path (the sort key).
    pub rel: String,
    /// Path to open.
    pub path: PathBuf,
    pub kind: FileKind,
    /// Dotted module name for Python files that can be imported (`pkg.sub.mod`, `pkg` for
    /// `pkg/__init__.py`); None when a path component is not an identifier.
    pub module: Option<String>,
    /// True for `__init__.py` files.
    pub is_package: bool,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: not a readable directory: {source}")]
    Root { path: PathBuf, source: std::io::Error },
    #[error("invalid --exclude glob {glob:?}: {message}")]
    Glob { glob: String, message: String },
}

/// Folders never walked, whatever the ignore files say: tool caches and installed packages.
/// Hidden folders (`.git`, `.venv`, `.idea`...) and virtualenvs (a `pyvenv.cfg` inside) are
/// skipped too; `build/` and `dist/` only when an ignore file says so.
const SKIPPED_DIRS: &[&str] =
    &["site-packages", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"];

/// Walk `opts.root`. Errors only when the root itself cannot be walked or a glob is invalid.
pub fn discover(opts: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    let root = if opts.root.as_os_str().is_empty() { Path::new(".") } else { opts.root.as_path() };
    let root_error = |source| DiscoverError::Root { path: root.to_path_buf(), source };
    std::fs::read_dir(root).map_err(root_error)?;
    let canonical_root = std::fs::canonicalize(root).map_err(root_error)?;
    let rules =
        Arc::new(Rules { root: root.to_path_buf(), canonical_root, excludes: build_excludes(root, &opts.excludes)? });

    let (sender, receiver) = mpsc::channel::<Found>();
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(true)
        .hidden(false)
        // Only ignore files inside the root count, as the result must not depend on where the
        // project sits (a `.gitignore` of `*` in a home folder kept under git is common).
        .parents(false)
        .git_global(false)
        .require_git(false)
        .follow_links(true);
    {
        let rules = Arc::clone(&rules);
        let sender = sender.clone();
        builder.filter_entry(move |entry| {
            let (keep, diagnostic) = rules.filter(entry);
            if let Some(diagnostic) = diagnostic {
                let _ = sender.send(Found::Diagnostic(diagnostic));
            }
            keep
        });
    }
    builder.build_parallel().run(|| {
        let rules = Arc::clone(&rules);
        let sender = sender.clone();
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    if let Some(rel) = rules.file_rel(&entry) {
                        let _ = sender.send(Found::File(rel, entry.into_path()));
                    }
                }
                Err(err) => {
                    let mut diagnostics = Vec::new();
                    rules.walk_error(err, None, None, &mut diagnostics);
                    for diagnostic in diagnostics {
                        let _ = sender.send(Found::Diagnostic(diagnostic));
                    }
                }
            }
            WalkState::Continue
        })
    });
    drop(builder);
    drop(sender);

    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    for item in receiver {
        match item {
            Found::File(rel, path) => found.push((rel, path)),
            Found::Diagnostic(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    // `src/` is a source root of its own unless it is a package itself.
    let src_layout = !root.join("src").join("__init__.py").is_file();
    let mut files: Vec<SourceFile> = found.into_iter().map(|(rel, path)| source_file(rel, path, src_layout)).collect();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Discovery { files, diagnostics })
}

/// What a walker thread reports.
enum Found {
    File(String, PathBuf),
    Diagnostic(Diagnostic),
}

fn source_file(rel: String, path: PathBuf, src_layout: bool) -> SourceFile {
    let is_python = rel.ends_with(".py");
    let (module, is_package) = if is_python { module_name(&rel, src_layout) } else { (None, false) };
    SourceFile { kind: if is_python { FileKind::Python } else { FileKind::Other }, rel, path, module, is_package }
}

fn build_excludes(root: &Path, globs: &[String]) -> Result<Gitignore, DiscoverError> {
    let mut builder = GitignoreBuilder::new(root);
    // Git reads an unclosed `[` literally; on the command line it is more likely a typo.
    builder.allow_unclosed_class(false);
    for glob in globs {
        builder
            .add_line(None, glob)
            .map_err(|err| DiscoverError::Glob { glob: glob.clone(), message: glob_error_message(&err) })?;
    }
    builder.build().map_err(|err| DiscoverError::Glob { glob: globs.join(" "), message: glob_error_message(&err) })
}

fn glob_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// The walk's settings, shared by the filter and the walker threads.
struct Rules {
    /// The root as given: walked paths start with it.
    root: PathBuf,
    /// Symbolic links are followed only when their target is inside this folder.
    canonical_root: PathBuf,
    excludes: Gitignore,
}

impl Rules {
    /// Root-relative `/`-separated path.
    fn rel(&self, path: &Path) -> String {
        let inner = path.strip_prefix(&self.root).unwrap_or(path);
        let parts: Vec<_> = inner.iter().map(OsStr::to_string_lossy).collect();
        parts.join("/")
    }

    /// Whether a path is out of the walk by its name, its folder kind or `--exclude`, before
    /// looking at where a link points.
    fn is_skipped(&self, path: &Path, is_dir: bool) -> bool {
        let Some(name) = path.file_name().and_then(OsStr::to_str) else {
            return false;
        };
        if name == ".git" {
            return true;
        }
        if is_dir && (name.starts_with('.') || SKIPPED_DIRS.contains(&name) || path.join("pyvenv.cfg").is_file()) {
            return true;
        }
        self.excludes.matched(self.rel(path), is_dir).is_ignore()
    }

    /// Keep or drop an entry (the ignore files have already been applied), with a diagnostic for
    /// a symbolic link that leads out of the root.
    fn filter(&self, entry: &DirEntry) -> (bool, Option<Diagnostic>) {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if self.is_skipped(entry.path(), is_dir) {
            return (false, None);
        }
        if !entry.path_is_symlink() {
            return (true, None);
        }
        let rel = self.rel(entry.path());
        match std::fs::canonicalize(entry.path()) {
            Ok(target) if target.starts_with(&self.canonical_root) => (true, None),
            Ok(_) => {
                let message =
                    format!("symbolic link points outside the root ({}); not followed", link_text(entry.path()));
                (false, Some(Diagnostic::new(Code::SymlinkSkipped, rel, 0, message)))
            }
            Err(err) => {
                let message = format!("symbolic link cannot be resolved: {err}");
                (false, Some(Diagnostic::new(Code::SymlinkSkipped, rel, 0, message)))
            }
        }
    }

    /// Root-relative path of a walked regular file (or link to one); None for folders, the root
    /// and special files.
    fn file_rel(&self, entry: &DirEntry) -> Option<String> {
        if entry.depth() == 0 || !entry.file_type()?.is_file() {
            return None;
        }
        Some(self.rel(entry.path()))
    }

    /// Turn a walk error into diagnostics; the walk goes on.
    fn walk_error(&self, err: ignore::Error, path: Option<&Path>, line: Option<u64>, out: &mut Vec<Diagnostic>) {
        let line_no = line.map_or(0, |l| u32::try_from(l).unwrap_or(u32::MAX));
        match err {
            ignore::Error::Partial(errs) => {
                for err in errs {
                    self.walk_error(err, path, line, out);
                }
            }
            ignore::Error::WithLineNumber { line, err } => self.walk_error(*err, path, Some(line), out),
            ignore::Error::WithPath { path, err } => self.walk_error(*err, Some(&path), line, out),
            ignore::Error::WithDepth { err, .. } => self.walk_error(*err, path, line, out),
            ignore::Error::Loop { ancestor, child } => {
                if self.is_skipped(&child, true) {
                    return;
                }
                let ancestor = match self.rel(&ancestor) {
                    rel if rel.is_empty() => "the root".to_string(),
                    rel => format!("its ancestor {rel}"),
                };
                let message = format!(
                    "symbolic link forms a loop ({} leads back to {ancestor}); not followed",
                    link_text(&child)
                );
                out.push(Diagnostic::new(Code::SymlinkSkipped, self.rel(&child), 0, message));
            }
            ignore::Error::Io(io) => {
                let Some(path) = path else {
                    out.push(Diagnostic::new(Code::UnreadableFile, "", line_no, io.to_string()));
                    return;
                };
                let is_link = path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
                if is_link && io.kind() == std::io::ErrorKind::NotFound {
                    if !self.is_skipped(path, false) {
                        let message = format!("symbolic link points to nothing ({}); not followed", link_text(path));
                        out.push(Diagnostic::new(Code::SymlinkSkipped, self.rel(path), 0, message));
                    }
                    return;
                }
                let message = format!("cannot read: {io}");
                out.push(Diagnostic::new(Code::UnreadableFile, self.rel(path), line_no, message));
            }
            other => {
                let rel = path.map(|p| self.rel(p)).unwrap_or_default();
                out.push(Diagnostic::new(Code::UnreadableFile, rel, line_no, other.to_string()));
            }
        }
    }
}

/// A link's target as written in the link (stable across machines, unlike its canonical path).
fn link_text(path: &Path) -> String {
    std::fs::read_link(path).map_or_else(|_| "?".to_string(), |t| t.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A temporary project: `files` are created with empty contents, folders as needed.
    fn project(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, b"").unwrap();
        }
        dir
    }

    fn walk(dir: &Path, excludes: &[&str]) -> Discovery {
        let opts =
            DiscoverOptions { root: dir.to_path_buf(), excludes: excludes.iter().map(|s| s.to_string()).collect() };
        discover(&opts).unwrap()
    }

    fn rels(discovery: &Discovery) -> Vec<&str> {
        discovery.files.iter().map(|f| f.rel.as_str()).collect()
    }

    fn file<'a>(discovery: &'a Discovery, rel: &str) -> &'a SourceFile {
        discovery.files.iter().find(|f| f.rel == rel).unwrap_or_else(|| panic!("{rel} not found"))
    }

    #[test]
    fn lists_what_the_later_stages_read() {
        // (name, files on disk, --exclude globs, files listed)
        type Case = (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);
        let cases: &[Case] = &[
            (
                "gitignore honoured, build and dist kept unless ignored",
                &[".gitignore", "app.py", "secret.py", "logs/x.log", "build/lib.py", "dist/a.py"],
                &[],
                &[".gitignore", "app.py", "build/lib.py", "dist/a.py", "logs/x.log"],
            ),
            (
                "virtualenv skipped by its pyvenv.cfg",
                &["app.py", "env/pyvenv.cfg", "env/lib/python3.12/site-packages/flask/app.py"],
                &[],
                &["app.py"],
            ),
            (
                "hidden folders and caches skipped, hidden files kept",
                &[
                    ".flaskenv",
                    ".env",
                    ".venv/lib/x.py",
                    ".idea/workspace.xml",
                    ".git/config",
                    "pkg/__pycache__/x.cpython-312.pyc",
                    "node_modules/a/index.js",
                    "lib/site-packages/y.py",
                    ".tox/py312/z.py",
                    "pkg/__init__.py",
                ],
                &[],
                &[".env", ".flaskenv", "pkg/__init__.py"],
            ),
            (
                "exclude globs",
                &["app.py", "tests/test_app.py", "migrations/env.py", "pkg/gen_pb2.py", "pkg/a.py"],
                &["tests/", "/migrations", "*_pb2.py"],
                &["app.py", "pkg/a.py"],
            ),
            (
                "exclude negation",
                &["scripts/a.py", "scripts/keep.py"],
                &["scripts/*", "!scripts/keep.py"],
                &["scripts/keep.py"],
            ),
        ];
        for (name, files, excludes, expected) in cases {
            let dir = project(files);
            if files.contains(&".gitignore") {
                fs::write(dir.path().join(".gitignore"), "secret.py\n*.log\n!logs/x.log\n").unwrap();
            }
            let found = walk(dir.path(), excludes);
            assert_eq!(rels(&found), *expected, "{name}");
            assert!(found.diagnostics.is_empty(), "{name}: {:?}", found.diagnostics);
        }
    }

    #[test]
    fn ignore_files_skip_build_and_dist() {
        let dir = project(&["app.py", "build/lib/app.py", "dist/x.py", "sub/tmp.py"]);
        fs::write(dir.path().join(".gitignore"), "/build/\ndist\n").unwrap();
        fs::write(dir.path().join("sub/.ignore"), "tmp.py\n").unwrap();
        let found = walk(dir.path(), &[]);
        assert_eq!(rels(&found), [".gitignore", "app.py", "sub/.ignore"]);
    }

    #[test]
    fn kinds_and_module_names() {
        let dir = project(&[
            "setup.py",
            "src/pkg/__init__.py",
            "src/pkg/views.py",
            "src/nspkg/mod.py",
            "src/pkg/templates/index.html",
            "src/pkg/stubs.pyi",
            "my-scripts/x.py",
            "2fa.py",
            "requirements.txt",
        ]);
        let found = walk(dir.path(), &[]);
        let cases: &[(&str, FileKind, Option<&str>, bool)] = &[
            ("2fa.py", FileKind::Python, None, false),
            ("my-scripts/x.py", FileKind::Python, None, false),
            ("requirements.txt", FileKind::Other, None, false),
            ("setup.py", FileKind::Python, Some("setup"), false),
            ("src/nspkg/mod.py", FileKind::Python, Some("nspkg.mod"), false),
            ("src/pkg/__init__.py", FileKind::Python, Some("pkg"), true),
            ("src/pkg/stubs.pyi", FileKind::Other, None, false),
            ("src/pkg/templates/index.html", FileKind::Other, None, false),
            ("src/pkg/views.py", FileKind::Python, Some("pkg.views"), false),
        ];
        assert_eq!(found.files.len(), cases.len());
        for (rel, kind, module, is_package) in cases {
            let f = file(&found, rel);
            assert_eq!((f.kind, f.module.as_deref(), f.is_package), (*kind, *module, *is_package), "{rel}");
            assert_eq!(f.path, dir.path().join(rel));
        }
    }

    #[test]
    fn src_package_is_not_a_source_root() {
        let dir = project(&["src/__init__.py", "src/app.py"]);
        let found = walk(dir.path(), &[]);
        assert_eq!(file(&found, "src/app.py").module.as_deref(), Some("src.app"));
        assert_eq!(file(&found, "src/__init__.py").module.as_deref(), Some("src"));
    }

    #[test]
    fn invalid_exclude_glob_is_an_error() {
        let dir = project(&["app.py"]);
        for bad in ["a[", "[z-a].py"] {
            let excludes = vec!["ok/".to_string(), bad.to_string()];
            let opts = DiscoverOptions { root: dir.path().to_path_buf(), excludes };
            match discover(&opts) {
                Err(DiscoverError::Glob { glob, .. }) => assert_eq!(glob, bad),
                other => panic!("{bad}: expected a glob error, got {other:?}"),
            }
        }
    }

    #[test]
    fn missing_root_is_an_error() {
        let dir = project(&[]);
        let opts = DiscoverOptions { root: dir.path().join("nope"), excludes: vec![] };
        assert!(matches!(discover(&opts), Err(DiscoverError::Root { .. })));
    }

    #[cfg(unix)]
    mod symlinks {
        use super::*;
        use std::os::unix::fs::symlink;

        fn codes(found: &Discovery) -> Vec<(&str, &str, &str)> {
            found.diagnostics.iter().map(|d| (d.file.as_str(), d.code, d.message.as_str())).collect()
        }

        #[test]
        fn loops_end_and_are_reported() {
            let dir = project(&["app/views.py", "a/x.py", "b/y.py"]);
            symlink("..", dir.path().join("app/loop")).unwrap();
            symlink(dir.path(), dir.path().join("app/root")).unwrap();
            // Two links that lead into each other.
            symlink("../b", dir.path().join("a/to_b")).unwrap();
            symlink("../a", dir.path().join("b/to_a")).unwrap();
            let found = walk(dir.path(), &[]);
            for rel in ["app/loop", "app/root", "a/to_b/to_a", "b/to_a/to_b"] {
                let d = found.diagnostics.iter().find(|d| d.file == rel);
                let d = d.unwrap_or_else(|| panic!("{rel} not reported: {:?}", codes(&found)));
                assert_eq!(d.code, "FD004");
                assert!(d.message.contains("forms a loop"), "{}", d.message);
            }
            assert_eq!(found.diagnostics.len(), 4, "{:?}", codes(&found));
            assert_eq!(rels(&found), ["a/to_b/y.py", "a/x.py", "app/views.py", "b/to_a/x.py", "b/y.py"]);
        }

        #[test]
        fn links_inside_the_root_are_followed() {
            let dir = project(&["shared/util.py", "real.py"]);
            symlink("shared", dir.path().join("pkg")).unwrap();
            symlink("real.py", dir.path().join("alias.py")).unwrap();
            symlink(dir.path().join("shared/util.py"), dir.path().join("util.py")).unwrap();
            let found = walk(dir.path(), &[]);
            assert_eq!(rels(&found), ["alias.py", "pkg/util.py", "real.py", "shared/util.py", "util.py"]);
            assert!(found.diagnostics.is_empty(), "{:?}", codes(&found));
            assert_eq!(file(&found, "pkg/util.py").module.as_deref(), Some("pkg.util"));
        }

        #[test]
        fn links_out_of_the_root_are_reported() {
            let outside = project(&["lib/secret.py", "other.py"]);
            let dir = project(&["app.py", "ignored/x.py"]);
            symlink(outside.path().join("lib"), dir.path().join("vendor")).unwrap();
            symlink(outside.path().join("other.py"), dir.path().join("other.py")).unwrap();
            symlink("missing.py", dir.path().join("dangling.py")).unwrap();
            symlink(outside.path(), dir.path().join("ignored/out")).unwrap();
            symlink(outside.path(), dir.path().join(".hidden")).unwrap();
            let found = walk(dir.path(), &["ignored/"]);
            assert_eq!(rels(&found), ["app.py"]);
            let got = codes(&found);
            assert_eq!(got.len(), 3, "{got:?}");
            assert_eq!((got[0].0, got[0].1), ("dangling.py", "FD004"));
            assert!(got[0].2.contains("points to nothing"), "{got:?}");
            for (i, rel) in [(1, "other.py"), (2, "vendor")] {
                assert_eq!((got[i].0, got[i].1), (rel, "FD004"));
                assert!(got[i].2.contains("points outside the root"), "{got:?}");
            }
        }

        #[test]
        fn root_given_as_a_link() {
            let dir = project(&["real/app.py"]);
            symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
            let found = walk(&dir.path().join("link"), &[]);
            assert_eq!(rels(&found), ["app.py"]);
            assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
        }
    }

    #[test]
    fn ignore_files_above_the_root_do_not_count() {
        let outer = project(&["proj/app.py"]);
        fs::write(outer.path().join(".gitignore"), "*\n").unwrap();
        let found = walk(&outer.path().join("proj"), &[]);
        assert_eq!(rels(&found), ["app.py"]);
    }

    #[test]
    fn walk_errors_become_diagnostics() {
        let dir = project(&["app.py"]);
        let rules = Rules {
            root: dir.path().to_path_buf(),
            canonical_root: fs::canonicalize(dir.path()).unwrap(),
            excludes: Gitignore::empty(),
        };
        let denied = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let at = |rel: &str, err| ignore::Error::WithPath { path: dir.path().join(rel), err: Box::new(err) };
        // (error, expected (file, line, code))
        type Expected = Vec<(&'static str, u32, &'static str)>;
        let cases: Vec<(ignore::Error, Expected)> = vec![
            (at("private", ignore::Error::Io(denied())), vec![("private", 0, "FD003")]),
            (
                ignore::Error::WithDepth { depth: 2, err: Box::new(at("a/b", ignore::Error::Io(denied()))) },
                vec![("a/b", 0, "FD003")],
            ),
            (
                ignore::Error::Partial(vec![at(
                    ".gitignore",
                    ignore::Error::WithLineNumber {
                        line: 3,
                        err: Box::new(ignore::Error::Glob { glob: Some("**a".into()), err: "bad".into() }),
                    },
                )]),
                vec![(".gitignore", 3, "FD003")],
            ),
            (
                ignore::Error::Loop { ancestor: dir.path().join("a"), child: dir.path().join("a/b/up") },
                vec![("a/b/up", 0, "FD004")],
            ),
            (ignore::Error::Loop { ancestor: dir.path().to_path_buf(), child: dir.path().join("a/.cache") }, vec![]),
        ];
        for (err, expected) in cases {
            let shown = err.to_string();
            let mut out = Vec::new();
            rules.walk_error(err, None, None, &mut out);
            let got: Vec<_> = out.iter().map(|d| (d.file.as_str(), d.line, d.code)).collect();
            assert_eq!(got, expected, "{shown}");
        }
    }

    #[test]
    fn many_files_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        for d in 0..20 {
            let sub = dir.path().join(format!("pkg{d}"));
            fs::create_dir(&sub).unwrap();
            for f in 0..50 {
                fs::write(sub.join(format!("m{f}.py")), b"").unwrap();
                expected.push(format!("pkg{d}/m{f}.py"));
            }
        }
        expected.sort();
        let found = walk(dir.path(), &[]);
        assert_eq!(rels(&found), expected);
    }
}
