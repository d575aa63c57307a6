//! The MediaWiki export as a real MediaWiki renders it.
//!
//! One throwaway wiki per test run (Debian's `mediawiki` 1.39 with Cite, SQLite, in a
//! temporary folder), set up once and shared. Every export is saved as a page with the
//! pre-save transform (`tests/mediawiki/render.php`, one PHP process for all pages) and what
//! MediaWiki stored and rendered is compared with kroniek's own HTML export of the same site:
//! the same headings in order, every reference resolved with no Cite error, the same link
//! addresses, no template, category, signature, page property or link to another page made,
//! and no wiki markup in the text that the HTML export does not show as text. Sites: the
//! example, every fixture, and `tests/fixtures/wikisyntax`, which puts wiki syntax in every
//! field and URL.
//!
//! The Markdown export is read the same way by `cmark-gfm`, GitHub's renderer: the same
//! headings, every note reference leading to its footnote, no raw HTML left out.
//!
//! `php`, `php-sqlite3`, `mediawiki` and `cmark-gfm` are required: `scripts/test` installs them, and a
//! missing one fails these tests, never skips them.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MEDIAWIKI: &str = "/usr/share/mediawiki";

/// The sites every check runs on: the example and the fixtures.
fn sites() -> Vec<(String, PathBuf)> {
    let mut sites = vec![("example".to_string(), PathBuf::from(ROOT))];
    for name in [
        "rich",
        "footnotes",
        "links",
        "canary",
        "hidden-links",
        "wikisyntax",
    ] {
        sites.push((
            name.to_string(),
            Path::new(ROOT).join("tests/fixtures").join(name),
        ));
    }
    sites
}

fn kroniek(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(args)
        .output()
        .unwrap()
}

fn export(site: &Path, format: &str, args: &[&str]) -> String {
    let site = site.to_str().unwrap();
    let run = kroniek(&[&["export", site, "--format", format], args].concat());
    assert!(
        run.status.success(),
        "export {site} --format {format} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).unwrap()
}

/// A split export: `kroniek export --format mediawiki -o DIR/ --max-bytes N`, as (title, text).
fn split_export(site: &Path, max_bytes: usize) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let out = format!("{}/pages/", dir.path().display());
    let max = max_bytes.to_string();
    let run = kroniek(&[
        "export",
        site.to_str().unwrap(),
        "--format",
        "mediawiki",
        "-o",
        &out,
        "--max-bytes",
        &max,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap();
            let title = name.strip_suffix(".wiki").expect("pages end in .wiki");
            (title.to_string(), std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

// ---------------------------------------------------------------------------------------------
// The wiki

struct Wiki {
    _dir: tempfile::TempDir,
    conf: PathBuf,
}

/// The wiki of this test run, installed on first use.
fn wiki() -> &'static Wiki {
    static WIKI: OnceLock<Wiki> = OnceLock::new();
    WIKI.get_or_init(|| {
        assert!(
            Path::new(MEDIAWIKI)
                .join("maintenance/install.php")
                .is_file(),
            "MediaWiki is not installed at {MEDIAWIKI}; run scripts/test, which installs it \
             (apt-get install mediawiki php-cli php-sqlite3)"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("db")).unwrap();
        let install = Command::new("php")
            .arg(Path::new(MEDIAWIKI).join("maintenance/install.php"))
            .args(["--dbtype", "sqlite", "--dbname", "wiki", "--dbpath"])
            .arg(dir.path().join("db"))
            .arg("--confpath")
            .arg(dir.path())
            .args([
                "--pass",
                "Kroniek-test-wiki-2024",
                "--server",
                "http://localhost",
            ])
            .args([
                "--scriptpath",
                "/w",
                "--skins",
                "",
                "Kroniek test wiki",
                "Admin",
            ])
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run php ({e}); run scripts/test, which installs it")
            });
        assert!(
            install.status.success(),
            "MediaWiki's install.php failed:\n{}{}",
            String::from_utf8_lossy(&install.stdout),
            String::from_utf8_lossy(&install.stderr)
        );
        let conf = dir.path().join("LocalSettings.php");
        let mut settings = std::fs::read_to_string(&conf).unwrap();
        settings.push_str("\nwfLoadExtension( 'Cite' );\n");
        std::fs::write(&conf, settings).unwrap();
        Wiki { _dir: dir, conf }
    })
}

/// Saves each (title, wikitext) as a page and returns what the wiki says of each, by title.
fn render(pages: &[(String, String)]) -> HashMap<String, Value> {
    let wiki = wiki();
    let folder = tempfile::tempdir().unwrap();
    for (title, text) in pages {
        let name = percent_encoding::utf8_percent_encode(title, percent_encoding::NON_ALPHANUMERIC);
        std::fs::write(folder.path().join(format!("{name}.wiki")), text).unwrap();
    }
    let out = Command::new("php")
        .arg(Path::new(ROOT).join("tests/mediawiki/render.php"))
        .arg("--conf")
        .arg(&wiki.conf)
        .arg(folder.path())
        .env("MW_INSTALL_PATH", MEDIAWIKI)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "render.php failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let all: HashMap<String, Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "render.php printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    all
}

/// Every page of every site, rendered once for all the tests of this file: (site, title) ->
/// (submitted wikitext, what the wiki says).
fn rendered() -> &'static HashMap<String, (String, Value)> {
    static RENDERED: OnceLock<HashMap<String, (String, Value)>> = OnceLock::new();
    RENDERED.get_or_init(|| {
        let mut pages = Vec::new();
        for (name, site) in sites() {
            pages.push((format!("Kroniek {name}"), export(&site, "mediawiki", &[])));
        }
        for (title, text) in split_export(Path::new(ROOT), SPLIT_BYTES) {
            pages.push((title, text));
        }
        let result = render(&pages);
        pages
            .into_iter()
            .map(|(title, text)| {
                let value = result
                    .get(&title)
                    .unwrap_or_else(|| panic!("the wiki rendered no page `{title}`"))
                    .clone();
                (title, (text, value))
            })
            .collect()
    })
}

/// The size the example is split at in these tests: several pages.
const SPLIT_BYTES: usize = 8_000;

fn page(title: &str) -> (&'static str, &'static Value) {
    let (text, value) = rendered()
        .get(title)
        .unwrap_or_else(|| panic!("no page `{title}`"));
    assert_eq!(
        value["saved"], true,
        "`{title}` was not saved: {}",
        value["error"]
    );
    (text.as_str(), value)
}

fn html_of(value: &Value) -> Html {
    Html::parse_fragment(value["html"].as_str().unwrap())
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// What kroniek's HTML export shows

/// The headings of the HTML export (days, events, body headings, intro headings), as (level,
/// text), in order; the notes' headings left out (the wiki has one list of references).
fn html_headings(html: &Html) -> Vec<(u8, String)> {
    html.select(&sel(
        "main .intro :is(h2,h3,h4,h5,h6), h2.day-title, h3.event-title, .body :is(h2,h3,h4,h5,h6)",
    ))
    .map(|h| (h.value().name()[1..].parse().unwrap(), text(h)))
    .collect()
}

/// The headings MediaWiki made, in order, the references heading at the end left out.
fn wiki_headings(html: &Html) -> Vec<(u8, String)> {
    let mut headings: Vec<(u8, String)> = html
        .select(&sel("h2,h3,h4,h5,h6"))
        .filter(|h| h.select(&sel(".mw-headline")).next().is_some())
        .map(|h| (h.value().name()[1..].parse().unwrap(), text(h)))
        .collect();
    headings.pop();
    headings
}

/// How many notes the HTML export cites in body text (markers inside notes are not refs).
fn html_markers(html: &Html) -> usize {
    html.select(&sel(".intro sup.note-ref, .body sup.note-ref"))
        .count()
}

/// Addresses of links, percent-decoded, so that the same address written two ways is one.
fn decoded(url: &str) -> String {
    // Browsers leave tabs and line breaks out of an address.
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.replace("&amp;", "&");
    percent_encoding::percent_decode_str(&url)
        .decode_utf8_lossy()
        .into_owned()
}

fn html_links(html: &Html) -> BTreeSet<String> {
    html.select(&sel("main a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.starts_with('#'))
        .map(decoded)
        .collect()
}

/// The site's `base_url`, from its settings.
fn base_url(site: &Path) -> Option<String> {
    let settings = std::fs::read_to_string(site.join("content/_index.md")).ok()?;
    let line = settings.lines().find(|l| l.starts_with("base_url:"))?;
    Some(
        line["base_url:".len()..]
            .trim()
            .trim_matches('"')
            .to_string(),
    )
}

/// Markup that wikitext reads, and that must reach the wiki's text only where the HTML export
/// shows it as text too.
const MARKUP: &[&str] = &[
    "[[", "]]", "{{", "}}", "~~~", "__", "''", "<ref", "</ref", "<nowiki", "{|", "|}", "[http",
    "==", "----", "&#", "&amp;", "&lt;",
];

// ---------------------------------------------------------------------------------------------
// Tests

/// The wiki stores each page exactly as written: the pre-save transform found no signature,
/// `subst:` or pipe trick to expand; and the parse made nothing but external links.
#[test]
fn the_wiki_stores_every_export_as_written_and_makes_nothing_of_it() {
    for (name, _) in sites() {
        let title = format!("Kroniek {name}");
        let (submitted, value) = page(&title);
        assert_eq!(
            value["stored"].as_str().unwrap(),
            submitted.trim_end(),
            "{title}: the pre-save transform changed the page"
        );
        for table in [
            "links",
            "templates",
            "categories",
            "interwiki",
            "languages",
            "images",
        ] {
            assert_eq!(
                value[table].as_array().map(Vec::len),
                Some(0),
                "{title}: {table}: {}",
                value[table]
            );
        }
        let properties = &value["properties"];
        assert!(
            properties.as_array().is_some_and(Vec::is_empty)
                || properties.as_object().is_some_and(|o| o.is_empty()),
            "{title}: page properties {properties}"
        );
        for (table, rows) in value["tables"].as_object().unwrap() {
            assert_eq!(rows, 0, "{title}: {table} has rows");
        }
    }
}

#[test]
fn every_reference_resolves_with_no_cite_error() {
    for (name, site) in sites() {
        let title = format!("Kroniek {name}");
        let (_, value) = page(&title);
        let wiki = html_of(value);
        let source = value["html"].as_str().unwrap();
        for error in [
            "class=\"error",
            "cite-error",
            "cite_error",
            "mw-ext-cite-error",
        ] {
            assert!(!source.contains(error), "{title}: {error} in\n{source}");
        }
        let expected = html_markers(&Html::parse_document(&export(&site, "html", &[])));
        let refs: Vec<_> = wiki.select(&sel("sup.reference a")).collect();
        assert_eq!(
            refs.len(),
            expected,
            "{title}: refs against the HTML export's markers"
        );
        for r in refs {
            let target = r.value().attr("href").unwrap().trim_start_matches('#');
            let target = target.replace('_', "&#95;").replace("&#95;", "_");
            let note = wiki
                .select(&sel("ol.references li"))
                .find(|li| {
                    li.value().id().map(|id| id.replace("&#95;", "_")) == Some(target.clone())
                })
                .unwrap_or_else(|| panic!("{title}: ref {target} leads nowhere"));
            let body = note
                .select(&sel(".reference-text"))
                .next()
                .map(text)
                .unwrap_or_default();
            assert!(!body.is_empty(), "{title}: ref {target} is empty");
        }
    }
}

#[test]
fn headings_and_links_are_those_of_the_html_export() {
    for (name, site) in sites() {
        let title = format!("Kroniek {name}");
        let (_, value) = page(&title);
        let wiki = html_of(value);
        let html = Html::parse_document(&export(&site, "html", &[]));
        assert_eq!(
            wiki_headings(&wiki),
            html_headings(&html),
            "{title}: headings"
        );
        let external: BTreeSet<String> = value["external"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| decoded(u.as_str().unwrap()))
            .collect();
        let expected = html_links(&html);
        // The single HTML file inlines content images; the wiki links to them on the site.
        let published = |url: &str| {
            base_url(&site)
                .and_then(|b| url.strip_prefix(&b).map(str::to_string))
                .is_some_and(|path| site.join("content").join(path).is_file())
        };
        let extra: Vec<_> = external
            .difference(&expected)
            .filter(|url| !published(url))
            .collect();
        assert!(
            extra.is_empty(),
            "{title}: links the HTML export does not have: {extra:?}\n(it has {expected:?})"
        );
    }
}

#[test]
fn no_wiki_markup_shows_that_the_html_export_does_not() {
    for (name, site) in sites() {
        let title = format!("Kroniek {name}");
        let (_, value) = page(&title);
        let shown = text(html_of(value).root_element());
        let html = Html::parse_document(&export(&site, "html", &[]));
        // The wiki names the organisations in full under each event; the site in a badge's
        // title.
        let names = html
            .select(&sel("main .badge[title]"))
            .filter_map(|b| b.value().attr("title"))
            .collect::<Vec<_>>()
            .join(" ");
        let expected = html.select(&sel("main")).map(text).collect::<String>() + &names;
        for markup in MARKUP {
            let (wiki, site) = (
                shown.matches(markup).count(),
                expected.matches(markup).count(),
            );
            assert!(
                wiki <= site,
                "{title}: `{markup}` shows {wiki} times in the wiki's text, {site} in the HTML \
                 export:\n{shown}"
            );
        }
    }
}

/// The defects the wiki showed: lists split by a bullet under a number, a list restarting at 1,
/// footnote paragraphs run together, the third level of nested notes dropped, `tel:` and
/// `//host` links dropped, links between events pointing away from the page.
#[test]
fn lists_footnotes_and_links_render_as_on_the_site() {
    let (_, value) = page("Kroniek wikisyntax");
    let wiki = html_of(value);
    let html = value["html"].as_str().unwrap();
    let top: Vec<String> = wiki
        .select(&sel("ol"))
        .filter(|ol| !ol.value().classes().any(|c| c == "references"))
        .map(|ol| {
            ol.children()
                .filter_map(ElementRef::wrap)
                .map(|li| li.text().next().unwrap_or("").trim().to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert!(
        top.contains(&"Step one|Step two|Step three after a gap".to_string()),
        "{top:?}"
    );
    assert!(
        html.contains("<ol start=\"3\"><li>Starts at three</li>"),
        "{html}"
    );
    let bullets: Vec<String> = wiki.select(&sel("ol > li > ul > li")).map(text).collect();
    assert!(
        bullets
            .iter()
            .any(|b| b.starts_with("a bullet under step one")),
        "{bullets:?}"
    );
    let multi = wiki
        .select(&sel(".reference-text"))
        .find(|r| text(*r).contains("First paragraph of a long footnote"))
        .expect("the long footnote");
    assert_eq!(multi.select(&sel("p")).count(), 3, "{}", multi.html());
    assert!(
        text(multi).contains("Third level: {{deep}} ~~~~ must not be dropped."),
        "{}",
        text(multi)
    );
    let external: Vec<&str> = value["external"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(external.contains(&"tel:+31-70-123-4567"), "{external:?}");
    assert!(external.contains(&"//cdn.example.org/x.js"), "{external:?}");
    let calls = wiki
        .select(&sel("ol.references .reference-text"))
        .filter(|r| text(*r).to_lowercase().contains("phone call"))
        .count();
    assert_eq!(
        calls, 1,
        "sources without URL and the same title are one reference"
    );
    let to_event: Vec<_> = wiki.select(&sel("a[href='#lists']")).map(text).collect();
    assert_eq!(to_event, ["the other event", "its heading"]);
    assert!(
        wiki.select(&sel("span#lists")).next().is_some(),
        "the event's anchor"
    );
}

/// The example split into pages of at most `SPLIT_BYTES`: an index that links every period page,
/// each page within the limit, every reference resolved on its page, links only to the
/// export's own pages, and every event of the whole export on exactly one page.
#[test]
fn a_split_export_is_an_index_and_period_pages_that_link_each_other() {
    let pages = split_export(Path::new(ROOT), SPLIT_BYTES);
    assert!(
        pages.len() > 2,
        "{:?}",
        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    let titles: BTreeSet<String> = pages.iter().map(|(t, _)| t.replace(' ', "_")).collect();
    let whole = html_of(page("Kroniek example").1);
    let mut events = Vec::new();
    for (title, wikitext) in &pages {
        assert!(
            wikitext.len() <= SPLIT_BYTES,
            "{title}: {} bytes",
            wikitext.len()
        );
        let (_, value) = page(title);
        let source = value["html"].as_str().unwrap();
        assert!(
            !source.contains("cite-error") && !source.contains("class=\"error"),
            "{title}"
        );
        for link in value["links"].as_array().unwrap() {
            let target = link.as_str().unwrap().strip_prefix("0:").unwrap_or("?");
            assert!(
                titles.contains(target),
                "{title} links to {target}, not a page of the export"
            );
        }
        for table in ["templates", "categories"] {
            assert_eq!(
                value[table].as_array().map(Vec::len),
                Some(0),
                "{title}: {table}"
            );
        }
        events.extend(html_of(value).select(&sel("h3")).map(text));
    }
    let index = &pages
        .iter()
        .find(|(t, _)| !t.contains('('))
        .expect("an index page")
        .1;
    for (title, _) in pages.iter().filter(|(t, _)| t.contains('(')) {
        assert!(
            index.contains(&format!("[[{title}|")),
            "the index links {title}"
        );
    }
    let all: Vec<String> = whole.select(&sel("h3")).map(text).collect();
    assert_eq!(events, all, "every event on one page, in order");
}

/// Too large for one page and no folder to write pages into: a usage error that says what to
/// do, and nothing written.
#[test]
fn a_split_export_needs_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.wiki");
    let run = kroniek(&[
        "export",
        ROOT,
        "--format",
        "mediawiki",
        "--max-bytes",
        "8000",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("larger than --max-bytes (8000 bytes)") && stderr.contains("-o DIR/"),
        "{stderr}"
    );
    assert!(!file.exists());
    // Pages are cut between days only: a day too large for one page is an error, at its file.
    let tiny = dir.path().join("tiny/");
    let run = kroniek(&[
        "export",
        ROOT,
        "--format",
        "mediawiki",
        "--max-bytes",
        "1500",
        "-o",
        tiny.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("make a MediaWiki page of") && stderr.contains("above --max-bytes (1500)"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/2024-"), "{stderr}");
    assert!(!tiny.exists(), "nothing is written");
    // A folder that exists gets a page that fits as one file, named after its page.
    let folder = dir.path().join("wiki");
    std::fs::create_dir(&folder).unwrap();
    let site = Path::new(ROOT).join("tests/fixtures/footnotes");
    let run = kroniek(&[
        "export",
        site.to_str().unwrap(),
        "--format",
        "mediawiki",
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["Footnotes everywhere a stress test.wiki"]);
    assert_eq!(
        std::fs::read_to_string(folder.join("Footnotes everywhere a stress test.wiki")).unwrap(),
        export(&site, "mediawiki", &[])
    );
    let inside = format!("{ROOT}/content/pages/");
    let run = kroniek(&[
        "export",
        ROOT,
        "--format",
        "mediawiki",
        "--max-bytes",
        "8000",
        "-o",
        &inside,
    ]);
    assert_ne!(run.status.code(), Some(0));
    assert!(
        !Path::new(&inside).exists(),
        "nothing is written inside content/"
    );
}

// ---------------------------------------------------------------------------------------------
// The Markdown export as cmark-gfm (GitHub's renderer) reads it

/// `cmark-gfm` with GitHub's extensions, raw HTML left out as GitHub does. A missing
/// cmark-gfm fails the test.
fn cmark_gfm(markdown: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("cmark-gfm")
        .args([
            "-e",
            "footnotes",
            "-e",
            "table",
            "-e",
            "strikethrough",
            "-e",
            "autolink",
        ])
        .args(["-e", "tasklist"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run cmark-gfm ({e}); run scripts/test, which installs it")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(markdown.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// cmark-gfm reads the Markdown export of every site with the headings of the HTML export in
/// order, as many note references, each leading to its footnote, and nothing left out as raw
/// HTML (comrak's `<!-- end list -->` was, and showed as text where HTML is off).
#[test]
fn cmark_gfm_reads_the_markdown_export_as_the_html_export_shows_it() {
    for (name, site) in sites() {
        let rendered = cmark_gfm(&export(&site, "markdown", &[]));
        assert!(
            !rendered.contains("raw HTML omitted"),
            "{name}: raw HTML in\n{rendered}"
        );
        let md = Html::parse_fragment(&rendered);
        let html = Html::parse_document(&export(&site, "html", &[]));
        let title = html.select(&sel("main h1")).map(text).next().unwrap();
        let mut expected = vec![(1, title)];
        expected.extend(html_headings(&html));
        let headings: Vec<(u8, String)> = md
            .select(&sel("h1,h2,h3,h4,h5,h6"))
            .filter(|h| h.value().id() != Some("footnote-label"))
            .map(|h| (h.value().name()[1..].parse().unwrap(), text(h)))
            .collect();
        assert_eq!(headings, expected, "{name}: headings");
        let refs: Vec<_> = md.select(&sel("sup.footnote-ref a")).collect();
        let markers = html.select(&sel("main sup.note-ref")).count();
        assert_eq!(refs.len(), markers, "{name}: note references");
        for r in refs {
            let id = r.value().attr("href").unwrap().trim_start_matches('#');
            let note = md
                .select(&sel("section.footnotes li"))
                .find(|li| li.value().id() == Some(id))
                .unwrap_or_else(|| panic!("{name}: {id} leads nowhere"));
            assert!(
                !text(note).trim_end_matches('↩').trim().is_empty(),
                "{name}: {id} is empty"
            );
        }
        let links: BTreeSet<String> = md
            .select(&sel("a[href]"))
            .filter_map(|a| a.value().attr("href"))
            // Relative links lead nowhere outside the site, in either file.
            .filter(|h| h.contains(':') || h.starts_with("//"))
            .map(decoded)
            .collect();
        let site_links = html_links(&html);
        let published = |url: &str| {
            base_url(&site)
                .and_then(|b| url.strip_prefix(&b).map(str::to_string))
                .is_some_and(|path| site.join("content").join(path).is_file())
        };
        let extra: Vec<_> = links
            .difference(&site_links)
            .filter(|u| !published(u))
            .collect();
        assert!(
            extra.is_empty(),
            "{name}: links the HTML export does not have: {extra:?}"
        );
        let shown = text(md.root_element());
        let expected_text = html.select(&sel("main")).map(text).collect::<String>();
        assert!(
            shown.matches("[^").count() <= expected_text.matches("[^").count(),
            "{name}: a footnote label shows as text:\n{shown}"
        );
    }
}
