//! The inventory of a project made of one Python file held in memory.
//!
//! Consumes a file name and its bytes; produces the [`Inventory`] that [`super::build`] would
//! produce for a folder holding only that file, through the same stages (decoding, parsing on a
//! large-stack worker, the interpreter on a large-stack thread, models and templates). Reads and
//! writes nothing on disk. Used by the fuzz targets and by tests that want one file without a
//! temporary folder.
//!
//! Unlike `build`, a panic in the parse stage is not turned into an internal-error diagnostic:
//! it propagates, so that a fuzzer sees it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::mapping::tables::ExtensionTable;

use super::interp::{Interp, ModuleSrc};
use super::model::Inventory;
use super::sources::SourceCell;
use super::{finalize, locate_apps, models, parse_bytes, templates, InventoryOptions, STACK_SIZE};

/// One worker with the stack `build` gives its workers, kept for the life of the process.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .stack_size(STACK_SIZE)
            .build()
            .expect("cannot start the worker thread")
    })
}

fn builtin_tables() -> &'static ExtensionTable {
    static TABLES: OnceLock<ExtensionTable> = OnceLock::new();
    TABLES.get_or_init(|| ExtensionTable::builtin().expect("the built-in mapping tables load"))
}

/// The module name `discover` gives a root-relative `.py` path, and whether it is a package.
/// None when a component is not an identifier (the file is then parsed but not importable).
fn module_for(rel: &str) -> (Option<String>, bool) {
    let Some(stem) = rel.strip_suffix(".py") else {
        return (None, false);
    };
    let mut parts: Vec<&str> = stem.split('/').collect();
    let is_package = parts.last() == Some(&"__init__");
    if is_package {
        parts.pop();
    }
    let ident = |p: &&str| {
        let mut chars = p.chars();
        chars.next().is_some_and(|c| c == '_' || c.is_alphabetic()) && chars.all(|c| c == '_' || c.is_alphanumeric())
    };
    if parts.is_empty() || !parts.iter().all(ident) {
        return (None, is_package);
    }
    (Some(parts.join(".")), is_package)
}

/// The inventory of a project whose only file is `name` (a root-relative `/` path such as
/// `app.py`) with contents `bytes`.
pub fn from_single_source(name: &str, bytes: &[u8]) -> Inventory {
    super::on_large_stack(|| inventory_here(name, bytes)).expect("cannot start a thread")
}

fn inventory_here(name: &str, bytes: &[u8]) -> Inventory {
    let tables = builtin_tables();
    let (tree, lines, mut diagnostics, _) = pool().install(|| parse_bytes(name, bytes, None));
    let (module, is_package) = module_for(name);

    let mut modules: HashMap<String, ModuleSrc> = HashMap::new();
    let mut modules_by_rel: BTreeMap<String, String> = BTreeMap::new();
    if let (Some(m), Some(tree)) = (module, tree) {
        modules_by_rel.insert(name.to_string(), m.clone());
        modules.insert(
            m.clone(),
            ModuleSrc::new(m, name.to_string(), is_package, Arc::new(SourceCell::with_tree(name, tree))),
        );
    }

    let opts = InventoryOptions::default();
    let mut interp = Interp::new(&modules, tables);
    interp.track_scopes = true;
    let located = locate_apps(&mut interp, &opts, &[], &modules_by_rel, &mut diagnostics);
    let mut inv = finalize::finalize(&mut interp, &located);
    let refs = templates::render_refs(&mut interp, &modules);
    // A root under which no file can exist (`std::fs` refuses paths with NUL before any system
    // call), so no requirement file is read: the project has none.
    let scan = models::collect(&mut interp, Path::new("\0"), &mut diagnostics);
    inv.models = scan.models;
    inv.tables = scan.tables;
    inv.orm = scan.orm;
    diagnostics.extend(interp.diags.take());

    templates::collect(&mut inv, &mut interp, &[], pool(), None, refs, &mut diagnostics);

    interp.break_cycles();
    inv.stats.python_files = 1;
    inv.stats.lines = lines;
    diagnostics.extend(std::mem::take(&mut inv.diagnostics));
    diagnostics.sort();
    diagnostics.dedup();
    inv.diagnostics = diagnostics;
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        let cases = [
            ("app.py", (Some("app"), false)),
            ("pkg/__init__.py", (Some("pkg"), true)),
            ("pkg/views.py", (Some("pkg.views"), false)),
            ("my-app.py", (None, false)),
            ("__init__.py", (None, true)),
            ("notes.txt", (None, false)),
        ];
        for (rel, (module, package)) in cases {
            assert_eq!(module_for(rel), (module.map(str::to_string), package), "{rel}");
        }
    }

    /// The same JSON as `build` on a folder holding only that file, for every single-file fixture.
    #[test]
    fn same_as_build_on_a_folder() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let cases = ["single_file/app.py", "converters/app.py", "bad/syntax_error/app.py", "bad/nul_bytes/app.py"];
        for case in cases {
            let bytes = std::fs::read(fixtures.join(case)).unwrap();
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("app.py"), &bytes).unwrap();
            let opts = InventoryOptions { root: dir.path().to_path_buf(), threads: 1, ..Default::default() };
            let on_disk = crate::report::inventory_json(&super::super::build(&opts).unwrap());
            let in_memory = crate::report::inventory_json(&from_single_source("app.py", &bytes));
            assert_eq!(in_memory, on_disk, "{case}");
        }
    }
}
