//! Which files of `content/` reach the output: a build that succeeds (with warnings) must
//! still copy no backup of a draft, no hidden file, no clutter, and nothing a link leads to
//! outside the folder; links that stay inside are followed. The errors themselves are pinned
//! in tests/bad/markdown-copies and tests/bad/symlink-outside.

#![cfg(unix)]

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const SECRET: &str = "Not to be published yet.";

/// A good site with `extra` files (name, bytes of the name) written into `content/`.
fn site_with(dir: &Path, extra: &[&[u8]]) -> PathBuf {
    let site = dir.join("site");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/good");
    common::copy_dir(&good.join("content"), &site.join("content"));
    for name in extra {
        let file = site.join("content").join(std::ffi::OsStr::from_bytes(name));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(
            file,
            format!("---\ntitle: \"Draft\"\ndraft: true\n---\n{SECRET}\n"),
        )
        .unwrap();
    }
    site
}

fn build(site: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

/// Every file of the output, by path inside it, lossily.
fn files(out: &Path) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn backups_hidden_files_and_clutter_are_never_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(
        tmp.path(),
        &[
            b"2024-06-05-x.md~",
            b"2024-06-05-x.md.orig",
            b"2024-06-05-x.md.bak",
            b"#2024-06-05-x.md#",
            b".2024-06-05-x.md.swp",
            b"sub/_index.md.old",
            b".caf\xe9.md",
            b".git/config",
            b"Thumbs.db",
            b"photo.png~",
        ],
    );
    std::fs::write(site.join("content/photo.png"), "PNG").unwrap();
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let copied = files(&out);
    assert!(copied.contains(&"photo.png".to_string()), "{copied:?}");
    for file in &copied {
        let name = Path::new(file).file_name().unwrap().to_string_lossy();
        assert!(
            !name.contains(".md") && !name.contains("Thumbs") && !name.ends_with('~'),
            "{file} was copied"
        );
        assert!(
            !file.contains(".git") && !file.contains(".caf"),
            "{file} was copied"
        );
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{file} holds the draft's text"
        );
    }
}

#[test]
fn links_inside_content_are_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(tmp.path(), &[]);
    let content = site.join("content");
    std::fs::create_dir_all(content.join("media")).unwrap();
    std::fs::write(content.join("media/photo.png"), "PNG").unwrap();
    symlink("media/photo.png", content.join("alias.png")).unwrap();
    // A link to a link, one folder down and back up.
    symlink("../alias.png", content.join("media/chain.png")).unwrap();
    symlink("media", content.join("pictures")).unwrap();
    // Out of content/ and back in again by `..`: still inside.
    symlink(
        "../../site/content/media/photo.png",
        content.join("round.png"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let copied = files(&out);
    for file in [
        "alias.png",
        "pictures/photo.png",
        "round.png",
        "media/photo.png",
    ] {
        assert!(
            copied.contains(&file.to_string()),
            "{file} missing: {copied:?}"
        );
    }
}

#[test]
fn a_content_folder_that_is_a_link_out_of_the_site_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = site_with(&tmp.path().join("elsewhere"), &[]);
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    assert!(elsewhere.join("content").is_dir());
    symlink("../elsewhere/site/content", site.join("content")).unwrap();
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr
            .contains("error: symbolic link to ../elsewhere/site/content, outside the site folder"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content"), "{stderr}");
    assert!(!out.exists());
}
