//! The project's Python files while the inventory runs: the workers parse them in file order
//! while the interpreter already runs on its own thread, and a module the interpreter needs
//! before a worker has reached it is parsed right there, on the interpreter's thread. Either way
//! a file is parsed once, with the same result.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};

use crate::discover::SourceFile;
use crate::parse::ast::{Module, NameCounts};

use super::ParsedFile;

/// One Python file: waiting to be parsed, being parsed, or parsed.
pub struct SourceCell {
    file: Option<SourceFile>,
    state: Mutex<State>,
    parsed: Condvar,
    /// The names the module's code mentions, for model usage, moved out of its tree when it is
    /// parsed ([`Module::names`]).
    names: OnceLock<NameCounts>,
}

enum State {
    Waiting,
    Parsing,
    /// Parsed; the tree is taken (once) by the interpreter.
    Parsed(ParsedFile),
}

impl SourceCell {
    pub(crate) fn new(file: SourceFile) -> Self {
        SourceCell {
            file: Some(file),
            state: Mutex::new(State::Waiting),
            parsed: Condvar::new(),
            names: OnceLock::new(),
        }
    }

    /// A cell for a tree parsed already.
    pub(crate) fn with_tree(rel: &str, mut tree: Arc<Module>) -> Self {
        let names = take_names(&mut tree);
        let parsed = ParsedFile { rel: rel.to_string(), tree: Some(tree), ..ParsedFile::default() };
        SourceCell { file: None, state: Mutex::new(State::Parsed(parsed)), parsed: Condvar::new(), names: names.into() }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Parses the file unless it is parsed or being parsed (what a worker does with each file).
    pub(crate) fn parse(&self) {
        let mut state = self.lock();
        if matches!(*state, State::Waiting) {
            *state = State::Parsing;
            drop(state);
            // Whatever happens, the cell ends parsed: a thread waiting for it is never left waiting
            // (parsing catches its own panics; this covers the rest).
            let mut done = Done { cell: self, parsed: None };
            done.parsed = Some(self.parse_now());
        }
    }

    fn parse_now(&self) -> ParsedFile {
        let Some(file) = &self.file else { return ParsedFile::default() };
        let mut parsed = super::parse_file(file);
        let _ = self.names.set(parsed.tree.as_mut().map(take_names).unwrap_or_default());
        parsed
    }

    /// The tree, taken to be run (once): parsed here if no worker has started on it, waited for
    /// if one has.
    pub(crate) fn take_tree(&self) -> Option<Arc<Module>> {
        let mut state = self.lock();
        loop {
            match &mut *state {
                State::Parsed(p) => return p.tree.take(),
                State::Parsing => state = self.parsed.wait(state).unwrap_or_else(|e| e.into_inner()),
                State::Waiting => {
                    drop(state);
                    self.parse();
                    state = self.lock();
                }
            }
        }
    }

    /// The names the module's code mentions (none before it is parsed).
    pub(crate) fn names(&self) -> &NameCounts {
        static NONE: OnceLock<NameCounts> = OnceLock::new();
        self.names.get().unwrap_or_else(|| NONE.get_or_init(NameCounts::default))
    }

    /// What parsing gave, once every worker is done (parsed here if none was).
    pub(crate) fn finish(&self) -> ParsedFile {
        self.parse();
        match std::mem::replace(&mut *self.lock(), State::Parsed(ParsedFile::default())) {
            State::Parsed(p) => p,
            State::Waiting | State::Parsing => ParsedFile::default(),
        }
    }
}

/// A tree's name counts, moved out of it (copied if the tree is shared).
fn take_names(tree: &mut Arc<Module>) -> NameCounts {
    match Arc::get_mut(tree) {
        Some(t) => std::mem::take(&mut t.names),
        None => tree.names.clone(),
    }
}

/// Marks its cell parsed when dropped, with what parsing gave (nothing if it did not end).
struct Done<'c> {
    cell: &'c SourceCell,
    parsed: Option<ParsedFile>,
}

impl Drop for Done<'_> {
    fn drop(&mut self) {
        *self.cell.lock() = State::Parsed(self.parsed.take().unwrap_or_default());
        self.cell.parsed.notify_all();
    }
}

impl std::fmt::Debug for SourceCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceCell").field("file", &self.file.as_ref().map(|f| &f.rel)).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::SourceCell;
    use crate::discover::{FileKind, SourceFile};

    fn cell(dir: &tempfile::TempDir, text: &str) -> SourceCell {
        let path = dir.path().join("views.py");
        std::fs::write(&path, text).unwrap();
        SourceCell::new(SourceFile {
            rel: "views.py".into(),
            path,
            kind: FileKind::Python,
            module: Some("views".into()),
            is_package: false,
        })
    }

    #[test]
    fn a_module_needed_first_is_parsed_where_it_is_needed_and_its_tree_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        let c = cell(&dir, "import flask\n\nx = flask.Flask(__name__)\nx\n");
        assert!(c.names().iter().next().is_none(), "no names before parsing");
        let tree = c.take_tree().expect("parsed on the taking thread");
        assert_eq!(tree.body.len(), 3);
        assert!(c.take_tree().is_none(), "taken once");
        c.parse(); // a worker reaching it afterwards does nothing
        assert_eq!(c.names().iter().find(|(n, _)| *n == "x").map(|(_, k)| k), Some(2));
        let parsed = c.finish();
        assert_eq!((parsed.rel.as_str(), parsed.lines, parsed.tree.is_none()), ("views.py", 5, true));
    }

    #[test]
    fn workers_and_the_interpreter_racing_parse_a_file_once_and_give_its_tree_to_one_taker() {
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..50 {
            let c = Arc::new(cell(&dir, "def f():\n    return 1\n"));
            let takers: Vec<_> = (0..4)
                .map(|i| {
                    let c = c.clone();
                    std::thread::spawn(move || {
                        if i % 2 == 0 {
                            c.parse();
                            false
                        } else {
                            c.take_tree().is_some()
                        }
                    })
                })
                .collect();
            let taken = takers.into_iter().map(|t| t.join().unwrap()).filter(|t| *t).count();
            assert_eq!(taken, 1);
            assert_eq!(c.finish().lines, 3);
        }
    }

    #[test]
    fn an_unreadable_file_ends_parsed_with_its_diagnostic_and_no_tree() {
        let dir = tempfile::tempdir().unwrap();
        let c = cell(&dir, "");
        std::fs::remove_file(dir.path().join("views.py")).unwrap();
        assert!(c.take_tree().is_none());
        let parsed = c.finish();
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].code, crate::diagnostics::Code::UnreadableFile.info().code);
    }
}
