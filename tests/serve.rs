//! `kroniek serve` over real HTTP: a server on a free loopback port, against a temporary copy
//! of a fixture site. Every wait is bounded, and the server is killed when a test ends, passed
//! or failed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

use common::{copy_dir, serve, serve_with, temp_copy, Server, PATIENCE};

fn start(fixture: &str) -> Server {
    start_with(fixture, |_| {})
}

/// Starts a server on a copy of `fixture`, changed by `prepare` first.
fn start_with(fixture: &str, prepare: impl FnOnce(&Path)) -> Server {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (dir, site) = temp_copy(&fixtures.join(fixture));
    prepare(&site);
    serve(dir, site)
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request with a raw path (sent exactly as given).
fn get(address: &str, path: &str) -> Reply {
    exchange(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    )
}

/// One exchange of raw request bytes, sent exactly as given; the reply read to the end.
fn exchange(address: &str, request: &str) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    // A reset after the answer is still an answer.
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = head.to_lowercase();
    let body = if headers.contains("transfer-encoding: chunked") {
        dechunked(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// A body sent in chunks (a content file streamed from disk), as a browser reads it.
fn dechunked(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap_or(0);
        let (Some(chunk), Some(next)) = (after.get(..size), after.get(size..)) else {
            break;
        };
        if size == 0 {
            break;
        }
        body.push_str(chunk);
        rest = next.strip_prefix("\r\n").unwrap_or(next);
    }
    body
}

/// Polls `path` until `ok` holds for the reply, or fails after `PATIENCE`.
fn wait_for(server: &Server, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let started = Instant::now();
    loop {
        let reply = get(&server.address, path);
        if ok(&reply) {
            return reply;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "waited in vain for {what}; last reply {} {}\nserver output: {:?}",
            reply.status,
            &reply.body[..reply.body.len().min(600)],
            server.output.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The public preview leaves internal events and blocks out; `--audience internal` shows them,
/// marked, so that authors can read the organisation's version too.
#[test]
fn internal_preview_shows_what_the_public_one_hides() {
    let public = start("rich");
    let page = "/events/canary-internal-7f3a/";
    assert_eq!(get(&public.address, page).status, 404);
    assert!(!get(&public.address, "/").body.contains("CANARY-BLOCK-7f3a"));
    drop(public);

    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rich"),
        &site,
    );
    let internal = serve_with(dir, site, &["--audience", "internal"]);
    let event = get(&internal.address, page);
    assert_eq!(event.status, 200);
    assert!(event.body.contains("INTERNAL"), "{}", event.body);
    let index = get(&internal.address, "/");
    assert!(index.body.contains("CANARY-BLOCK-7f3a"));
    // Drafts stay in the internal preview too.
    assert_eq!(
        get(&internal.address, "/events/canary-draft-7f3a/").status,
        200
    );
}

#[test]
fn serves_the_site_with_the_reload_client() {
    let server = start("rich");
    let index = get(&server.address, "/");
    assert_eq!(index.status, 200);
    assert!(index
        .headers
        .contains("content-type: text/html; charset=utf-8"));
    assert!(
        index
            .body
            .contains("<script src=\"/__kroniek/reload.js\" data-build=\"")
            && index.body.contains("\" defer></script></body>"),
        "{}",
        &index.body[index.body.len().saturating_sub(200)..]
    );
    let event = get(&server.address, "/events/morning-call/");
    assert_eq!(event.status, 200);
    assert!(event.body.contains("<h1"));
    // Drafts are in the preview, marked as drafts.
    let draft = get(&server.address, "/events/canary-draft-7f3a/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("DRAFT"));
    let script = get(&server.address, "/__kroniek/reload.js");
    assert!(script.headers.contains("content-type: text/javascript"));
    assert!(script.body.contains("EventSource"));
    let css = get(&server.address, "/feed.xml");
    assert!(css.headers.contains("content-type: application/atom+xml"));
    let image = get(&server.address, "/img/chart.png");
    assert_eq!(image.status, 200);
    assert!(image.headers.contains("content-type: image/png"));
    // A folder without its slash is redirected, so that relative links work.
    let redirect = get(&server.address, "/events/morning-call");
    assert_eq!(redirect.status, 301);
    assert!(redirect.headers.contains("location: /events/morning-call/"));
}

#[test]
fn unknown_paths_get_the_site_404_page() {
    let server = start("rich");
    let reply = get(&server.address, "/no/such/page/");
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("Page not found"), "{}", reply.body);
    assert!(reply.body.contains("/__kroniek/reload.js"));
}

#[test]
fn traversal_attempts_are_refused() {
    let server = start("rich");
    // A file outside the site, next to it, that a traversal would reach.
    std::fs::write(
        server.site.parent().unwrap().join("secret.txt"),
        "TOP-SECRET",
    )
    .unwrap();
    for attempt in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/events/%2e%2e/%2e%2e/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/content/_index.md",
        "/%00",
    ] {
        let reply = get(&server.address, attempt);
        assert!(
            [400, 403, 404].contains(&reply.status),
            "{attempt} answered {}",
            reply.status
        );
        assert!(
            !reply.body.contains("TOP-SECRET") && !reply.body.contains("root:"),
            "{attempt}"
        );
    }
}

#[test]
fn symlinks_out_of_the_site_are_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "TOP-SECRET").unwrap();
    let server = start("rich");
    std::os::unix::fs::symlink(&outside, server.site.join("content/img/leak.txt")).unwrap();
    // The new file triggers a rebuild, which fails on the link (the load stage's rule, the
    // same as `build`'s); the preview shows the error and never serves the target.
    wait_for(&server, "/", "the link to be reported", |r| {
        r.body.contains("kroniek-errors") && r.body.contains("outside the content folder")
    });
    let reply = get(&server.address, "/img/leak.txt");
    assert_ne!(reply.status, 200);
    assert!(!reply.body.contains("TOP-SECRET"));
}

#[test]
fn a_link_turned_outward_after_a_build_is_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "TOP-SECRET").unwrap();
    let server = start("rich");
    let img = server.site.join("content/img");
    std::fs::write(img.join("inside.txt"), "fine").unwrap();
    std::os::unix::fs::symlink("inside.txt", img.join("alias.txt")).unwrap();
    wait_for(
        &server,
        "/img/alias.txt",
        "the link inside to be served",
        |r| r.status == 200 && r.body == "fine",
    );
    // Pointed outward, the link fails the next build; the last good build still lists the
    // file, and the preview checks it again, by the same rule, before reading it.
    std::fs::remove_file(img.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, img.join("alias.txt")).unwrap();
    wait_for(&server, "/", "the link to be reported", |r| {
        r.body.contains("outside the content folder")
    });
    let reply = get(&server.address, "/img/alias.txt");
    assert_eq!(reply.status, 403);
    assert!(!reply.body.contains("TOP-SECRET"));
}

#[test]
fn edits_appear_and_reach_connected_pages() {
    let server = start("rich");
    // A page listening for reloads, as the reload client does.
    let mut events = TcpStream::connect(&server.address).unwrap();
    events.set_read_timeout(Some(PATIENCE)).unwrap();
    let address = &server.address;
    write!(
        events,
        "GET /__kroniek/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut head = String::new();
    while !head.contains(": connected") {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "stream closed: {head}"
        );
        head.push_str(&line);
    }
    assert!(
        head.to_lowercase()
            .contains("content-type: text/event-stream"),
        "{head}"
    );

    let event = server.site.join("content/2024-06-04-morning-call.md");
    edit(
        &event,
        "title:",
        "title: \"Morning call, edited\"\nold_title:",
    );
    let page = wait_for(&server, "/events/morning-call/", "the edited title", |r| {
        r.body.contains("Morning call, edited")
    });
    assert_eq!(page.status, 200);
    let mut message = String::new();
    while !message.contains("event: reload") {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
        message.push_str(&line);
    }
}

/// The number of the build a page was served from, from its reload script.
fn build_of(page: &str) -> String {
    let after = page.split("data-build=\"").nth(1).expect("a reload script");
    after.split('"').next().unwrap().to_string()
}

/// The `event: build` number a newly connected event stream announces.
fn announced_build(address: &str) -> String {
    let mut events = TcpStream::connect(address).unwrap();
    events.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        events,
        "GET /__kroniek/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "stream closed: {seen}"
        );
        if seen.ends_with("event: build\n") {
            return line.trim().strip_prefix("data: ").unwrap().to_string();
        }
        seen.push_str(&line);
    }
}

/// A page loaded before a build and connected after it would miss that build's reload: the
/// stream announces the latest build on connecting, and the page compares it with its own.
#[test]
fn a_page_that_connects_after_a_build_learns_it_is_stale() {
    let server = start("rich");
    let old = get(&server.address, "/");
    let served = build_of(&old.body);
    assert_eq!(announced_build(&server.address), served);
    edit(
        &server.site.join("content/2024-06-04-morning-call.md"),
        "title:",
        "title: \"Morning call, again\"\nold_title:",
    );
    let new = wait_for(&server, "/", "the edited title", |r| {
        r.body.contains("Morning call, again")
    });
    let latest = announced_build(&server.address);
    assert_ne!(latest, served, "the old page would not reload");
    assert_eq!(build_of(&new.body), latest);
}

#[test]
fn a_broken_edit_shows_the_errors_and_recovery_removes_them() {
    let server = start("rich");
    let event = server.site.join("content/2024-06-04-morning-call.md");
    let good = std::fs::read_to_string(&event).unwrap();
    std::fs::write(
        &event,
        good.replacen("orgs: [cert, vendor]", "orgs: [cert, nobody]", 1),
    )
    .unwrap();
    let broken = wait_for(&server, "/", "the error overlay", |r| {
        r.body.contains("kroniek-errors")
    });
    assert_eq!(broken.status, 200, "the last good site is still served");
    assert!(
        broken
            .body
            .contains("content/2024-06-04-morning-call.md:4:14"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("unknown organisation `nobody`"));
    assert!(
        broken.body.contains("id=\"morning-call\""),
        "the last good build is under the overlay"
    );
    // Every page shows it, not only the one being edited.
    assert!(get(&server.address, "/sources/")
        .body
        .contains("kroniek-errors"));

    std::fs::write(&event, &good).unwrap();
    let fixed = wait_for(&server, "/", "the overlay to go", |r| {
        !r.body.contains("kroniek-errors")
    });
    assert_eq!(fixed.status, 200);
}

#[test]
fn a_site_that_never_built_shows_only_the_errors_until_fixed() {
    let event = "content/2024-06-04-morning-call.md";
    let server = start_with("rich", |site| {
        edit(&site.join(event), "title:", "title: [unclosed\nx:")
    });
    let reply = get(&server.address, "/");
    assert_eq!(reply.status, 500);
    assert!(reply.body.contains("kroniek-errors"));
    assert!(reply.body.contains(event), "{}", reply.body);
    let text = std::fs::read_to_string(server.site.join(event)).unwrap();
    std::fs::write(
        server.site.join(event),
        text.replacen("title: [unclosed\nx:", "title:", 1),
    )
    .unwrap();
    wait_for(&server, "/", "the first good build", |r| {
        r.status == 200 && !r.body.contains("kroniek-errors")
    });
}

#[test]
fn adding_renaming_and_deleting_files_and_bursts_of_saves() {
    let server = start("rich");
    let content = server.site.join("content");
    let new = content.join("2024-06-02-added.md");
    std::fs::write(&new, "---\ntitle: Freshly added\norgs: [cert]\n---\nNew.\n").unwrap();
    wait_for(&server, "/events/added/", "the new event", |r| {
        r.status == 200
    });
    // Save as vim and VS Code do: write a temporary file, rename it over the original.
    let swap = content.join(".2024-06-02-added.md.swp");
    std::fs::write(
        &swap,
        "---\ntitle: Saved by rename\norgs: [cert]\n---\nNew.\n",
    )
    .unwrap();
    std::fs::rename(&swap, &new).unwrap();
    wait_for(&server, "/events/added/", "the renamed-over file", |r| {
        r.body.contains("Saved by rename")
    });
    std::fs::rename(&new, content.join("2024-06-02-moved.md")).unwrap();
    wait_for(&server, "/events/moved/", "the renamed file", |r| {
        r.status == 200
    });
    assert_eq!(get(&server.address, "/events/added/").status, 404);
    // A burst of saves ends with the last one shown.
    let moved = content.join("2024-06-02-moved.md");
    for i in 0..20 {
        std::fs::write(
            &moved,
            format!("---\ntitle: Burst {i}\norgs: [cert]\n---\nNew.\n"),
        )
        .unwrap();
    }
    wait_for(
        &server,
        "/events/moved/",
        "the last save of the burst",
        |r| r.body.contains("Burst 19"),
    );
    std::fs::remove_file(&moved).unwrap();
    wait_for(&server, "/events/moved/", "the deleted event to go", |r| {
        r.status == 404
    });
}

#[test]
fn a_port_in_use_is_a_clear_usage_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(["serve", env!("CARGO_MANIFEST_DIR"), "--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn binds_to_loopback_unless_told_otherwise() {
    let server = start("rich");
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );
    assert!(
        !server
            .output
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("warning")),
        "{:?}",
        server.output.lock().unwrap()
    );
}

/// Told to listen beyond loopback, it warns what that shows to the network: drafts, and with
/// `--audience internal` internal content too.
#[test]
fn a_bind_beyond_loopback_is_warned_about() {
    for (args, shown) in [
        (&["--bind", "0.0.0.0"][..], "your drafts visible"),
        (
            &["--bind", "0.0.0.0", "--audience", "internal"][..],
            "your drafts and internal content visible",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rich"),
            &site,
        );
        let server = serve_with(dir, site, args);
        // stderr is read beside stdout: give the warning time to arrive.
        let started = Instant::now();
        let warned = |output: &[String]| {
            output
                .iter()
                .any(|l| l.starts_with("warning: listening on 0.0.0.0 makes ") && l.contains(shown))
        };
        while !warned(&server.output.lock().unwrap()) && started.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = server.output.lock().unwrap().clone();
        assert!(warned(&output), "{args:?}: {output:?}");
    }
}

/// A page elsewhere that points its DNS name at 127.0.0.1 (DNS rebinding) makes the browser
/// send `Host: its-name`: the preview must answer such requests with a refusal and nothing of
/// the site, whatever the path, drafts and internal content included.
#[test]
fn requests_for_another_host_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rich"),
        &site,
    );
    let server = serve_with(dir, site, &["--audience", "internal"]);
    let address = &server.address;
    let port = address.rsplit(':').next().unwrap();
    let refusal =
        format!("refused: this preview answers only requests addressed to http://{address}/\n");
    for path in [
        "/",
        "/events/canary-draft-7f3a/",
        "/events/canary-internal-7f3a/",
        "/timeline.json",
        "/__kroniek/events",
        "/__kroniek/reload.js",
        "/no/such/page/",
    ] {
        for request in [
            format!("GET {path} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"),
            format!("GET {path} HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"),
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1.evil.example:{port}\r\nConnection: close\r\n\r\n"),
            format!("GET {path} HTTP/1.1\r\nHost: localhost.evil.example:{port}\r\nConnection: close\r\n\r\n"),
            format!("GET {path} HTTP/1.1\r\nConnection: close\r\n\r\n"),
            format!("GET {path} HTTP/1.0\r\n\r\n"),
            format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"),
            // The absolute form names the host in the request line, which wins over the header.
            format!("GET http://evil.example{path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
            format!("GET http://127.0.0.1{path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
        ] {
            let reply = exchange(address, &request);
            assert_eq!(reply.status, 421, "{request:?}: {}", reply.body);
            assert_eq!(reply.body, refusal, "{request:?}");
            assert!(reply.headers.contains("content-type: text/plain"), "{request:?}");
        }
    }
    // The preview's own names are answered.
    for host in [
        address.to_string(),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        let reply = exchange(
            address,
            &format!("GET /events/canary-draft-7f3a/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(reply.status, 200, "{host}");
        assert!(reply.body.contains("DRAFT"), "{host}");
    }
    let absolute = exchange(
        address,
        &format!("GET http://{address}/ HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(absolute.status, 200);
}

/// A folder without its slash is redirected to the folder, named by the cleaned path: never a
/// `Location` that a browser reads as another host (`//host/…`, `/\\host`).
#[test]
fn redirects_stay_on_the_site() {
    let server = start("rich");
    for (path, location) in [
        ("/events/morning-call", "/events/morning-call/"),
        ("//events/morning-call", "/events/morning-call/"),
        ("///events//morning-call", "/events/morning-call/"),
        ("/%2F%2Fevents/morning-call", "/events/morning-call/"),
        ("/%2fevents%2fmorning-call", "/events/morning-call/"),
        (
            "//events/morning-call?x=//evil.example",
            "/events/morning-call/",
        ),
    ] {
        let reply = get(&server.address, path);
        assert_eq!(reply.status, 301, "{path}");
        let said = reply
            .headers
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or_default();
        assert_eq!(said, location, "{path}");
    }
    for path in [
        "//evil.example",
        "//evil.example/",
        "/\\evil.example",
        "/\\/evil.example",
        "/%5Cevil.example",
        "/%5C%5Cevil.example",
        "/%2F%2Fevil.example",
        "/%2F/evil.example",
        "/%09/evil.example",
        "/%0d%0aLocation:%20http://evil.example",
    ] {
        let reply = get(&server.address, path);
        assert!(
            !reply.headers.contains("location:"),
            "{path} redirected: {}",
            reply.headers
        );
        assert!(
            [400, 403, 404].contains(&reply.status),
            "{path}: {}",
            reply.status
        );
    }
}

/// `git checkout` or `rsync --delete` may remove `content/` and make it anew: the preview must
/// watch the new folder, not the removed one.
#[test]
fn a_content_folder_made_anew_is_watched() {
    let server = start("rich");
    let content = server.site.join("content");
    let kept = server.dir.path().join("content-kept");
    copy_dir(&content, &kept);
    std::fs::remove_dir_all(&content).unwrap();
    wait_for(&server, "/", "the missing folder to fail the build", |r| {
        r.body.contains("kroniek-errors")
    });
    copy_dir(&kept, &content);
    wait_for(&server, "/", "the folder made anew to build", |r| {
        r.status == 200 && !r.body.contains("kroniek-errors")
    });
    edit(
        &content.join("2024-06-04-morning-call.md"),
        "title:",
        "title: \"Seen in the new folder\"\nold_title:",
    );
    wait_for(
        &server,
        "/events/morning-call/",
        "the edit in the new folder",
        |r| r.body.contains("Seen in the new folder"),
    );
    // And again: a second replacement is watched as well.
    std::fs::remove_dir_all(&content).unwrap();
    copy_dir(&kept, &content);
    edit(
        &content.join("2024-06-04-morning-call.md"),
        "title:",
        "title: \"Seen in the third folder\"\nold_title:",
    );
    wait_for(
        &server,
        "/events/morning-call/",
        "the edit in the third folder",
        |r| r.body.contains("Seen in the third folder"),
    );
}

/// A site setting reaches every output that shows it, although the events themselves did not
/// change: the preview's memo keys on `_index.md` too.
#[test]
fn site_setting_changes_reach_every_output() {
    let server = start("rich");
    let before = get(&server.address, "/timeline.json");
    assert!(
        before
            .body
            .contains("\"start\":\"2024-06-04T09:30:00+02:00\""),
        "{}",
        &before.body[..before.body.len().min(400)]
    );
    let index = server.site.join("content/_index.md");
    edit(&index, "timezone: Europe/Amsterdam", "timezone: Asia/Tokyo");
    let after = wait_for(&server, "/timeline.json", "the new time zone", |r| {
        r.body.contains("\"timezone\": \"Asia/Tokyo\"")
    });
    assert!(
        after
            .body
            .contains("\"start\":\"2024-06-04T09:30:00+09:00\""),
        "the event is still in the old zone"
    );
    assert!(
        !after.body.contains("+02:00\""),
        "an output kept the old zone"
    );

    edit(&index, "language: en", "language: nl");
    wait_for(&server, "/events/morning-call/", "the new language", |r| {
        r.body.contains("<html lang=\"nl\"")
    });

    edit(
        &index,
        "name: \"Computer Emergency Response Team\"",
        "name: \"Renamed Response Team\"",
    );
    let event = wait_for(
        &server,
        "/events/morning-call/",
        "the new organisation name",
        |r| r.body.contains("title=\"Renamed Response Team\""),
    );
    assert!(!event.body.contains("Computer Emergency Response Team"));
}
