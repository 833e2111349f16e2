//! File-tree helpers of the tests.

use std::fs;
use std::path::Path;

/// Copies the folder `from` into `to` (created), files and subfolders.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A Flask project of one `app.py` in `work/flask_app`; returns its folder.
pub fn flask_app(work: &Path, app_py: &str) -> std::path::PathBuf {
    let src = work.join("flask_app");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("app.py"), app_py).unwrap();
    src
}
