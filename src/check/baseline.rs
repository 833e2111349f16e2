//! Baselines: the error findings a project accepts for now, so that `check` fails only on new
//! ones. Keys hold no file or line (`FD502:shop.cart`), so moving code keeps them; a key that
//! occurs twice is counted twice.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    /// Key → how many findings have it.
    #[serde(rename = "findings")]
    pub counts: BTreeMap<String, usize>,
}

impl Baseline {
    pub fn from_keys<'a>(keys: impl Iterator<Item = &'a str>) -> Self {
        let mut counts = BTreeMap::new();
        for k in keys {
            *counts.entry(k.to_string()).or_insert(0) += 1;
        }
        Baseline { version: BASELINE_VERSION, counts }
    }

    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a baseline serializes");
        s.push('\n');
        s
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| format!("not a flask2django baseline: {e}"))?;
        if b.version != BASELINE_VERSION {
            return Err(format!("baseline version {} is not {BASELINE_VERSION}", b.version));
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_counts_repeated_keys() {
        let b = Baseline::from_keys(["FD502:a", "FD502:a", "FD504:b"].into_iter());
        assert_eq!(b.total(), 3);
        assert_eq!(Baseline::parse(&b.to_json()).unwrap(), b);
        assert!(Baseline::parse("{\"version\": 2, \"findings\": {}}").is_err());
    }
}
