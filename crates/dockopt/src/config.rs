//! Configuration: `dockopt.toml` (or `.dockopt.toml`), or `[tool.dockopt]` in
//! `pyproject.toml`, found by walking up from the linted file.
//!
//! ```toml
//! select = ["ALL"]            # replaces the default rule set
//! extend-select = ["DL3057"]  # adds to it
//! ignore = ["DO101", "size"]  # codes, names, categories or upstream ids
//! fail-level = "warning"      # lowest severity that makes `dockopt lint` exit 1
//! trusted-registries = ["docker.io", "ghcr.io"]
//! required-labels = ["org.opencontainers.image.source"]
//! [label-schema]              # hadolint's label-schema: label -> text|url|rfc3339|spdx|hash|semver|email
//! "org.opencontainers.image.source" = "url"
//! [severity]
//! DL3008 = "error"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::lint::labels::LabelFormat;
use crate::lint::{LintOptions, Severity};

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub select: Option<Vec<String>>,
    #[serde(alias = "extend_select")]
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub severity: Option<BTreeMap<String, String>>,
    #[serde(alias = "fail_level")]
    pub fail_level: Option<String>,
    #[serde(alias = "trusted_registries")]
    pub trusted_registries: Option<Vec<String>>,
    #[serde(alias = "required_labels")]
    pub required_labels: Option<Vec<String>>,
    /// Label key -> format; turns on the label-format rules for those labels.
    #[serde(alias = "label_schema")]
    pub label_schema: Option<BTreeMap<String, String>>,
    /// `auto` (the `shellcheck` on PATH), `off`, or the path of a shellcheck binary.
    pub shellcheck: Option<String>,
}

/// A configuration that cannot be used, with the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: Option<PathBuf>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<PyTools>,
}

#[derive(Deserialize)]
struct PyTools {
    dockopt: Option<toml::Value>,
}

impl Config {
    /// Read a `dockopt.toml` text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError { path: None, message: e.to_string().trim().to_owned() })
    }

    /// Read the `[tool.dockopt]` table of a `pyproject.toml` text, if it has one.
    pub fn from_pyproject(text: &str) -> Result<Option<Self>, ConfigError> {
        let err = |e: toml::de::Error| ConfigError { path: None, message: e.to_string().trim().to_owned() };
        let project: PyProject = toml::from_str(text).map_err(err)?;
        match project.tool.and_then(|t| t.dockopt) {
            Some(table) => Ok(Some(table.try_into().map_err(err)?)),
            None => Ok(None),
        }
    }

    /// The nearest configuration at or above `dir`: `dockopt.toml`, `.dockopt.toml`, then a
    /// `pyproject.toml` with `[tool.dockopt]`.
    pub fn discover(dir: &Path) -> Result<Option<(PathBuf, Self)>, ConfigError> {
        for dir in dir.ancestors() {
            for name in ["dockopt.toml", ".dockopt.toml", "pyproject.toml"] {
                let path = dir.join(name);
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                let with_path = |e: ConfigError| ConfigError { path: Some(path.clone()), ..e };
                let config = if name == "pyproject.toml" {
                    Self::from_pyproject(&text).map_err(with_path)?
                } else {
                    Some(Self::from_toml(&text).map_err(with_path)?)
                };
                if let Some(config) = config {
                    config.validate().map_err(|e| ConfigError { path: Some(path.clone()), ..e })?;
                    return Ok(Some((path, config)));
                }
            }
        }
        Ok(None)
    }

    /// Check that severities are known and every selector names at least one rule.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |message: String| Err(ConfigError { path: None, message });
        for (key, list) in [("select", &self.select), ("extend-select", &self.extend_select), ("ignore", &self.ignore)]
        {
            for selector in list.iter().flatten() {
                if !crate::lint::names_a_rule(selector) {
                    return bad(format!(
                        "`{key}`: `{selector}` names no rule (use a code, name, category or upstream id)"
                    ));
                }
            }
        }
        for (selector, level) in self.severity.iter().flatten() {
            if Severity::parse(level).is_none() {
                return bad(format!("`severity.{selector}`: `{level}` is not one of error, warning, info, style"));
            }
            if !crate::lint::names_a_rule(selector) {
                return bad(format!("`severity.{selector}`: names no rule"));
            }
        }
        if let Some(level) = &self.fail_level
            && Severity::parse(level).is_none()
        {
            return bad(format!("`fail-level`: `{level}` is not one of error, warning, info, style"));
        }
        for (label, format) in self.label_schema.iter().flatten() {
            if LabelFormat::parse(format).is_none() {
                return bad(format!(
                    "`label-schema.{label}`: `{format}` is not one of text, url, rfc3339, spdx, hash, semver, email"
                ));
            }
        }
        Ok(())
    }

    /// The lowest severity that counts as a failure (default: style, i.e. any finding).
    pub fn fail_level(&self) -> Severity {
        self.fail_level.as_deref().and_then(Severity::parse).unwrap_or(Severity::Style)
    }

    /// Apply this configuration to lint options (command-line options are applied after).
    pub fn apply(&self, options: &mut LintOptions) {
        options.select.extend(self.select.iter().flatten().cloned());
        options.extend_select.extend(self.extend_select.iter().flatten().cloned());
        options.ignore.extend(self.ignore.iter().flatten().cloned());
        for (selector, level) in self.severity.iter().flatten() {
            if let Some(level) = Severity::parse(level) {
                options.severity.push((selector.clone(), level));
            }
        }
        options.trusted_registries.extend(self.trusted_registries.iter().flatten().cloned());
        options.required_labels.extend(self.required_labels.iter().flatten().cloned());
        for (label, format) in self.label_schema.iter().flatten() {
            if let Some(format) = LabelFormat::parse(format) {
                options.label_schema.push((label.clone(), format));
            }
        }
        if let Some(mode) = &self.shellcheck {
            options.shellcheck = crate::lint::shellcheck::Shellcheck::parse(mode);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dockopt_toml_and_pyproject() {
        let c = Config::from_toml("ignore = [\"DO101\"]\n[severity]\nDL3009 = \"error\"\n").unwrap();
        assert_eq!(c.ignore, Some(vec!["DO101".into()]));
        c.validate().unwrap();
        let mut options = LintOptions::default();
        c.apply(&mut options);
        assert_eq!(options.severity, vec![("DL3009".into(), Severity::Error)]);
        let p = Config::from_pyproject("[project]\nname='x'\n[tool.dockopt]\nselect=['ALL']\n").unwrap().unwrap();
        assert_eq!(p.select, Some(vec!["ALL".into()]));
        assert_eq!(Config::from_pyproject("[project]\nname='x'\n").unwrap(), None);
    }

    #[test]
    fn errors_name_the_key() {
        let e = Config::from_toml("selct = []\n").unwrap_err();
        assert!(e.message.contains("selct"), "{e}");
        let e = Config::from_toml("ignore = [\"NOPE999\"]\n").unwrap().validate().unwrap_err();
        assert!(e.message.contains("`ignore`") && e.message.contains("NOPE999"), "{e}");
        let e = Config::from_toml("[severity]\nDO101 = \"loud\"\n").unwrap().validate().unwrap_err();
        assert!(e.message.contains("severity.DO101"), "{e}");
        let e = Config::from_toml("[label-schema]\nversion = \"number\"\n").unwrap().validate().unwrap_err();
        assert!(e.message.contains("label-schema.version") && e.message.contains("number"), "{e}");
    }

    #[test]
    fn label_schema_turns_on_the_label_format_rules() {
        let config = Config::from_toml("[label-schema]\n\"com.example.homepage\" = \"url\"\n").unwrap();
        config.validate().unwrap();
        let mut options = LintOptions { select: vec!["DL3052".into()], ..LintOptions::default() };
        let src = "FROM a\nLABEL com.example.homepage=not-a-url\n";
        let file = crate::parse(src);
        assert!(crate::lint::lint(&file, &options).is_empty(), "nothing to check without a schema");
        config.apply(&mut options);
        let found = crate::lint::lint(&file, &options);
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
