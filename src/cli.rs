//! The command line: what each command takes, and how results become output and exit codes.

use crate::audience::{Audience, Reader};
use crate::authoring::{AuthoringError, NewEvent};
use crate::diagnostics::{self, Problem};
use crate::error::Failure;
use crate::model::Language;
use crate::pipeline::BuildOptions;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    name = "kroniek",
    version,
    about = "Static site generator for incident chronologies"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into an output folder (default: SITE/public).
    Build {
        /// The site folder (holding `content/`).
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Output folder.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Absolute URL the site is published at (overrides `base_url` in _index.md).
        #[arg(long)]
        base_url: Option<String>,
        /// Include draft events.
        #[arg(long)]
        drafts: bool,
        /// Who the site is for: `internal` adds internal events and notes.
        #[arg(long, value_enum, default_value_t = Reader::Public)]
        audience: Reader,
    },
    /// Preview the site while you write: build it, serve it on this machine, rebuild on every
    /// change and reload open pages. Drafts are shown, marked as drafts.
    Serve {
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback shows your drafts to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
        /// Whose view to preview: `internal` adds internal events and notes, marked as such.
        #[arg(long, value_enum, default_value_t = Reader::Public)]
        audience: Reader,
    },
    /// Export the chronology as one file: Markdown, MediaWiki, self-contained HTML or JSON.
    Export {
        #[arg(default_value = ".")]
        site: PathBuf,
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// Who the export is for: `internal` adds internal events and notes, marked as such.
        #[arg(long, value_enum, default_value_t = Reader::Public)]
        audience: Reader,
        /// Include draft events.
        #[arg(long)]
        drafts: bool,
        /// Absolute URL of the published site, for links to content files.
        #[arg(long)]
        base_url: Option<String>,
        /// File to write; `-` or nothing for standard output. For MediaWiki, a folder (one
        /// that exists, or a path ending in `/`) gets the export as pages named
        /// `<page title>.wiki`: one page, or an index page and one page per period when the
        /// export is larger than --max-bytes.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Largest MediaWiki page, in bytes: a larger export is split into pages (write it
        /// with `-o DIR`).
        #[arg(long, default_value_t = crate::export::MAX_BYTES)]
        max_bytes: usize,
    },
    /// Start a new chronology: a small working site with two organisations and two sourced
    /// events, to edit into your own.
    Init {
        /// The folder for the new site; it must be missing or empty.
        dir: PathBuf,
        /// Language of the site's dates and words.
        #[arg(long, default_value = "en", value_parser = parse_language)]
        language: Language,
    },
    /// Add an event: writes `content/<date>-<slug>.md` with every field to fill in.
    #[command(
        override_usage = "kroniek new [SITE] <TITLE> --date <DATE> [--time <TIME>] [--end <DATE>] [--org <KEY>]... [--tag <TAG>]... [--source <ID>]... [--major] [--draft] [--internal]"
    )]
    New {
        /// `[SITE] TITLE`: the site folder (default: the current folder) and the event's title.
        #[arg(num_args = 1..=2, required = true, value_names = ["SITE", "TITLE"])]
        args: Vec<String>,
        /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `YYYY-MM-DDTHH:MM`, in the site's time zone.
        #[arg(long)]
        date: String,
        /// A clock time (`14:30`) or a label for a vague time ("einde dag").
        #[arg(long)]
        time: Option<String>,
        /// An organisation key from `_index.md`; repeat for several.
        #[arg(long = "org", value_name = "KEY")]
        orgs: Vec<String>,
        /// When the event, a period, ends: in the same forms as `--date`.
        #[arg(long)]
        end: Option<String>,
        /// A tag; repeat for several.
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// The id of a source in content/sources.yaml; repeat for several.
        #[arg(long = "source", value_name = "ID")]
        sources: Vec<String>,
        /// Mark the event as a key moment.
        #[arg(long)]
        major: bool,
        /// Mark the event as a draft: kept out of the site until it is ready.
        #[arg(long)]
        draft: bool,
        /// Mark the event as internal: only in `--audience internal` output.
        #[arg(long)]
        internal: bool,
    },
    /// Add events from a spreadsheet or a TimelineJS timeline: kroniek's CSV export, the
    /// TimelineJS Google-Sheets template saved as CSV, or TimelineJS JSON. Writes one file per
    /// event into `content/`, never replacing one; a bad row writes nothing.
    Import {
        /// The `.csv` or `.json` file to read.
        file: PathBuf,
        /// The site folder to add the events to.
        #[arg(long, value_name = "SITE")]
        into: PathBuf,
    },
    /// Record what the public gets now as the next release, in `SITE/releases/N.json` (commit
    /// it with the site): every public event's substance and every public file's hash. Later
    /// builds refuse to change a released event without a correction, or to drop one without a
    /// withdrawal or an alias. Refused while `kroniek check` finds errors.
    Release {
        #[arg(default_value = ".")]
        site: PathBuf,
        /// What this release is ("Letter to parliament of 14 June 2024"): shown on the changes
        /// page.
        #[arg(long, required_unless_present = "verify")]
        note: Option<String>,
        /// The release's day, `YYYY-MM-DD`; without it, today in the site's time zone.
        #[arg(long, value_parser = parse_day)]
        date: Option<chrono::NaiveDate>,
        /// Absolute URL the release is published at (overrides `base_url` in _index.md).
        #[arg(long)]
        base_url: Option<String>,
        /// Instead of recording: check that building the site now reproduces release N's
        /// public files, and list every file that differs.
        #[arg(long, value_name = "N", conflicts_with_all = ["note", "date", "base_url"],
              value_parser = clap::value_parser!(u32).range(1..))]
        verify: Option<u32>,
    },
    /// Check the site and report every error and warning, without writing anything.
    Check {
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// `json` prints one JSON object per problem, one per line.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Exit status: 0 ok, 1 content errors, 2 usage errors.
pub fn run(cli: Cli) -> ExitCode {
    let site = match &cli.command {
        Command::Build { site, .. }
        | Command::Serve { site, .. }
        | Command::Export { site, .. }
        | Command::Check { site, .. }
        | Command::Release { site, .. }
        | Command::Import { into: site, .. } => Some(site),
        Command::Init { .. } | Command::New { .. } => None,
    };
    // A SITE that does not exist is a typing mistake (exit 2), not a content problem; the
    // build would otherwise fail on the output folder inside it first.
    if let Some(site) = site.filter(|s| !s.exists()) {
        let message = format!(
            "no site folder {}: pass the folder that holds `content/`",
            site.display()
        );
        return report(Failure::Usage(message), "build", false);
    }
    // `--base-url` is where the public site lives, and internal output must not present itself
    // as living there (see `Audience::restrict`). Refused here, on the command line only: the
    // preview gives the library its own local address, which names no public site.
    if let Command::Build {
        base_url: Some(_),
        audience: Reader::Internal,
        ..
    }
    | Command::Export {
        base_url: Some(_),
        audience: Reader::Internal,
        ..
    } = &cli.command
    {
        let refused = Failure::Usage(crate::audience::NO_BASE_URL_FOR_INTERNAL.to_string());
        return report(refused, "build", false);
    }
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            drafts,
            audience,
        } => build(BuildOptions {
            site,
            output,
            base_url,
            audience: Audience {
                reader: audience,
                drafts,
            },
        }),
        Command::Serve {
            site,
            port,
            bind,
            open,
            audience,
        } => match crate::serve::serve(crate::serve::ServeOptions {
            site,
            bind,
            port,
            open,
            reader: audience,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => report_failure(failure, false),
        },
        Command::Export {
            site,
            format,
            audience,
            drafts,
            base_url,
            output,
            max_bytes,
        } => {
            let options = crate::export::ExportOptions {
                site,
                format,
                audience: Audience {
                    reader: audience,
                    drafts,
                },
                base_url,
            };
            let written = export(&options, output.as_deref(), max_bytes);
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => report(failure, "export", false),
            }
        }
        Command::Check {
            site,
            strict,
            format,
        } => check(site, strict, format),
        Command::Release {
            site,
            note,
            date,
            base_url,
            verify,
        } => match verify {
            Some(number) => verify_release(&site, number),
            None => release(crate::pipeline::ReleaseOptions {
                site,
                note: note.unwrap_or_default(),
                date,
                base_url,
            }),
        },
        Command::Init { dir, language } => init(&dir, language),
        Command::Import { file, into } => import(&file, &into),
        Command::New {
            args,
            date,
            time,
            orgs,
            end,
            tags,
            sources,
            major,
            draft,
            internal,
        } => {
            let (site, title) = match <[String; 2]>::try_from(args) {
                Ok([site, title]) => (PathBuf::from(site), title),
                Err(args) => (PathBuf::from("."), args.concat()),
            };
            let request = NewEvent {
                title,
                date,
                time,
                orgs,
                draft,
                internal,
                end,
                tags,
                major,
                sources,
            };
            new_event(&site, &request)
        }
    }
}

fn import(file: &Path, site: &Path) -> ExitCode {
    let mut err = std::io::stderr().lock();
    match crate::import::import(file, site) {
        Ok(imported) => {
            print_text(&mut err, &imported.notes);
            println!(
                "imported {} event(s) into {}:",
                imported.files.len(),
                site.join("content").display()
            );
            for file in &imported.files {
                println!("  {}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            if let crate::import::ImportError::Rows { problems } = &error {
                print_text(&mut err, problems);
            }
            if let crate::import::ImportError::Site(AuthoringError::Site { problems, .. }) = &error
            {
                print_text(&mut err, problems);
            }
            let _ = writeln!(err, "error: {error}");
            match error {
                crate::import::ImportError::UnknownFormat { .. } => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("expected a day like `2024-06-14`, found `{text}`"))
}

fn release(options: crate::pipeline::ReleaseOptions) -> ExitCode {
    if options.note.trim().is_empty() {
        let message = "--note is empty: say what this release is, e.g. --note \"Letter to \
                       parliament of 14 June 2024\"";
        return report(Failure::Usage(message.into()), "release", false);
    }
    match crate::pipeline::release(&options) {
        Ok(report) => {
            let release = &report.release;
            let warnings = match report.warnings {
                0 => String::new(),
                n => format!(" ({n} warning{}: run `kroniek check`)", plural(n)),
            };
            println!(
                "recorded release {} of {}: {} events, {} files, in {}{warnings}",
                release.number,
                release.date,
                release.events.len(),
                release.files.len(),
                options.site.join(&report.file).display()
            );
            println!("next: commit it with the site, then build and publish");
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure, "release", false),
    }
}

fn verify_release(site: &Path, number: u32) -> ExitCode {
    match crate::pipeline::verify(site, number) {
        Ok(verified) if verified.reproduced() => {
            println!("release {number} is reproduced: every public file is as it was recorded");
            ExitCode::SUCCESS
        }
        Ok(verified) => {
            let mut out = std::io::stdout().lock();
            let lists = [
                ("changed", &verified.changed),
                ("missing", &verified.missing),
                ("new", &verified.added),
            ];
            for (what, files) in lists {
                for file in files {
                    let _ = writeln!(out, "{what}: {file}");
                }
            }
            let differ = verified.changed.len() + verified.missing.len() + verified.added.len();
            let _ = writeln!(
                std::io::stderr(),
                "error: the build differs from release {number} in {differ} file{}",
                plural(differ)
            );
            ExitCode::from(1)
        }
        Err(failure) => report(failure, "release --verify", false),
    }
}

fn parse_language(code: &str) -> Result<Language, String> {
    Language::parse(code)
        .ok_or_else(|| format!("`{code}` is not a language kroniek knows: use `nl` or `en`"))
}

fn init(dir: &Path, language: Language) -> ExitCode {
    match crate::authoring::init(dir, language) {
        Ok(files) => {
            println!("created a new chronology in {}:", dir.display());
            for file in &files {
                println!("  {}", file.display());
            }
            let shown = dir.display();
            println!("next: preview it with `kroniek serve {shown}`, add an event with `kroniek new {shown} \"Title\" --date YYYY-MM-DD`, publish with `kroniek build {shown}`");
            ExitCode::SUCCESS
        }
        Err(error) => authoring_failure(error),
    }
}

fn new_event(site: &Path, request: &NewEvent) -> ExitCode {
    match crate::authoring::new_event(site, request) {
        Ok(path) => {
            println!("{}", path.strip_prefix(".").unwrap_or(&path).display());
            ExitCode::SUCCESS
        }
        Err(error) => authoring_failure(error),
    }
}

/// Prints why `init` or `new` wrote nothing. Mistakes in what was typed are usage errors
/// (exit 2); a site with errors, or a file that is already there, are content errors (exit 1).
fn authoring_failure(error: AuthoringError) -> ExitCode {
    let mut err = std::io::stderr().lock();
    if let AuthoringError::Site { problems, .. } = &error {
        print_text(&mut err, problems);
    }
    let _ = writeln!(err, "error: {error}");
    match error {
        AuthoringError::Io { .. }
        | AuthoringError::Site { .. }
        | AuthoringError::FileExists { .. }
        | AuthoringError::DuplicateSlug { .. } => ExitCode::from(1),
        AuthoringError::NotEmpty { .. }
        | AuthoringError::NotADirectory { .. }
        | AuthoringError::MissingTitle
        | AuthoringError::EmptySlug { .. }
        | AuthoringError::InvalidDate { .. }
        | AuthoringError::InvalidTime { .. }
        | AuthoringError::UnknownOrg { .. }
        | AuthoringError::UnknownSource { .. }
        | AuthoringError::InvalidEnd { .. } => ExitCode::from(2),
    }
}

fn build(options: BuildOptions) -> ExitCode {
    let started = Instant::now();
    // Ctrl+C from here on removes the unfinished build instead of leaving it beside the output.
    crate::write::interrupt::install();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.site.join("public"));
    let had_output = output.join(crate::write::MARKER).is_file();
    match crate::pipeline::build(&options) {
        Ok(report) => {
            let warnings = match report.warnings.len() {
                0 => String::new(),
                n => format!(
                    " ({n} warning{}: run `kroniek check`)",
                    if n == 1 { "" } else { "s" }
                ),
            };
            println!(
                "built {} events, {} files into {} in {} ms{warnings}",
                report.events,
                report.files,
                report.output.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(failure, had_output),
    }
}

/// Prints a failure for people. Content errors are listed in full, then counted.
/// `kroniek export`: one file to `-o` or standard output, or pages into a folder. The target is
/// checked first, so that a refused `-o` fails before the export.
fn export(
    options: &crate::export::ExportOptions,
    output: Option<&std::path::Path>,
    max_bytes: usize,
) -> Result<(), Failure> {
    use crate::write::file::{Folder, Target};
    let pages = options.format == crate::export::Format::Mediawiki;
    let folder = output.filter(|o| o.is_dir() || o.to_string_lossy().ends_with('/'));
    if let (true, Some(dir)) = (pages, folder) {
        let folder = Folder::check(&options.site, dir).map_err(Failure::Write)?;
        let files = crate::pipeline::export_pages(options, max_bytes)?;
        return folder.write(&files).map_err(Failure::Write);
    }
    let target = Target::check(&options.site, output).map_err(Failure::Write)?;
    if !pages {
        let bytes = crate::pipeline::export(options)?;
        return target.write(&bytes).map_err(Failure::Write);
    }
    let mut files = crate::pipeline::export_pages(options, max_bytes)?;
    if files.len() > 1 {
        let size: usize = files.iter().map(|(_, b)| b.len()).sum();
        return Err(Failure::Usage(format!(
            "the export is larger than --max-bytes ({max_bytes} bytes): {} pages, {size} bytes in \
             all; name a folder with `-o DIR/` to write them",
            files.len()
        )));
    }
    let bytes = files.pop().map(|(_, b)| b).unwrap_or_default();
    target.write(&bytes).map_err(Failure::Write)
}

pub fn report_failure(failure: Failure, had_output: bool) -> ExitCode {
    report(failure, "build", had_output)
}

/// Prints a failure of `what` ("build", "export") for people.
fn report(failure: Failure, what: &str, had_output: bool) -> ExitCode {
    let mut err = std::io::stderr().lock();
    match failure {
        Failure::Content { errors, warnings } => {
            print_text(&mut err, &errors);
            let n = errors.len();
            let outcome = if had_output {
                "the previous output was left as it was"
            } else {
                "nothing was written"
            };
            let warnings = match warnings {
                0 => String::new(),
                w => format!(" and {w} warning{} (`kroniek check` shows them)", plural(w)),
            };
            let _ = writeln!(
                err,
                "error: {what} failed with {n} error{}{warnings}; {outcome}",
                plural(n)
            );
            ExitCode::from(1)
        }
        Failure::Usage(message) => {
            let _ = writeln!(err, "error: {message}");
            ExitCode::from(2)
        }
        Failure::Write(e) => {
            let _ = writeln!(err, "error: {e}");
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
        }
        Failure::Serve(message) => {
            let _ = writeln!(err, "error: {message}");
            ExitCode::from(1)
        }
    }
}

fn check(site: PathBuf, strict: bool, format: Format) -> ExitCode {
    let mut problems = crate::pipeline::check(&site);
    if strict {
        for p in &mut problems {
            p.severity = diagnostics::Severity::Error;
        }
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for p in &problems {
                let _ = writeln!(out, "{}", diagnostics::render_json(p));
            }
        }
        Format::Text => {
            let mut err = std::io::stderr().lock();
            print_text(&mut err, &problems);
            let _ = writeln!(
                err,
                "{errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            );
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_text(out: &mut impl Write, problems: &[Problem]) {
    for p in problems {
        let _ = writeln!(out, "{}", diagnostics::render_text(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A preview that stopped serving failed at run time, not on its command line.
    #[test]
    fn exit_codes_say_whose_mistake_it_was() {
        assert_eq!(
            report(Failure::Usage("x".into()), "build", false),
            ExitCode::from(2)
        );
        assert_eq!(
            report(Failure::Serve("x".into()), "serve", false),
            ExitCode::from(1)
        );
        assert_eq!(
            report(
                Failure::Content {
                    errors: Vec::new(),
                    warnings: 0,
                },
                "build",
                false,
            ),
            ExitCode::from(1)
        );
    }
}
