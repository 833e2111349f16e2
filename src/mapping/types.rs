//! `mappings/sqlalchemy_types.toml`: SQLAlchemy column types to Django model fields.

use std::collections::{BTreeMap, HashMap};

use super::tables::TableError;

const FILE: &str = "sqlalchemy_types.toml";
const TEXT: &str = include_str!("../../mappings/sqlalchemy_types.toml");

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRow {
    pub names: Vec<String>,
    pub field: String,
    #[serde(default)]
    pub pk_field: Option<String>,
    pub family: String,
    #[serde(default)]
    pub params: Vec<ParamRow>,
    #[serde(default)]
    pub kwargs: BTreeMap<String, String>,
    #[serde(default)]
    pub missing: Option<MissingRow>,
    #[serde(default)]
    pub special: Option<String>,
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamRow {
    #[serde(default)]
    pub position: Option<usize>,
    pub name: String,
    pub django: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingRow {
    pub param: String,
    pub field: String,
    #[serde(default)]
    pub kwargs: BTreeMap<String, String>,
    pub status: String,
    pub reason: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeFile {
    #[serde(rename = "type")]
    types: Vec<TypeRow>,
}

#[derive(Debug, Clone)]
pub struct TypeTable {
    pub rows: Vec<TypeRow>,
    by_name: HashMap<String, usize>,
}

const STATUSES: [&str; 3] = ["auto", "review", "manual"];
const SPECIALS: [&str; 3] = ["enum", "choice", "array"];

impl TypeTable {
    pub fn builtin() -> Result<Self, TableError> {
        Self::parse(TEXT)
    }

    fn parse(text: &str) -> Result<Self, TableError> {
        let error = |message: String| TableError::Parse { file: FILE, message };
        let parsed: TypeFile = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        let mut by_name = HashMap::new();
        for (i, row) in parsed.types.iter().enumerate() {
            let label = format!("row {} ({})", i + 1, row.names.first().map(String::as_str).unwrap_or("?"));
            if row.names.is_empty() || row.field.trim().is_empty() || row.family.trim().is_empty() {
                return Err(error(format!("{label}: `names`, `field` and `family` must be filled in")));
            }
            if !STATUSES.contains(&row.status.as_str()) {
                return Err(error(format!("{label}: status `{}` is not auto, review or manual", row.status)));
            }
            if row.status != "auto" && row.reason.as_deref().map_or(true, |r| r.trim().is_empty()) {
                return Err(error(format!("{label}: a `{}` row needs a reason", row.status)));
            }
            if let Some(s) = &row.special {
                if !SPECIALS.contains(&s.as_str()) {
                    return Err(error(format!("{label}: unknown special rule `{s}`")));
                }
            }
            if let Some(m) = &row.missing {
                if !STATUSES.contains(&m.status.as_str()) {
                    return Err(error(format!("{label}: missing.status `{}` is not auto, review or manual", m.status)));
                }
                if !row.params.iter().any(|p| p.name == m.param) {
                    return Err(error(format!("{label}: missing.param `{}` is not one of its params", m.param)));
                }
            }
            for n in &row.names {
                if by_name.insert(n.clone(), i).is_some() {
                    return Err(error(format!("{label}: the type `{n}` appears in two rows")));
                }
            }
        }
        Ok(TypeTable { rows: parsed.types, by_name })
    }

    pub fn lookup(&self, name: &str) -> Option<&TypeRow> {
        self.by_name.get(name).map(|&i| &self.rows[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_loads() {
        let t = TypeTable::builtin().unwrap();
        assert_eq!(t.lookup("String").unwrap().field, "models.CharField");
        assert_eq!(t.lookup("postgresql.JSONB").unwrap().family, "json");
        // SQLAlchemy-Utils' code types keep the length of their `impl` (VARCHAR(2), (3), (10), (50)).
        for (name, length) in
            [("CountryType", "2"), ("CurrencyType", "3"), ("LocaleType", "10"), ("TimezoneType", "50")]
        {
            let row = t.lookup(&format!("sqlalchemy_utils.{name}")).unwrap();
            assert_eq!(row.kwargs.get("max_length").map(String::as_str), Some(length), "{name}");
        }
    }

    #[test]
    fn rejects_duplicate_names() {
        let text = "[[type]]\nnames=[\"A\"]\nfield=\"models.X\"\nfamily=\"x\"\nstatus=\"auto\"\n\
                    [[type]]\nnames=[\"A\"]\nfield=\"models.Y\"\nfamily=\"y\"\nstatus=\"auto\"\n";
        let e = TypeTable::parse(text).unwrap_err().to_string();
        assert!(e.contains("two rows"), "{e}");
    }
}
