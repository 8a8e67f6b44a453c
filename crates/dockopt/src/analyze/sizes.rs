//! The data behind the size estimates: official base images (`base_sizes.toml`), Debian
//! packages installed on bookworm-slim (`apt_sizes.toml`), PyPI distributions installed for
//! Python 3.11 (`pypi_sizes.toml`) and npm packages (`npm_sizes.toml`). The package tables are
//! measured by the scripts in `scripts/size-tables/`; each table names its source and date.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::model::ImageRef;
use crate::semantics::bases::{Variant, table_repository};

#[derive(Debug, Deserialize)]
struct BaseTable {
    image: Vec<BaseEntry>,
}

#[derive(Debug, Deserialize)]
struct BaseEntry {
    repositories: Vec<String>,
    variant: String,
    example: String,
    compressed: u64,
    uncompressed: u64,
    source: String,
    date: String,
}

#[derive(Debug, Deserialize)]
pub struct AptTable {
    source: String,
    date: String,
    /// Bytes under /var/lib/apt/lists after `apt-get update`.
    pub lists: u64,
    package: BTreeMap<String, AptPackage>,
    /// Installed-Size of every package some closure unpacks.
    #[serde(default)]
    unpacked: BTreeMap<String, u64>,
}

#[derive(Debug, Deserialize)]
pub struct AptPackage {
    /// The package and the dependencies bookworm-slim lacks, `--no-install-recommends`.
    pub installed: u64,
    /// The same with recommended packages.
    pub installed_recommends: Option<u64>,
    /// The packages `installed` sums, space-separated.
    #[serde(default)]
    closure: String,
    /// What recommends add to them, space-separated.
    #[serde(default)]
    recommends: String,
}

#[derive(Debug, Deserialize)]
pub struct PypiTable {
    source: String,
    date: String,
    package: BTreeMap<String, PypiPackage>,
}

#[derive(Debug, Deserialize)]
pub struct PypiPackage {
    /// The distribution's own installed files.
    pub installed: u64,
    /// Its wheel: what pip's cache keeps.
    pub wheel: Option<u64>,
    #[serde(default)]
    pub requires: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct NpmTable {
    source: String,
    date: String,
    /// Median installed bytes of one package folder: for packages the table lacks.
    pub average_package: u64,
    /// npm's cache (`~/.npm/_cacache`) per byte of node_modules.
    pub cache_ratio: f64,
    package: BTreeMap<String, NpmPackage>,
}

#[derive(Debug, Deserialize)]
pub struct NpmPackage {
    pub installed: u64,
    /// node_modules bytes of an install of this package alone (its dependencies included).
    pub closure: Option<u64>,
}

/// Where one table's figures come from.
#[derive(Debug, Clone, Serialize)]
pub struct TableSource {
    pub table: &'static str,
    pub source: String,
    pub date: String,
    pub entries: usize,
}

fn bases() -> &'static BaseTable {
    static T: OnceLock<BaseTable> = OnceLock::new();
    T.get_or_init(|| toml::from_str(include_str!("base_sizes.toml")).expect("base_sizes.toml is valid (tested)"))
}

pub fn apt() -> &'static AptTable {
    static T: OnceLock<AptTable> = OnceLock::new();
    T.get_or_init(|| toml::from_str(include_str!("apt_sizes.toml")).expect("apt_sizes.toml is valid (tested)"))
}

pub fn pypi() -> &'static PypiTable {
    static T: OnceLock<PypiTable> = OnceLock::new();
    T.get_or_init(|| toml::from_str(include_str!("pypi_sizes.toml")).expect("pypi_sizes.toml is valid (tested)"))
}

pub fn npm() -> &'static NpmTable {
    static T: OnceLock<NpmTable> = OnceLock::new();
    T.get_or_init(|| toml::from_str(include_str!("npm_sizes.toml")).expect("npm_sizes.toml is valid (tested)"))
}

/// A base image's size from the table.
#[derive(Debug, Clone, Serialize)]
pub struct BaseSize {
    pub compressed: u64,
    pub uncompressed: u64,
    /// The tag the figure was read for.
    pub example: String,
    pub source: String,
    pub date: String,
}

/// The table's figure for `image` (its repository and variant), if it has one.
pub fn base_size(image: &ImageRef) -> Option<BaseSize> {
    let repository = table_repository(image);
    let variant = match Variant::of_tag(image.tag.as_deref())? {
        Variant::Full => "full",
        Variant::Slim => "slim",
        Variant::Alpine => "alpine",
    };
    bases().image.iter().find(|e| e.repositories.contains(&repository) && e.variant == variant).map(|e| BaseSize {
        compressed: e.compressed,
        uncompressed: e.uncompressed,
        example: e.example.clone(),
        source: e.source.clone(),
        date: e.date.clone(),
    })
}

impl AptTable {
    pub fn get(&self, name: &str) -> Option<&AptPackage> {
        self.package.get(name)
    }

    /// Median `installed` over the table: the guess for a package it lacks.
    pub fn typical(&self) -> u64 {
        static M: OnceLock<u64> = OnceLock::new();
        *M.get_or_init(|| median(self.package.values().map(|p| p.installed)))
    }

    /// The packages apt unpacks for `name` on the slim image (itself included), with
    /// recommends or without; `None` when the table has no closure for it.
    pub fn closure(&self, name: &str, recommends: bool) -> Option<impl Iterator<Item = &str>> {
        let p = self.package.get(name).filter(|p| !p.closure.is_empty())?;
        let extra = if recommends { p.recommends.as_str() } else { "" };
        Some(p.closure.split(' ').chain(extra.split(' ')).filter(|n| !n.is_empty()))
    }

    /// Installed-Size of one unpacked package.
    pub fn unpacked(&self, name: &str) -> u64 {
        self.unpacked.get(name).copied().unwrap_or(0)
    }
}

impl PypiTable {
    /// Installed bytes of `names` and everything they require (each distribution once): the
    /// figure, the distributions the table knows, and those it does not.
    pub fn closure(&self, names: &[String]) -> (u64, u64, BTreeSet<String>, BTreeSet<String>) {
        let mut known = BTreeSet::new();
        let mut unknown = BTreeSet::new();
        let mut stack: Vec<String> = names.iter().map(|n| normalize(n)).collect();
        while let Some(name) = stack.pop() {
            if known.contains(&name) || unknown.contains(&name) {
                continue;
            }
            match self.package.get(&name) {
                Some(p) => {
                    stack.extend(p.requires.iter().cloned());
                    known.insert(name);
                }
                None => {
                    unknown.insert(name);
                }
            }
        }
        let installed =
            known.iter().map(|n| self.package[n].installed).sum::<u64>() + unknown.len() as u64 * self.typical();
        let wheels = known.iter().map(|n| self.package[n].wheel.unwrap_or(self.package[n].installed / 3)).sum::<u64>()
            + unknown.len() as u64 * self.typical() / 3;
        (installed, wheels, known, unknown)
    }

    /// Median `installed`: the guess for a distribution the table lacks.
    pub fn typical(&self) -> u64 {
        static M: OnceLock<u64> = OnceLock::new();
        *M.get_or_init(|| median(self.package.values().map(|p| p.installed)))
    }
}

impl NpmTable {
    pub fn get(&self, name: &str) -> Option<&NpmPackage> {
        self.package.get(name)
    }
}

/// PEP 503 name: lower case, runs of `-_.` as one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn median(values: impl Iterator<Item = u64>) -> u64 {
    let mut v: Vec<u64> = values.collect();
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// The tables and where their figures come from, for the report.
pub fn sources() -> Vec<TableSource> {
    let b = bases();
    let base_dates: BTreeSet<&str> = b.image.iter().map(|e| e.date.as_str()).collect();
    vec![
        TableSource {
            table: "base images",
            source: "Docker Hub tag lists and docker images, per image (see base_sizes.toml)".into(),
            date: base_dates.into_iter().collect::<Vec<_>>().join(", "),
            entries: b.image.len(),
        },
        TableSource {
            table: "debian packages",
            source: apt().source.clone(),
            date: apt().date.clone(),
            entries: apt().package.len(),
        },
        TableSource {
            table: "pypi distributions",
            source: pypi().source.clone(),
            date: pypi().date.clone(),
            entries: pypi().package.len(),
        },
        TableSource {
            table: "npm packages",
            source: npm().source.clone(),
            date: npm().date.clone(),
            entries: npm().package.len(),
        },
    ]
}
