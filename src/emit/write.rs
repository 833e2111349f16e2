//! Putting generated files under the output folder: never outside it, never over a file we did
//! not generate (unless forced), atomically, and only when the content changed.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use super::{OutFile, GENERATED_MARKER};

/// What happened to each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
}

#[derive(Debug, Clone)]
pub struct Planned {
    pub path: String,
    pub action: Action,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write `{0}`: the path leaves the output folder")]
    Escapes(String),
    #[error("refusing to overwrite {} file(s) that flask2django did not generate (use --force): {}", .0.len(), .0.join(", "))]
    NotOurs(Vec<String>),
    #[error("cannot write {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// A relative path that stays inside the output folder, or an error.
pub fn safe_relative(rel: &str) -> Result<PathBuf, WriteError> {
    let p = Path::new(rel);
    if rel.is_empty() || p.is_absolute() || rel.contains('\\') || rel.contains('\0') {
        return Err(WriteError::Escapes(rel.to_string()));
    }
    for c in p.components() {
        match c {
            Component::Normal(_) => {}
            _ => return Err(WriteError::Escapes(rel.to_string())),
        }
    }
    Ok(p.to_path_buf())
}

/// Decides, for every file, whether it would be created, updated or left alone; refuses paths
/// outside `out`, symlinked folders leading out of it, and files we did not generate.
pub fn plan(out: &Path, files: &[OutFile], force: bool) -> Result<Vec<Planned>, WriteError> {
    let mut planned = Vec::new();
    let mut not_ours = Vec::new();
    let out_real = fs::canonicalize(out).ok();
    for f in files {
        let rel = safe_relative(&f.path)?;
        let target = out.join(&rel);
        // Every existing ancestor must resolve inside the output folder.
        if let Some(out_real) = &out_real {
            let mut dir = target.parent().map(Path::to_path_buf);
            while let Some(d) = dir {
                if d.exists() {
                    let real = fs::canonicalize(&d)
                        .map_err(|e| WriteError::Io { path: d.display().to_string(), source: e })?;
                    if !real.starts_with(out_real) {
                        return Err(WriteError::Escapes(f.path.clone()));
                    }
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
            }
        }
        let meta = fs::symlink_metadata(&target);
        let action = match meta {
            Ok(m) if m.file_type().is_symlink() || !m.is_file() => {
                return Err(WriteError::Escapes(f.path.clone()));
            }
            Ok(_) => {
                let current = fs::read(&target).map_err(|e| WriteError::Io { path: f.path.clone(), source: e })?;
                if current == f.contents.as_bytes() {
                    Action::Unchanged
                } else {
                    if !is_generated(&current) && !force {
                        not_ours.push(f.path.clone());
                    }
                    Action::Update
                }
            }
            Err(_) => Action::Create,
        };
        planned.push(Planned { path: f.path.clone(), action });
    }
    if !not_ours.is_empty() {
        return Err(WriteError::NotOurs(not_ours));
    }
    Ok(planned)
}

/// Whether a file's first bytes carry the header of a file flask2django generated (in any of
/// the comment forms of [`GENERATED_MARKER`]).
fn is_generated(head: &[u8]) -> bool {
    let marker = GENERATED_MARKER.trim_start_matches("# ").trim_end_matches('.');
    String::from_utf8_lossy(&head[..head.len().min(400)]).contains(marker)
}

/// Files under `out` that flask2django generated (their header says so) and would not write
/// now: the Django side of a blueprint or a project package that is gone. Sorted, `/`-separated,
/// relative to `out`. Hidden folders and files, `__pycache__` and virtual environments are not
/// looked into, and links are not followed.
pub fn stale(out: &Path, files: &[OutFile]) -> Vec<String> {
    use std::io::Read as _;
    let current: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let walk = ignore::WalkBuilder::new(out)
        .standard_filters(false)
        .hidden(true)
        .follow_links(false)
        .filter_entry(|e| {
            let dir = e.file_type().is_some_and(|t| t.is_dir());
            !(dir && (e.file_name() == "__pycache__" || e.path().join("pyvenv.cfg").exists()))
        })
        .build();
    let mut found = Vec::new();
    for entry in walk.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(out) else { continue };
        let Some(rel) = rel.to_str().map(|r| r.replace(std::path::MAIN_SEPARATOR, "/")) else { continue };
        if current.contains(rel.as_str()) {
            continue;
        }
        let mut head = Vec::with_capacity(400);
        let read = fs::File::open(entry.path()).and_then(|f| f.take(400).read_to_end(&mut head));
        if read.is_ok() && is_generated(&head) {
            found.push(rel);
        }
    }
    found.sort();
    found
}

/// Deletes the [`stale`] files `rel` under `out`, then each folder they leave empty (up to
/// `out`, which is kept).
pub fn remove_stale(out: &Path, rel: &[String]) -> Result<(), WriteError> {
    for r in rel {
        let target = out.join(safe_relative(r)?);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(WriteError::Io { path: r.clone(), source: e }),
        }
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
            // Fails, and stops, at a folder that still holds something.
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Writes the files planned as created or updated, each through a temporary file and a rename,
/// on `threads` workers (0: one per core); on failure, the error of the first file in order.
///
/// Files are not synced to disk one by one: the output is regenerated by running again, and a
/// project of a million lines has tens of thousands of files, for which syncing took most of
/// the run. The rename still means a reader sees the old file or the new one, never a part.
pub fn write(out: &Path, files: &[OutFile], planned: &[Planned], threads: usize) -> Result<(), WriteError> {
    use rayon::prelude::*;
    let todo: Vec<&OutFile> =
        files.iter().zip(planned).filter(|(_, p)| p.action != Action::Unchanged).map(|(f, _)| f).collect();
    let write_all = || todo.par_iter().map(|f| write_one(out, f)).collect::<Vec<_>>();
    let results = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(write_all),
        Err(_) => todo.iter().map(|f| write_one(out, f)).collect(),
    };
    results.into_iter().collect()
}

fn write_one(out: &Path, f: &OutFile) -> Result<(), WriteError> {
    let target = out.join(safe_relative(&f.path)?);
    let io = |e: std::io::Error| WriteError::Io { path: f.path.clone(), source: e };
    let dir = target.parent().unwrap_or(out);
    fs::create_dir_all(dir).map_err(io)?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.flask2django.tmp"));
    {
        let mut fh = fs::File::create(&tmp).map_err(io)?;
        fh.write_all(f.contents.as_bytes()).map_err(io)?;
    }
    #[cfg(unix)]
    if f.path.ends_with("manage.py") {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755));
    }
    fs::rename(&tmp, &target).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "./a"] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
        assert!(safe_relative("core/models.py").is_ok());
    }

    #[test]
    fn foreign_files_need_force() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("manage.py"), "print('mine')\n").unwrap();
        let files = vec![OutFile { path: "manage.py".into(), contents: format!("{GENERATED_MARKER}\n") }];
        assert!(matches!(plan(dir.path(), &files, false), Err(WriteError::NotOurs(_))));
        let p = plan(dir.path(), &files, true).unwrap();
        write(dir.path(), &files, &p, 1).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("manage.py")).unwrap(), files[0].contents);
        let again = plan(dir.path(), &files, false).unwrap();
        assert_eq!(again[0].action, Action::Unchanged);
    }

    #[test]
    fn stale_files_are_ours_only_and_leave_no_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let ours = format!("{GENERATED_MARKER} A new run rewrites this file.\n");
        for (path, text) in [
            ("manage.py", ours.as_str()),
            ("gone/urls.py", ours.as_str()),
            ("gone/migrations/__init__.py", ours.as_str()),
            ("gone/notes.txt", "mine\n"),
            ("old/views.py", ours.as_str()),
            ("MIGRATION.md", "<!-- Generated by flask2django. A new run rewrites this file. -->\n"),
            (".hidden/x.py", ours.as_str()),
            ("old/__pycache__/views.py", ours.as_str()),
        ] {
            fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
            fs::write(out.join(path), text).unwrap();
        }
        let files = vec![OutFile { path: "manage.py".into(), contents: ours.clone() }];
        let found = stale(out, &files);
        assert_eq!(found, ["MIGRATION.md", "gone/migrations/__init__.py", "gone/urls.py", "old/views.py"]);
        remove_stale(out, &found).unwrap();
        assert!(out.join("manage.py").exists() && out.join("gone/notes.txt").exists());
        assert!(!out.join("gone/migrations").exists() && !out.join("MIGRATION.md").exists());
        // A folder that still holds something stays.
        assert!(out.join("old/__pycache__/views.py").exists());
        assert!(out.exists() && stale(out, &files).is_empty());
    }
}
