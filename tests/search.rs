//! The search index as built: the form on the timeline, its periods and the organisation pages
//! points at the manifest from every depth; the manifest names every file of the index and no
//! other; a shard holds only terms that begin with its key. What the search finds is tested in
//! a browser (tests/browser/search.mjs) and, for who may see what, in tests/visibility.rs.

use std::collections::BTreeSet;
use std::path::Path;

mod common;

use common::build_into;

/// `kroniekSearch.add("<name>", <json>);` -> (name, json).
fn registered(text: &str) -> (String, serde_json::Value) {
    let rest = text
        .strip_prefix("kroniekSearch.add(\"")
        .expect("registers itself");
    let (name, json) = rest.split_once("\",").unwrap();
    let json = json.trim_end().strip_suffix(");").unwrap();
    (name.to_string(), serde_json::from_str(json).unwrap())
}

#[test]
fn every_list_page_points_at_the_index_and_the_index_is_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_dir(&root.join("content"), &site.join("content"));
    let index = site.join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replacen("---\n", "---\npage_size: 10\n", 1)).unwrap();
    let out = dir.path().join("public");
    build_into(&site, &out, &[]);

    let form = |page: &str| -> Option<String> {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let at = html.find("<form class=\"site-search\" role=\"search\" hidden data-index=\"")?;
        let rest = &html[at..];
        let start = rest.find("data-index=\"").unwrap() + 12;
        Some(rest[start..start + rest[start..].find('"').unwrap()].to_string())
    };
    let manifest_of = |page: &str| {
        let href = form(page).unwrap_or_else(|| panic!("no search form on {page}"));
        let file = out.join(Path::new(page).parent().unwrap()).join(&href);
        std::fs::canonicalize(&file).unwrap_or_else(|_| panic!("{page}: {href} is missing"))
    };
    let manifest = manifest_of("index.html");
    for page in ["timeline/2024-06/index.html", "orgs/ncsc/index.html"] {
        assert_eq!(manifest_of(page), manifest, "{page}");
    }
    for page in [
        "events/kamer-geinformeerd/index.html",
        "sources/index.html",
        "404.html",
    ] {
        assert_eq!(form(page), None, "no search on {page}");
    }

    let (name, manifest) = registered(&std::fs::read_to_string(&manifest).unwrap());
    assert_eq!(name, "index");
    assert_eq!(manifest["count"], 14);
    let folder = out.join("assets/search");
    let mut named = BTreeSet::new();
    for file in manifest["docs"].as_array().unwrap() {
        named.insert(file.as_str().unwrap().to_string());
    }
    for pair in manifest["shards"].as_array().unwrap() {
        let (key, file) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        named.insert(file.to_string());
        let (stem, terms) = registered(&std::fs::read_to_string(folder.join(file)).unwrap());
        assert!(
            file.starts_with(&format!("{stem}.")),
            "{file} registers as {stem}"
        );
        for term in terms.as_array().unwrap() {
            let term = term[0].as_str().unwrap();
            assert!(term.starts_with(key), "`{term}` in the shard of `{key}`");
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("index."))
        .collect();
    assert_eq!(
        on_disk, named,
        "the manifest names every file of the index, and only those"
    );
    // The accented word is found by its plain form: `geinformeerd` is a term.
    let shard = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| "geinformeerd".starts_with(p[0].as_str().unwrap()))
        .unwrap();
    let (_, terms) =
        registered(&std::fs::read_to_string(folder.join(shard[1].as_str().unwrap())).unwrap());
    assert!(terms
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t[0] == "geinformeerd"));
}
