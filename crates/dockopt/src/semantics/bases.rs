//! What a stage starts with: the official base images' commands, packages, users and language,
//! read from the documented table in `bases.toml` (each entry names its source and date). An
//! image the table does not know is assumed to hold nothing.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::ImageRef;

#[derive(Debug, Deserialize)]
struct Table {
    version: u32,
    image: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    name: String,
    repositories: Vec<String>,
    variants: Vec<String>,
    extends: Option<String>,
    source: String,
    date: String,
    #[serde(default)]
    users: Vec<String>,
    #[serde(default)]
    commands: Vec<String>,
    #[serde(default)]
    packages: Vec<String>,
    language: Option<String>,
    workdir: Option<String>,
    venv_setuptools_before: Option<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(include_str!("bases.toml")).expect("bases.toml is valid (tested)"))
}

/// The table's version, for reports that cite it.
pub fn version() -> u32 {
    table().version
}

/// Which variant of an official image a tag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Full,
    Slim,
    Alpine,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Full => "full",
            Variant::Slim => "slim",
            Variant::Alpine => "alpine",
        }
    }

    /// The variant a tag names; None for variants the table does not describe (Windows images).
    pub fn of_tag(tag: Option<&str>) -> Option<Variant> {
        let tag = tag.unwrap_or("latest");
        if ["windowsservercore", "nanoserver", "ltsc"].iter().any(|w| tag.contains(w)) {
            return None;
        }
        Some(if tag.contains("alpine") {
            Variant::Alpine
        } else if tag.contains("slim") {
            Variant::Slim
        } else {
            Variant::Full
        })
    }
}

/// Everything one base image holds, its `extends` chain flattened.
#[derive(Debug, Clone)]
pub struct BaseFacts {
    pub name: &'static str,
    pub source: &'static str,
    pub date: &'static str,
    pub language: Option<&'static str>,
    pub commands: BTreeSet<&'static str>,
    pub packages: BTreeSet<&'static str>,
    pub users: BTreeSet<&'static str>,
    /// The image's WORKDIR (`/` when it sets none).
    pub workdir: &'static str,
    /// Python versions below this one put setuptools into a new venv.
    pub venv_setuptools_before: Option<&'static str>,
}

impl BaseFacts {
    pub fn has_command(&self, command: &str) -> bool {
        self.commands.contains(command)
    }

    pub fn has_package(&self, package: &str) -> bool {
        self.packages.contains(package)
    }
}

fn entry(name: &str) -> Option<&'static Entry> {
    table().image.iter().find(|e| e.name == name)
}

fn flatten(entry: &'static Entry) -> BaseFacts {
    let mut facts = match entry.extends.as_deref().and_then(self::entry) {
        Some(parent) => flatten(parent),
        None => BaseFacts {
            name: "",
            source: "",
            date: "",
            language: None,
            commands: BTreeSet::new(),
            packages: BTreeSet::new(),
            users: BTreeSet::new(),
            workdir: "/",
            venv_setuptools_before: None,
        },
    };
    facts.name = &entry.name;
    facts.source = &entry.source;
    facts.date = &entry.date;
    facts.language = entry.language.as_deref().or(facts.language);
    facts.workdir = entry.workdir.as_deref().unwrap_or(facts.workdir);
    facts.venv_setuptools_before = entry.venv_setuptools_before.as_deref().or(facts.venv_setuptools_before);
    facts.commands.extend(entry.commands.iter().map(String::as_str));
    facts.packages.extend(entry.packages.iter().map(String::as_str));
    facts.users.extend(entry.users.iter().map(String::as_str));
    facts
}

/// The repository as the table names it: `python` for `python`, `library/python` and
/// `docker.io/library/python`; the full path for other registries.
pub(crate) fn table_repository(image: &ImageRef) -> String {
    match image.hub_repository() {
        Some(hub) => hub.strip_prefix("library/").unwrap_or(&hub).to_owned(),
        None => format!("{}/{}", image.registry.as_deref().unwrap_or_default(), image.repository),
    }
}

/// What `image` holds, or None when the table does not know it (assume nothing). Each entry
/// is flattened once per process: rules and size estimates ask for every stage and command.
pub fn lookup(image: &ImageRef) -> Option<&'static BaseFacts> {
    static FLATTENED: OnceLock<Vec<OnceLock<BaseFacts>>> = OnceLock::new();
    let repository = table_repository(image);
    let variant = Variant::of_tag(image.tag.as_deref())?;
    let entries = &table().image;
    let index = entries
        .iter()
        .position(|e| e.repositories.contains(&repository) && e.variants.iter().any(|v| v == variant.name()))?;
    let flattened = FLATTENED.get_or_init(|| entries.iter().map(|_| OnceLock::new()).collect());
    Some(flattened[index].get_or_init(|| flatten(&entries[index])))
}

/// The full and the slim variant of `image`'s repository, when the table knows both.
fn full_and_slim(image: &ImageRef) -> Option<(&'static BaseFacts, &'static BaseFacts)> {
    let variant = |tag: &str| ImageRef { tag: Some(tag.into()), ..image.clone() };
    Some((lookup(&variant("latest"))?, lookup(&variant("slim"))?))
}

/// Commands the full variant of `image`'s repository has and its slim variant lacks.
pub fn lost_by_slim(image: &ImageRef) -> BTreeSet<&'static str> {
    full_and_slim(image)
        .map(|(full, slim)| full.commands.difference(&slim.commands).copied().collect())
        .unwrap_or_default()
}

/// Packages the full variant has and the slim one lacks (libraries a compiled dependency may
/// link against at run time).
pub fn packages_lost_by_slim(image: &ImageRef) -> BTreeSet<&'static str> {
    full_and_slim(image)
        .map(|(full, slim)| full.packages.difference(&slim.packages).copied().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(s: &str) -> ImageRef {
        ImageRef::parse(s).unwrap()
    }

    #[test]
    fn table_is_valid_and_every_entry_is_sourced() {
        assert_eq!(version(), 1);
        for e in &table().image {
            assert!(!e.source.is_empty() && e.date.len() == 10, "{}", e.name);
            if let Some(parent) = &e.extends {
                assert!(entry(parent).is_some(), "{} extends unknown {parent}", e.name);
            }
        }
    }

    #[test]
    fn variants_and_inheritance() {
        let full = lookup(&image("python:3.12-bookworm")).unwrap();
        assert!(full.has_command("gcc") && full.has_command("python3") && full.has_command("sh"));
        let slim = lookup(&image("docker.io/library/python:3.12-slim")).unwrap();
        assert!(!slim.has_command("gcc") && !slim.has_command("curl") && slim.has_command("pip"));
        assert!(lookup(&image("node:20")).unwrap().users.contains("node"));
        assert!(lookup(&image("myorg/python:3.12")).is_none(), "unknown images hold nothing");
        assert!(lookup(&image("python:3.12-windowsservercore")).is_none());
        let lost = lost_by_slim(&image("python:3.11"));
        for command in ["gcc", "make", "git", "curl", "wget", "pg_config"] {
            assert!(lost.contains(command), "{command}");
        }
        assert!(!lost.contains("python3") && !lost.contains("apt-get"));
        assert!(packages_lost_by_slim(&image("node:20")).contains("libpq5"));
        assert!(lookup(&image("gcr.io/distroless/static-debian12")).unwrap().commands.is_empty());
        assert_eq!(lookup(&image("golang:1.22")).unwrap().workdir, "/go");
        assert_eq!(lookup(&image("python:3.12")).unwrap().workdir, "/");
    }
}
