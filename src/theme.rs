//! The theme: templates, CSS and JS, embedded in the binary and overridable per file.
//!
//! A site's own `theme/` folder wins over the built-in theme for any file of the same relative
//! path (`theme/templates/event.html`, `theme/static/style.css`). Nothing here knows what a page
//! contains; `render` does.

use crate::diagnostics::Problem;
use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// The theme of one site: the built-in files plus the site's overrides.
#[derive(Debug, Clone)]
pub struct Theme {
    /// `SITE/theme`, which may not exist.
    overrides: PathBuf,
}

impl Theme {
    pub fn for_site(site: &Path) -> Theme {
        Theme {
            overrides: site.join("theme"),
        }
    }

    /// A theme file by its path inside `theme/`: the site's copy if it has one, else ours.
    pub fn file(&self, relative: &str) -> Option<Cow<'static, [u8]>> {
        if relative
            .split('/')
            .any(|part| part == ".." || part.is_empty())
        {
            return None;
        }
        if let Ok(bytes) = std::fs::read(self.overrides.join(relative)) {
            return Some(Cow::Owned(bytes));
        }
        embedded::FILES
            .iter()
            .find(|(path, _)| *path == relative)
            .map(|(_, bytes)| Cow::Borrowed(*bytes))
    }

    /// Every file under `theme/static/`, built-in and overriding, by path inside `static/`.
    pub fn static_files(&self) -> BTreeMap<String, Cow<'static, [u8]>> {
        let mut files: BTreeMap<String, Cow<'static, [u8]>> = embedded::FILES
            .iter()
            .filter_map(|(path, bytes)| {
                Some((
                    path.strip_prefix("static/")?.to_string(),
                    Cow::Borrowed(*bytes),
                ))
            })
            .collect();
        let dir = self.overrides.join("static");
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                if let (Ok(relative), Ok(bytes)) =
                    (entry.path().strip_prefix(&dir), std::fs::read(entry.path()))
                {
                    files.insert(
                        relative.to_string_lossy().replace('\\', "/"),
                        Cow::Owned(bytes),
                    );
                }
            }
        }
        files
    }

    /// A template environment that loads `templates/<name>` from this theme. Autoescape is on
    /// for `.html` and `.xml`; an undefined variable is an error, so a typo in a template fails
    /// the build instead of printing nothing.
    pub fn environment(&self) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(escape_formatter);
        let theme = self.clone();
        env.set_loader(move |name| match theme.file(&format!("templates/{name}")) {
            Some(bytes) => String::from_utf8(bytes.into_owned())
                .map(Some)
                .map_err(|_| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("template {name} is not UTF-8"),
                    )
                }),
            None => Ok(None),
        });
        env
    }

    /// A hash of the site's theme overrides (paths and contents): changes when the author edits
    /// the theme, so that cached pages are made again.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::Hasher;
        let mut hasher = fnv::FnvHasher::default();
        for entry in walkdir::WalkDir::new(&self.overrides)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                hasher.write(entry.path().to_string_lossy().as_bytes());
                if let Ok(bytes) = std::fs::read(entry.path()) {
                    hasher.write(&bytes);
                }
            }
        }
        hasher.finish()
    }

    /// The file a template error points at, as the user would find it.
    pub fn template_path(&self, name: &str) -> PathBuf {
        let relative = format!("templates/{name}");
        if self.overrides.join(&relative).exists() {
            PathBuf::from("theme").join(relative)
        } else {
            PathBuf::from("(built-in theme)").join(relative)
        }
    }

    /// A template error as a problem at the template's line.
    pub fn problem(&self, err: &minijinja::Error) -> Problem {
        let file = err
            .name()
            .map(|n| self.template_path(n))
            .unwrap_or_else(|| PathBuf::from("theme"));
        let mut problem = Problem::file_error(
            &file,
            "template",
            format!(
                "template error: {}",
                err.detail().unwrap_or(&err.kind().to_string())
            ),
        );
        problem.line = err.line().unwrap_or(0);
        problem.column = if problem.line > 0 { 1 } else { 0 };
        problem
    }
}

/// HTML/XML escaping of `& < > " '` only. minijinja's default also escapes `/`, which turns
/// every URL into `https:&#x2f;&#x2f;…`: valid, but hard to read and larger.
fn escape_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if *state.auto_escape() == AutoEscape::Html && !value.is_safe() {
        let mut escaped = String::new();
        match value.as_str() {
            Some(text) => crate::markdown::escape_into(&mut escaped, text),
            None => crate::markdown::escape_into(&mut escaped, &value.to_string()),
        };
        out.write_str(&escaped).map_err(Error::from)
    } else {
        minijinja::escape_formatter(out, state, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_slashes() {
        let mut env = Theme::for_site(std::path::Path::new("/nonexistent")).environment();
        env.add_template("t.html", "<a href=\"{{ u }}\">{{ x }}</a>{{ s|safe }}")
            .unwrap();
        let html = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! { u => "https://e.org/a?b=1&c=\"", x => "<b>'x'</b>", s => "<i>ok</i>" })
            .unwrap();
        assert_eq!(html, "<a href=\"https://e.org/a?b=1&amp;c=&quot;\">&lt;b&gt;&#39;x&#39;&lt;/b&gt;</a><i>ok</i>");
    }

    #[test]
    fn strict_undefined_is_an_error() {
        let mut env = Theme::for_site(std::path::Path::new("/nonexistent")).environment();
        env.add_template("t.html", "{{ ev.titel }}").unwrap();
        let err = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! { ev => minijinja::context! { title => "x" } });
        assert!(err.is_err());
    }
}
