//! Answers the preview's HTTP requests: files of the current build, the reload channel, and
//! nothing else.
//!
//! Paths are decoded once and then only looked up in the build's file list; `..`, `.`,
//! backslashes and NUL are refused before that, whatever their encoding. Content files (the
//! only ones read from disk) are served only if their real path lies inside `content/`.

use super::preview::{Preview, Served};
use crate::markdown::escape;
use std::io::Write;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The script that reloads a page after each build (and keeps its scroll position).
const RELOAD_JS: &str = include_str!("reload.js");
const EVENTS_PATH: &str = "/__kroniek/events";
const SCRIPT_PATH: &str = "/__kroniek/reload.js";
/// How often an idle event stream gets a comment, to notice pages that went away.
const KEEPALIVE: Duration = Duration::from_secs(15);

pub fn answer(request: Request, preview: &Preview) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "only GET and HEAD are served\n"));
        return;
    }
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    match raw.as_str() {
        EVENTS_PATH => return events(request, preview),
        SCRIPT_PATH => {
            let _ = request.respond(bytes(
                200,
                RELOAD_JS.as_bytes().to_vec(),
                "text/javascript; charset=utf-8",
            ));
            return;
        }
        _ => {}
    }
    let response = match site_path(&raw) {
        Err(status) => text(status, "refused: this path is not part of the site\n"),
        Ok(path) => file_response(&raw, &path, preview),
    };
    let _ = request.respond(response);
}

/// The path inside the site that a request path names, or the status to refuse it with.
pub fn site_path(raw: &str) -> Result<String, u16> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| 400u16)?;
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Err(400);
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains(':'))
    {
        return Err(403);
    }
    let mut path = segments.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Ok(path)
}

fn file_response(raw: &str, path: &str, preview: &Preview) -> Response<std::io::Cursor<Vec<u8>>> {
    if !preview.has_site() {
        // The very first build failed: there is no site yet, only the errors.
        let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kroniek: build failed</title></head><body></body></html>";
        return html(500, inject(page, preview));
    }
    match preview.file(path) {
        Some(Served::Bytes(bytes)) => served(200, path, bytes.to_vec(), preview),
        Some(Served::File(source)) => {
            if !preview.is_inside_content(&source) {
                return text(
                    403,
                    "refused: this file lies outside the site's content folder\n",
                );
            }
            match std::fs::read(&source) {
                Ok(bytes) => served(200, path, bytes, preview),
                Err(_) => not_found(preview),
            }
        }
        None if preview.file(&format!("{path}/index.html")).is_some() => {
            // A folder without its slash: send the browser there, so relative links resolve.
            let mut response = text(301, "moved\n");
            let location = format!("{}/", raw.trim_end_matches('/'));
            if let Ok(header) = Header::from_bytes("Location", location.as_bytes()) {
                response.add_header(header);
            }
            response
        }
        None => not_found(preview),
    }
}

fn not_found(preview: &Preview) -> Response<std::io::Cursor<Vec<u8>>> {
    match preview.file("404.html") {
        Some(Served::Bytes(bytes)) => served(404, "404.html", bytes.to_vec(), preview),
        _ => text(404, "not found\n"),
    }
}

/// A file of the site, with the reload script (and the error overlay) added to HTML pages.
fn served(
    status: u16,
    path: &str,
    bytes: Vec<u8>,
    preview: &Preview,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let content_type = content_type(path);
    if content_type.starts_with("text/html") {
        let page = String::from_utf8_lossy(&bytes);
        return html(status, inject(&page, preview));
    }
    self::bytes(status, bytes, content_type)
}

/// Adds the reload script before `</body>`, and the overlay when the last build failed.
fn inject(page: &str, preview: &Preview) -> String {
    let mut extra = format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{}\" defer></script>",
        preview.generation()
    );
    if let Some(errors) = preview.errors() {
        extra.push_str(&overlay(&errors));
    }
    match page.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &page[..at], &page[at..]),
        None => format!("{page}{extra}"),
    }
}

/// The errors of a failed build over the page, in the same words as the command line.
fn overlay(errors: &str) -> String {
    format!(
        "<div id=\"kroniek-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(30,0,0,.94);color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace\">\
<h2 style=\"margin:0 0 .5rem;font:700 1.2rem system-ui,sans-serif;color:#fff\">kroniek: the last edit does not build</h2>\
<p style=\"margin:0 0 1rem;font-family:system-ui,sans-serif\">This is the last good build. Fix the problem and save: the page reloads by itself.</p>\
<pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
        escape(errors)
    )
}

/// The reload channel: a Server-Sent Events stream that says `reload` after every build.
fn events(request: Request, preview: &Preview) {
    // Subscribe first, then read the generation: a build in between is either in the number
    // or in the channel, never lost.
    let builds = preview.subscribe();
    let mut stream = request.into_writer();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\nevent: build\ndata: {}\n\n",
        preview.generation()
    );
    if stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message: &[u8] = match builds.recv_timeout(KEEPALIVE) {
            Ok(()) => b"event: reload\ndata: reload\n\n",
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => b": keep-alive\n\n",
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if stream
            .write_all(message)
            .and_then(|_| stream.flush())
            .is_err()
        {
            // The page went away; dropping the receiver tells the preview.
            return;
        }
    }
}

fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("feed.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "csv" => "text/csv; charset=utf-8",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

fn bytes(status: u16, body: Vec<u8>, content_type: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut response = Response::from_data(body).with_status_code(StatusCode(status));
    for (name, value) in [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        if let Ok(header) = Header::from_bytes(name, value) {
            response.add_header(header);
        }
    }
    response
}

fn html(status: u16, page: String) -> Response<std::io::Cursor<Vec<u8>>> {
    bytes(status, page.into_bytes(), "text/html; charset=utf-8")
}

fn text(status: u16, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    bytes(
        status,
        message.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(site_path("/").as_deref(), Ok("index.html"));
        assert_eq!(
            site_path("/events/a/").as_deref(),
            Ok("events/a/index.html")
        );
        assert_eq!(
            site_path("/events/a/index.html").as_deref(),
            Ok("events/a/index.html")
        );
        assert_eq!(site_path("/events/a").as_deref(), Ok("events/a"));
        assert_eq!(
            site_path("/img/caf%C3%A9.png").as_deref(),
            Ok("img/café.png")
        );
        assert_eq!(site_path("//etc/passwd").as_deref(), Ok("etc/passwd"));
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for attempt in [
            "/../etc/passwd",
            "/events/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/.%2e/etc/passwd",
            "/./index.html",
            "/C:/Windows/win.ini",
        ] {
            assert_eq!(site_path(attempt), Err(403), "{attempt}");
        }
        for attempt in ["/..%5c..%5cetc/passwd", "/%00", "/%ff%fe", "relative"] {
            assert_eq!(site_path(attempt), Err(400), "{attempt}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/atom+xml");
        assert_eq!(
            content_type("assets/style.1234.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("img/x.PNG"), "image/png");
        assert_eq!(content_type("unknown.bin"), "application/octet-stream");
    }
}
