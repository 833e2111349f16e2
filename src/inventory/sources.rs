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
        SourceCell { file: Some(file), state: Mutex::new(State::Waiting), parsed: Condvar::new(), names: OnceLock::new() }
    }

    /// A cell for a tree parsed already.
    pub(crate) fn with_tree(rel: &str, mut tree: Arc<Module>) -> Self {
        let names = Arc::get_mut(&mut tree).map(|t| std::mem::take(&mut t.names)).unwrap_or_else(|| tree.names.clone());
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
            let parsed = self.parse_now();
            *self.lock() = State::Parsed(parsed);
            self.parsed.notify_all();
        }
    }

    fn parse_now(&self) -> ParsedFile {
        let Some(file) = &self.file else { return ParsedFile::default() };
        let mut parsed = super::parse_file(file);
        let names = match parsed.tree.as_mut().map(|t| (Arc::get_mut(t).map(|t| std::mem::take(&mut t.names)), t)) {
            Some((Some(names), _)) => names,
            Some((None, t)) => t.names.clone(),
            None => NameCounts::default(),
        };
        let _ = self.names.set(names);
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

impl std::fmt::Debug for SourceCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceCell").field("file", &self.file.as_ref().map(|f| &f.rel)).finish_non_exhaustive()
    }
}
