//! The JSON inventory, written as `serde_json::to_writer_pretty` writes it (two-space indent),
//! with its long lists (routes, templates, template references, models) rendered in parallel,
//! a window of elements at a time, and written in order: the bytes do not depend on the number
//! of threads.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use crate::inventory::model::Inventory;

/// Elements rendered by one task.
const CHUNK: usize = 64;
/// Chunks rendered before they are written: bounds the memory held by rendered text (a model
/// renders to about 6 KB).
const WINDOW: usize = 32;

/// Writes `inv` as JSON with a trailing newline, rendering on `threads` threads (0: rayon's
/// default).
pub fn write_inventory(inv: &Inventory, out: &mut dyn Write, threads: usize) -> std::io::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(std::io::Error::other)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut first = true;
    let mut key = |w: &mut dyn Write, name: &str| -> std::io::Result<()> {
        w.write_all(if first { b"{\n  \"" } else { b",\n  \"" })?;
        first = false;
        w.write_all(name.as_bytes())?;
        w.write_all(b"\": ")
    };
    // Every field of `Inventory`, in its order, with its serde attributes; a unit test checks
    // the result against serde's own rendering.
    macro_rules! field {
        ($name:ident) => {{
            key(&mut w, stringify!($name))?;
            value(&mut w, &inv.$name)?;
        }};
        ($name:ident, parallel) => {{
            key(&mut w, stringify!($name))?;
            list(&mut w, &inv.$name, &pool)?;
        }};
    }
    field!(schema_version);
    field!(apps);
    field!(blueprints);
    field!(routes, parallel);
    field!(converters);
    field!(hooks);
    field!(error_handlers);
    field!(template_functions);
    field!(cli_commands);
    field!(extensions);
    field!(config);
    field!(templates, parallel);
    field!(template_refs, parallel);
    field!(models, parallel);
    field!(tables);
    if inv.orm.is_some() {
        field!(orm);
    }
    if inv.alembic.is_some() {
        field!(alembic);
    }
    field!(diagnostics);
    if !inv.suppressions.is_empty() {
        field!(suppressions);
    }
    field!(stats);
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// A value at the first level of the top object.
fn value<T: Serialize + ?Sized>(w: &mut dyn Write, v: &T) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Pretty { indent: 1, has_value: false });
    v.serialize(&mut ser).map_err(std::io::Error::other)
}

/// A list at the first level of the top object, its elements rendered in parallel.
fn list<T: Serialize + Sync>(w: &mut dyn Write, items: &[T], pool: &rayon::ThreadPool) -> std::io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for window in items.chunks(CHUNK * WINDOW) {
        let rendered: Vec<std::io::Result<Vec<u8>>> = pool.install(|| {
            window
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut buf = Vec::new();
                    for item in chunk {
                        // Every element but the list's first follows a comma.
                        let first = std::ptr::eq(item, &items[0]);
                        buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        let mut ser =
                            serde_json::Serializer::with_formatter(&mut buf, Pretty { indent: 2, has_value: false });
                        item.serialize(&mut ser).map_err(std::io::Error::other)?;
                    }
                    Ok(buf)
                })
                .collect()
        });
        for buf in rendered {
            w.write_all(&buf?)?;
        }
    }
    w.write_all(b"\n  ]")
}

/// `serde_json`'s `PrettyFormatter` (two spaces) starting at a given depth.
struct Pretty {
    indent: usize,
    has_value: bool,
}

impl Pretty {
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(b"\n")?;
        let mut n = self.indent * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl Pretty {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::model::*;

    fn written(inv: &Inventory, threads: usize) -> String {
        let mut out = Vec::new();
        write_inventory(inv, &mut out, threads).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn serde_pretty(inv: &Inventory) -> String {
        serde_json::to_string_pretty(inv).unwrap() + "\n"
    }

    #[test]
    fn writes_what_serde_writes() {
        let mut inv = Inventory::default();
        assert_eq!(written(&inv, 1), serde_pretty(&inv));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/flask_shop");
        let opts = crate::inventory::InventoryOptions { root: dir, threads: 2, ..Default::default() };
        inv = crate::inventory::build(&opts).unwrap();
        assert!(!inv.routes.is_empty() && !inv.models.is_empty() && !inv.templates.is_empty());
        // Long lists, over several windows, and the optional fields present.
        let routes = inv.routes.clone();
        while inv.routes.len() <= CHUNK * WINDOW + CHUNK / 2 {
            inv.routes.extend(routes.iter().cloned());
        }
        inv.orm = Some(OrmInfo::default());
        inv.alembic = Some(AlembicInfo::default());
        inv.suppressions.push(SuppressionComment { file: "a.py".into(), line: 1, codes: vec![], own_line: true });
        let expected = serde_pretty(&inv);
        assert_eq!(written(&inv, 1), expected);
        assert_eq!(written(&inv, 2), expected);
        inv.orm = None;
        inv.alembic = None;
        inv.suppressions.clear();
        inv.templates.clear();
        assert_eq!(written(&inv, 2), serde_pretty(&inv));
    }
}
