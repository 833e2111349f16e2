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
                    let real = fs::canonicalize(&d).map_err(|e| WriteError::Io { path: d.display().to_string(), source: e })?;
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
                    let ours = String::from_utf8_lossy(&current[..current.len().min(400)]).contains(GENERATED_MARKER.trim_start_matches("# ").trim_end_matches('.'));
                    if !ours && !force {
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

/// Writes the files planned as created or updated, each through a temporary file and a rename.
pub fn write(out: &Path, files: &[OutFile], planned: &[Planned]) -> Result<(), WriteError> {
    for (f, p) in files.iter().zip(planned) {
        if p.action == Action::Unchanged {
            continue;
        }
        let target = out.join(safe_relative(&f.path)?);
        let io = |e: std::io::Error| WriteError::Io { path: f.path.clone(), source: e };
        let dir = target.parent().unwrap_or(out);
        fs::create_dir_all(dir).map_err(io)?;
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let tmp = dir.join(format!(".{name}.flask2django.tmp"));
        {
            let mut fh = fs::File::create(&tmp).map_err(io)?;
            fh.write_all(f.contents.as_bytes()).map_err(io)?;
            fh.sync_all().map_err(io)?;
        }
        #[cfg(unix)]
        if f.path.ends_with("manage.py") {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755));
        }
        fs::rename(&tmp, &target).map_err(io)?;
    }
    Ok(())
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
        write(dir.path(), &files, &p).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("manage.py")).unwrap(), files[0].contents);
        let again = plan(dir.path(), &files, false).unwrap();
        assert_eq!(again[0].action, Action::Unchanged);
    }
}
