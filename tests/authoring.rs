//! `kroniek init` and `kroniek new` through the library API: the template builds cleanly in
//! both languages, `new` writes the file an author expects (read back with serde_yaml), and
//! every refusal leaves the folder as it was.

use kroniek::audience::{Audience, Reader};
use kroniek::authoring::{init, new_event, AuthoringError, NewEvent};
use kroniek::model::{DateError, Language};
use kroniek::BuildOptions;
use serde_yaml::{Mapping, Value};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A fresh site from the template, in a folder that did not exist before.
fn new_site(language: Language) -> (TempDir, PathBuf) {
    let temp = TempDir::new().unwrap();
    let site = temp.path().join("site");
    init(&site, language).unwrap();
    (temp, site)
}

fn request(title: &str, date: &str) -> NewEvent {
    NewEvent {
        title: title.into(),
        date: date.into(),
        orgs: vec!["gemeente".into()],
        ..NewEvent::default()
    }
}

/// The front matter of a written file, parsed by serde_yaml.
fn front_matter(path: &Path) -> Mapping {
    let text = fs::read_to_string(path).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(yaml, _)| yaml)
        .unwrap_or_else(|| panic!("no front matter in {text}"));
    serde_yaml::from_str(yaml).unwrap()
}

fn field<'a>(fields: &'a Mapping, key: &str) -> &'a Value {
    fields
        .get(key)
        .unwrap_or_else(|| panic!("no `{key}` in {fields:?}"))
}

fn text(fields: &Mapping, key: &str) -> String {
    match field(fields, key) {
        Value::String(s) => s.clone(),
        other => panic!("`{key}` is not a string: {other:?}"),
    }
}

fn strings(fields: &Mapping, key: &str) -> Vec<String> {
    match field(fields, key) {
        Value::Sequence(items) => items
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect(),
        other => panic!("`{key}` is not a list: {other:?}"),
    }
}

fn build(site: &Path, output: &Path, drafts: bool) -> kroniek::BuildReport {
    kroniek::build(&BuildOptions {
        site: site.to_path_buf(),
        output: Some(output.to_path_buf()),
        base_url: None,
        audience: Audience {
            reader: Reader::Public,
            drafts,
        },
    })
    .unwrap_or_else(|e| panic!("build failed: {e:?}"))
}

/// Every file under `dir`, relative, with its contents: to show that a refusal changed nothing.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

// --- init ------------------------------------------------------------------------------------

fn assert_template_is_clean(language: Language, lang: &str) {
    let (temp, site) = new_site(language);
    let problems = kroniek::check(&site);
    assert!(problems.is_empty(), "check found problems: {problems:#?}");

    let report = build(&site, &temp.path().join("public"), false);
    assert_eq!(report.events, 2);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let index = fs::read_to_string(report.output.join("index.html")).unwrap();
    assert!(index.contains(&format!("lang=\"{lang}\"")));
    let pages = fs::read_dir(report.output.join("events")).unwrap().count();
    assert_eq!(pages, 2);
}

#[test]
fn init_nl_builds_and_checks_cleanly() {
    assert_template_is_clean(Language::Nl, "nl");
}

#[test]
fn init_en_builds_and_checks_cleanly() {
    assert_template_is_clean(Language::En, "en");
}

#[test]
fn init_returns_the_files_it_wrote() {
    let temp = TempDir::new().unwrap();
    let files = init(temp.path(), Language::Nl).unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0], temp.path().join("content/_index.md"));
    for file in &files {
        assert!(file.is_file(), "{} not written", file.display());
    }
    let written: Vec<PathBuf> = snapshot(temp.path()).into_iter().map(|(p, _)| p).collect();
    assert_eq!(written.len(), files.len());
}

#[test]
fn init_template_cites_one_source_and_not_the_other() {
    let temp = TempDir::new().unwrap();
    let files = init(temp.path(), Language::En).unwrap();
    let bodies: Vec<String> = files[1..]
        .iter()
        .map(|f| fs::read_to_string(f).unwrap())
        .collect();
    assert!(bodies[0].contains("[^news-item]"));
    assert!(!bodies[1].contains("[^"));
    let nl = TempDir::new().unwrap();
    let fields = front_matter(&init(nl.path(), Language::Nl).unwrap()[0]);
    assert_eq!(text(&fields, "timezone"), "Europe/Amsterdam");
    assert_eq!(text(&fields, "language"), "nl");
}

#[test]
fn init_accepts_an_existing_empty_folder() {
    let temp = TempDir::new().unwrap();
    init(temp.path(), Language::En).unwrap();
    assert!(kroniek::check(temp.path()).is_empty());
}

#[test]
fn init_refuses_a_non_empty_folder_and_leaves_it_alone() {
    let temp = TempDir::new().unwrap();
    fs::write(temp.path().join("notes.txt"), "keep me").unwrap();
    let before = snapshot(temp.path());
    let err = init(temp.path(), Language::Nl).unwrap_err();
    assert!(matches!(err, AuthoringError::NotEmpty { .. }), "{err:?}");
    assert!(err.to_string().contains("is not empty"), "{err}");
    assert_eq!(snapshot(temp.path()), before);
}

#[test]
fn init_refuses_a_file() {
    let temp = TempDir::new().unwrap();
    let file = temp.path().join("site");
    fs::write(&file, "not a folder").unwrap();
    let err = init(&file, Language::Nl).unwrap_err();
    assert!(
        matches!(err, AuthoringError::NotADirectory { .. }),
        "{err:?}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a folder");
}

// --- new -------------------------------------------------------------------------------------

#[test]
fn new_writes_a_dated_file_with_every_field() {
    let (_temp, site) = new_site(Language::Nl);
    let mut req = request("Overleg met Cisco", "2024-06-06");
    req.orgs = vec!["gemeente".into(), "leverancier".into(), "gemeente".into()];
    let path = new_event(&site, &req).unwrap();
    assert_eq!(path, site.join("content/2024-06-06-overleg-met-cisco.md"));

    let fields = front_matter(&path);
    assert_eq!(text(&fields, "title"), "Overleg met Cisco");
    assert_eq!(text(&fields, "date"), "2024-06-06");
    assert!(fields.get("time").is_none());
    assert_eq!(strings(&fields, "orgs"), ["gemeente", "leverancier"]);
    assert_eq!(strings(&fields, "tags"), Vec::<String>::new());
    assert_eq!(field(&fields, "major"), &Value::Bool(false));
    assert_eq!(field(&fields, "sources"), &Value::Sequence(vec![]));
    assert_eq!(field(&fields, "draft"), &Value::Bool(false));
    assert_eq!(field(&fields, "internal"), &Value::Bool(false));

    let text = fs::read_to_string(&path).unwrap();
    assert!(text.ends_with("---\n"), "the body is empty: {text}");
    assert!(!text.contains("<!--"), "no HTML comments: {text}");
}

#[test]
fn new_event_builds_with_only_an_unsourced_warning() {
    let (temp, site) = new_site(Language::Nl);
    let path = new_event(&site, &request("Kamer geïnformeerd", "2024-06-05")).unwrap();
    assert_eq!(path, site.join("content/2024-06-05-kamer-geinformeerd.md"));

    let problems = kroniek::check(&site);
    let codes: Vec<_> = problems.iter().map(|p| (p.code, p.is_error())).collect();
    assert_eq!(codes, [("unsourced", false)], "{problems:#?}");

    let report = build(&site, &temp.path().join("public"), false);
    assert_eq!(report.events, 3);
    assert!(report
        .output
        .join("events/kamer-geinformeerd/index.html")
        .is_file());
}

#[test]
fn new_titles_with_yaml_syntax_round_trip() {
    let (temp, site) = new_site(Language::Nl);
    let title = r#"Besluit: "overleg" #1 — geïnformeerd \ 'klaar'"#;
    let mut req = request(title, "2024-06-07");
    req.time = Some("einde dag: \"laat\" # echt".into());
    let path = new_event(&site, &req).unwrap();
    assert_eq!(
        path,
        site.join("content/2024-06-07-besluit-overleg-1-geinformeerd-klaar.md")
    );
    let fields = front_matter(&path);
    assert_eq!(text(&fields, "title"), title);
    assert_eq!(text(&fields, "time"), "einde dag: \"laat\" # echt");

    // And kroniek itself reads the same title.
    let report = build(&site, &temp.path().join("public"), false);
    let page = fs::read_to_string(
        report
            .output
            .join("events/besluit-overleg-1-geinformeerd-klaar/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("Besluit: &quot;overleg&quot; #1 — geïnformeerd"),
        "{page}"
    );
}

#[test]
fn new_title_whitespace_becomes_one_line() {
    let (_temp, site) = new_site(Language::Nl);
    let path = new_event(&site, &request("  Twee\nregels\t titel ", "2024-06-07")).unwrap();
    assert_eq!(text(&front_matter(&path), "title"), "Twee regels titel");
}

#[test]
fn new_draft_is_built_only_with_drafts() {
    let (temp, site) = new_site(Language::Nl);
    let mut req = request("Concept van de brief", "2024-06-06");
    req.draft = true;
    let path = new_event(&site, &req).unwrap();
    assert_eq!(field(&front_matter(&path), "draft"), &Value::Bool(true));

    let page = "events/concept-van-de-brief/index.html";
    let with = build(&site, &temp.path().join("with-drafts"), true);
    assert!(with.output.join(page).is_file());
    let without = build(&site, &temp.path().join("public"), false);
    assert!(!without.output.join(page).exists());
}

#[test]
fn new_time_label_is_kept_as_time() {
    let (_temp, site) = new_site(Language::Nl);
    let mut req = request("Besluit genomen", "2024-06-04");
    req.time = Some("einde dag".into());
    let path = new_event(&site, &req).unwrap();
    assert_eq!(path, site.join("content/2024-06-04-besluit-genomen.md"));
    let fields = front_matter(&path);
    assert_eq!(text(&fields, "date"), "2024-06-04");
    assert_eq!(text(&fields, "time"), "einde dag");
}

#[test]
fn new_clock_time_joins_the_date() {
    let (_temp, site) = new_site(Language::Nl);
    let mut req = request("Overleg", "2024-06-04");
    req.time = Some("9:05".into());
    let path = new_event(&site, &req).unwrap();
    assert_eq!(path, site.join("content/2024-06-04-overleg.md"));
    let fields = front_matter(&path);
    assert_eq!(text(&fields, "date"), "2024-06-04T09:05");
    assert!(fields.get("time").is_none());
    assert!(kroniek::check(&site).iter().all(|p| !p.is_error()));
}

#[test]
fn new_date_time_gives_the_day_in_the_file_name() {
    let (_temp, site) = new_site(Language::Nl);
    let path = new_event(&site, &request("Middagoverleg", "2024-06-04T14:30")).unwrap();
    assert_eq!(path, site.join("content/2024-06-04-middagoverleg.md"));
    assert_eq!(text(&front_matter(&path), "date"), "2024-06-04T14:30");
    assert!(kroniek::check(&site).iter().all(|p| !p.is_error()));
}

#[test]
fn new_month_and_year_dates() {
    let (_temp, site) = new_site(Language::Nl);
    let month = new_event(&site, &request("Crisisorganisatie opgestart", "2024-06")).unwrap();
    assert_eq!(
        month,
        site.join("content/2024-06-crisisorganisatie-opgestart.md")
    );
    assert_eq!(text(&front_matter(&month), "date"), "2024-06");

    // A file name with only a year gives no date, so the year lives in the front matter only.
    let year = new_event(&site, &request("Achtergrond", "2024")).unwrap();
    assert_eq!(year, site.join("content/achtergrond.md"));
    assert_eq!(
        field(&front_matter(&year), "date"),
        &Value::Number(2024.into())
    );
    assert!(kroniek::check(&site).iter().all(|p| !p.is_error()));
}

#[test]
fn new_refuses_a_clock_time_without_a_day() {
    let (_temp, site) = new_site(Language::Nl);
    let before = snapshot(&site);
    for (date, needle) in [
        ("2024-06", "needs a day"),
        ("2024-06-04T10:00", "has a time"),
    ] {
        let mut req = request("Overleg", date);
        req.time = Some("14:30".into());
        let err = new_event(&site, &req).unwrap_err();
        assert!(matches!(err, AuthoringError::InvalidTime { .. }), "{err:?}");
        assert!(err.to_string().contains(needle), "{err}");
    }
    assert_eq!(snapshot(&site), before);
}

#[test]
fn new_refuses_a_time_in_the_daylight_saving_gap() {
    let (_temp, site) = new_site(Language::Nl);
    let mut req = request("Nachtdienst", "2024-03-31");
    req.time = Some("02:30".into());
    let err = new_event(&site, &req).unwrap_err();
    assert!(err.to_string().contains("daylight saving"), "{err}");
}

#[test]
fn new_refuses_an_unknown_org_with_a_suggestion() {
    let (_temp, site) = new_site(Language::Nl);
    let before = snapshot(&site);
    let mut req = request("Overleg", "2024-06-04");
    req.orgs = vec!["gemeente".into(), "leverancer".into()];
    let err = new_event(&site, &req).unwrap_err();
    match &err {
        AuthoringError::UnknownOrg {
            key, suggestion, ..
        } => {
            assert_eq!(key, "leverancer");
            assert_eq!(suggestion.as_deref(), Some("leverancier"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "unknown organisation `leverancer`; did you mean `leverancier`?"
    );

    req.orgs = vec!["ncsc".into()];
    let message = new_event(&site, &req).unwrap_err().to_string();
    assert!(message.contains("`gemeente`, `leverancier`"), "{message}");
    assert!(
        message.contains("add `ncsc` to `organisations`"),
        "{message}"
    );
    assert_eq!(snapshot(&site), before);
}

#[test]
fn new_never_overwrites_a_file() {
    let (_temp, site) = new_site(Language::Nl);
    let mut req = request("Overleg", "2024-06-04");
    req.draft = true;
    let path = new_event(&site, &req).unwrap();
    fs::write(&path, fs::read_to_string(&path).unwrap() + "Mijn tekst.\n").unwrap();
    let before = snapshot(&site);

    req.draft = false;
    let err = new_event(&site, &req).unwrap_err();
    assert!(
        matches!(&err, AuthoringError::FileExists { path: p } if *p == path),
        "{err:?}"
    );
    assert!(err.to_string().contains("2024-06-04-overleg.md"), "{err}");
    assert!(err.to_string().contains("never overwrites"), "{err}");
    assert_eq!(snapshot(&site), before);
}

#[test]
fn new_refuses_a_slug_another_event_has() {
    let (_temp, site) = new_site(Language::Nl);
    new_event(&site, &request("Overleg", "2024-06-04")).unwrap();
    let before = snapshot(&site);
    let err = new_event(&site, &request("Overleg", "2024-06-05")).unwrap_err();
    match &err {
        AuthoringError::DuplicateSlug { slug, existing } => {
            assert_eq!(slug, "overleg");
            assert_eq!(existing, Path::new("content/2024-06-04-overleg.md"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .contains("already used by content/2024-06-04-overleg.md"),
        "{err}"
    );
    assert_eq!(snapshot(&site), before);
}

#[test]
fn new_refuses_a_slug_of_a_broken_event_in_a_sub_folder() {
    let (_temp, site) = new_site(Language::Nl);
    fs::create_dir(site.join("content/2024-06")).unwrap();
    fs::write(
        site.join("content/2024-06/2024-06-01-overleg.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .unwrap();
    let err = new_event(&site, &request("Overleg", "2024-06-04")).unwrap_err();
    assert!(
        matches!(err, AuthoringError::DuplicateSlug { .. }),
        "{err:?}"
    );
}

#[test]
fn new_refuses_a_bad_date_with_the_date_error() {
    let (_temp, site) = new_site(Language::Nl);
    let before = snapshot(&site);
    let err = new_event(&site, &request("Overleg", "2024-02-30")).unwrap_err();
    assert!(matches!(err, AuthoringError::InvalidDate { .. }), "{err:?}");
    let expected = DateError::NoSuchDate("2024-02-30".into()).to_string();
    assert!(err.to_string().contains(&expected), "{err}");

    let err = new_event(&site, &request("Overleg", "4 juni")).unwrap_err();
    assert!(err.to_string().contains("expected a date like"), "{err}");
    assert_eq!(snapshot(&site), before);
}

#[test]
fn new_refuses_titles_without_a_slug() {
    let (_temp, site) = new_site(Language::Nl);
    let err = new_event(&site, &request("   ", "2024-06-04")).unwrap_err();
    assert!(matches!(err, AuthoringError::MissingTitle), "{err:?}");
    let err = new_event(&site, &request("?!—", "2024-06-04")).unwrap_err();
    assert!(matches!(err, AuthoringError::EmptySlug { .. }), "{err:?}");
}

#[test]
fn new_refuses_a_folder_without_a_site() {
    let temp = TempDir::new().unwrap();
    let err = new_event(temp.path(), &request("Overleg", "2024-06-04")).unwrap_err();
    match &err {
        AuthoringError::Site { problems, .. } => {
            assert_eq!(problems[0].code, "missing-content")
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("no `content` folder"), "{err}");
    assert!(snapshot(temp.path()).is_empty());
}

#[test]
fn new_refuses_a_site_whose_settings_are_broken() {
    let (_temp, site) = new_site(Language::Nl);
    let index = site.join("content/_index.md");
    let text = fs::read_to_string(&index).unwrap();
    fs::write(&index, text.replace("Europe/Amsterdam", "Europe/Amsterdm")).unwrap();
    let err = new_event(&site, &request("Overleg", "2024-06-04")).unwrap_err();
    assert!(matches!(err, AuthoringError::Site { .. }), "{err:?}");
    assert!(err.to_string().contains("content/_index.md:"), "{err}");
    assert!(err.to_string().contains("unknown time zone"), "{err}");
}

#[test]
fn new_ignores_errors_in_other_events() {
    let (_temp, site) = new_site(Language::Nl);
    fs::write(
        site.join("content/2024-06-01-kapot.md"),
        "---\ntitle: \"Kapot\"\norgs: [onbekend]\n---\n",
    )
    .unwrap();
    new_event(&site, &request("Overleg", "2024-06-04")).unwrap();
}

#[test]
fn new_in_an_english_site_writes_english_comments() {
    let (_temp, site) = new_site(Language::En);
    let mut req = request("Meeting with the supplier", "2024-06-04");
    req.orgs = vec!["supplier".into()];
    let path = new_event(&site, &req).unwrap();
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains("# Below the closing `---`"), "{text}");
    assert!(!text.contains("Onder de"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// The command line: what an author types, what they read back, and the exit status.

/// Runs the `kroniek` binary in `dir`; returns (exit code, stdout, stderr).
fn kroniek_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_init_lists_the_files_and_says_what_to_do_next() {
    let temp = TempDir::new().unwrap();
    let (code, out, err) = kroniek_in(temp.path(), &["init", "mysite", "--language", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("mysite/content/_index.md"), "{out}");
    assert!(out.contains("kroniek serve mysite"), "{out}");
    assert!(out.contains("kroniek new mysite"), "{out}");
    let index = fs::read_to_string(temp.path().join("mysite/content/_index.md")).unwrap();
    assert!(index.contains("language: en"), "{index}");

    // A second init into the same folder is refused with exit 2 and changes nothing.
    let before = fs::read_to_string(temp.path().join("mysite/content/_index.md")).unwrap();
    let (code, _, err) = kroniek_in(temp.path(), &["init", "mysite"]);
    assert_eq!(code, 2);
    assert!(err.contains("`mysite` is not empty"), "{err}");
    assert_eq!(
        fs::read_to_string(temp.path().join("mysite/content/_index.md")).unwrap(),
        before
    );
}

#[test]
fn cli_init_rejects_an_unknown_language_as_a_usage_error() {
    let temp = TempDir::new().unwrap();
    let (code, _, err) = kroniek_in(temp.path(), &["init", "s", "--language", "fr"]);
    assert_eq!(code, 2);
    assert!(err.contains("use `nl` or `en`"), "{err}");
    assert!(!temp.path().join("s").exists());
}

#[test]
fn cli_new_takes_the_site_as_an_optional_first_argument() {
    let (_temp, site) = new_site(Language::Nl);
    // In the site folder: the title alone.
    let (code, out, err) = kroniek_in(
        &site,
        &[
            "new",
            "Overleg met Cisco",
            "--date",
            "2024-03-13",
            "--org",
            "gemeente",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "content/2024-03-13-overleg-met-cisco.md");
    assert!(site
        .join("content/2024-03-13-overleg-met-cisco.md")
        .is_file());

    // From elsewhere: the site first, with a time label and a draft flag.
    let parent = site.parent().unwrap();
    let (code, out, err) = kroniek_in(
        parent,
        &[
            "new",
            "site",
            "Besluit einde dag",
            "--date",
            "2024-03-13",
            "--time",
            "einde dag",
            "--draft",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let path = PathBuf::from(out.trim());
    assert_eq!(
        path,
        Path::new("site/content/2024-03-13-besluit-einde-dag.md")
    );
    let fields = front_matter(&parent.join(&path));
    assert_eq!(text(&fields, "time"), "einde dag");
    assert_eq!(field(&fields, "draft"), &Value::Bool(true));
}

#[test]
fn cli_new_exit_status_separates_typing_mistakes_from_site_problems() {
    let (_temp, site) = new_site(Language::Nl);
    let files_before = fs::read_dir(site.join("content")).unwrap().count();

    // Mistakes in the arguments: exit 2, with the advice in the message.
    let (code, _, err) = kroniek_in(&site, &["new", "X", "--date", "2024-02-30"]);
    assert_eq!(code, 2);
    assert!(err.contains("2024-02-30"), "{err}");
    let (code, _, err) = kroniek_in(
        &site,
        &["new", "X", "--date", "2024-03-13", "--org", "gemente"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `gemeente`?"), "{err}");
    let (code, _, _) = kroniek_in(&site, &["new", "--date", "2024-03-13"]);
    assert_eq!(code, 2, "a missing title is a usage error");

    // The file is already there: exit 1, and it is not touched.
    let (code, _, err) = kroniek_in(&site, &["new", "X", "--date", "2024-03-13"]);
    assert_eq!(code, 0, "{err}");
    let path = site.join("content/2024-03-13-x.md");
    fs::write(&path, "mine").unwrap();
    let (code, _, err) = kroniek_in(&site, &["new", "X", "--date", "2024-03-13"]);
    assert_eq!(code, 1);
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "mine");

    // A site with errors: every problem printed with its location, exit 1.
    fs::remove_file(&path).unwrap();
    let index = site.join("content/_index.md");
    let broken = fs::read_to_string(&index)
        .unwrap()
        .replacen("timezone:", "timezone: [", 1);
    fs::write(&index, broken).unwrap();
    let (code, _, err) = kroniek_in(&site, &["new", "Y", "--date", "2024-03-13"]);
    assert_eq!(code, 1);
    assert!(err.contains("content/_index.md:"), "{err}");
    assert_eq!(
        fs::read_dir(site.join("content")).unwrap().count(),
        files_before
    );
}

#[test]
fn cli_init_speaks_english_unless_told_otherwise() {
    let temp = TempDir::new().unwrap();
    let (code, _, err) = kroniek_in(temp.path(), &["init", "mysite"]);
    assert_eq!(code, 0, "{err}");
    let index = fs::read_to_string(temp.path().join("mysite/content/_index.md")).unwrap();
    assert!(index.contains("language: en"), "{index}");
}

#[test]
fn new_takes_every_field_an_author_sets_from_the_command_line() {
    let (_temp, site) = new_site(Language::En);
    fs::write(
        site.join("content/sources.yaml"),
        "letter:\n  title: \"Letter to parliament\"\n  url: \"https://example.org/letter\"\n",
    )
    .unwrap();
    let (code, out, err) = kroniek_in(
        &site,
        &[
            "new",
            "DigiNotar's certificates revoked",
            "--date",
            "2011-09-02",
            "--end",
            "2011-09-05",
            "--org",
            "supplier",
            "--tag",
            "revocation",
            "--tag",
            "browsers",
            "--source",
            "letter",
            "--major",
            "--internal",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // The apostrophe joins the word.
    assert_eq!(
        out.trim(),
        "content/2011-09-02-diginotars-certificates-revoked.md"
    );
    let fields = front_matter(&site.join(out.trim()));
    assert_eq!(text(&fields, "end"), "2011-09-05");
    assert_eq!(strings(&fields, "tags"), ["revocation", "browsers"]);
    assert_eq!(strings(&fields, "sources"), ["letter"]);
    assert_eq!(field(&fields, "major"), &Value::Bool(true));
    assert_eq!(field(&fields, "internal"), &Value::Bool(true));
    assert_eq!(field(&fields, "draft"), &Value::Bool(false));
    let problems = kroniek::check(&site);
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");

    let (code, _, err) = kroniek_in(
        &site,
        &["new", "Other", "--date", "2011-09-02", "--source", "leter"],
    );
    assert_eq!(
        (code, err.trim()),
        (2, "error: unknown source `leter`; did you mean `letter`?")
    );
    let (code, _, err) = kroniek_in(
        &site,
        &[
            "new",
            "Other",
            "--date",
            "2011-09-02",
            "--end",
            "2011-09-01",
        ],
    );
    assert_eq!(
        (code, err.trim()),
        (
            2,
            "error: invalid end `2011-09-01`: it is before the start, 2011-09-02"
        )
    );
}

#[test]
fn new_names_the_file_after_the_day_in_the_site_zone() {
    let (_temp, site) = new_site(Language::En);
    let index = site.join("content/_index.md");
    let settings = fs::read_to_string(&index).unwrap();
    fs::write(
        &index,
        settings.replacen("timezone: UTC", "timezone: Europe/Amsterdam", 1),
    )
    .unwrap();
    // 23:15 UTC on 2 September is 01:15 on 3 September in Amsterdam, the day readers see.
    let mut req = request("Late fix", "2011-09-02T23:15Z");
    req.orgs = vec!["supplier".into()];
    let path = new_event(&site, &req).unwrap();
    assert_eq!(path, site.join("content/2011-09-03-late-fix.md"));
    assert!(kroniek::check(&site).iter().all(|p| !p.is_error()));
    // A file named after neither day is an error that names the zone.
    fs::rename(&path, site.join("content/2011-09-04-late-fix.md")).unwrap();
    let problems = kroniek::check(&site);
    let mismatch = problems.iter().find(|p| p.code == "date-mismatch").unwrap();
    assert_eq!(
        mismatch.message,
        "`date: 2011-09-02T23:15Z` is Saturday 3 September 2011 in Europe/Amsterdam, the site's time zone, and the file name says 2011-09-04"
    );
    assert_eq!(
        mismatch.hint.as_deref(),
        Some("name the file after the day in Europe/Amsterdam: start it with 2011-09-03, or remove `date:`")
    );
}
