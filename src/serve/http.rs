//! Answers the preview's HTTP requests: files of the current build, the reload channel, and
//! nothing else.
//!
//! In order, for every request: a `Host` that is not the preview's own is refused (see
//! `host`), then any method but GET and HEAD; only then is the path looked at. Paths are
//! decoded once and then only looked up in the build's file list; `..`, `.`, backslashes and
//! NUL are refused before that, whatever their encoding. Content files (the only ones read
//! from disk) are served only if their real path lies inside `content/`, and are streamed, so
//! that a large one is never held whole in memory. A redirect names only a path of this site,
//! never another host. This module must never answer a foreign `Host` with anything but the
//! refusal.

use super::host::Hosts;
use super::preview::{Preview, Served};
use crate::markdown::escape;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::StreamExt;
use http_body::{Frame, SizeHint};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// The script that reloads a page after each build (and keeps its scroll position).
const RELOAD_JS: &str = include_str!("reload.js");
const EVENTS_PATH: &str = "/__kroniek/events";
const SCRIPT_PATH: &str = "/__kroniek/reload.js";
/// How often an idle event stream gets a comment, to notice pages that went away.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// A content file is sent in pieces of this size, at most two pieces ahead of the client.
const CHUNK: usize = 64 * 1024;

/// What every request is answered from.
struct App {
    preview: Arc<Preview>,
    hosts: Hosts,
    /// The refusal of a foreign `Host`, naming the address to use instead.
    misdirected: String,
}

/// The preview's answers, for the listener in `server`.
pub fn router(preview: Arc<Preview>, hosts: Hosts, url: &str) -> Router {
    let app = App {
        preview,
        hosts,
        misdirected: format!("refused: this preview answers only requests addressed to {url}\n"),
    };
    Router::new().fallback(answer).with_state(Arc::new(app))
}

async fn answer(State(app): State<Arc<App>>, request: Request) -> Response {
    if !names_the_preview(&app.hosts, &request) {
        return text(StatusCode::MISDIRECTED_REQUEST, app.misdirected.clone());
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return text(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
    }
    let raw = request.uri().path();
    match raw {
        EVENTS_PATH => events(&app.preview),
        SCRIPT_PATH => bytes(
            StatusCode::OK,
            Body::from(RELOAD_JS),
            "text/javascript; charset=utf-8",
        ),
        _ => match site_path(raw) {
            Err(status) => text(status, "refused: this path is not part of the site\n"),
            Ok(path) => file_response(&path, &app.preview).await,
        },
    }
}

/// Whether the request is addressed to the preview: exactly one `Host` header, naming it, and
/// an absolute request target (`GET http://host/ HTTP/1.1`), if any, naming it too. HTTP/1.0
/// without `Host` is refused: nothing then says which site the browser meant.
fn names_the_preview(hosts: &Hosts, request: &Request) -> bool {
    let mut values = request.headers().get_all(header::HOST).iter();
    let header_ok = match (values.next(), values.next()) {
        (Some(one), None) => one.to_str().is_ok_and(|h| hosts.allows(h)),
        _ => false,
    };
    let target_ok = request
        .uri()
        .authority()
        .is_none_or(|a| hosts.allows(a.as_str()));
    header_ok && target_ok
}
/// The path inside the site that a request path names, or the status to refuse it with.
pub fn site_path(raw: &str) -> Result<String, StatusCode> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| StatusCode::BAD_REQUEST)?;
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains(':'))
    {
        return Err(StatusCode::FORBIDDEN);
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

async fn file_response(path: &str, preview: &Arc<Preview>) -> Response {
    if !preview.has_site() {
        // The very first build failed: there is no site yet, only the errors.
        let page = Bytes::from_static(b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kroniek: build failed</title></head><body></body></html>");
        return page_response(StatusCode::INTERNAL_SERVER_ERROR, page, preview);
    }
    match preview.file(path) {
        Some(Served::Bytes(bytes)) => served(StatusCode::OK, path, bytes, preview),
        Some(Served::File(source)) => content_file(path, source, preview).await,
        None if preview.file(&format!("{path}/index.html")).is_some() => {
            // A folder without its slash: send the browser there, so relative links resolve.
            // The target is built from the cleaned path, never from the request: `//host/x`
            // would otherwise send the browser to another host.
            let location = format!("/{}/", encode_path(path));
            let mut response = text(StatusCode::MOVED_PERMANENTLY, "moved\n");
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        None => not_found(preview),
    }
}

/// A content file (an image, a PDF), read from disk in pieces on a blocking thread.
async fn content_file(path: &str, source: PathBuf, preview: &Arc<Preview>) -> Response {
    let inside = {
        let (preview, source) = (Arc::clone(preview), source.clone());
        tokio::task::spawn_blocking(move || preview.is_inside_content(&source))
            .await
            .unwrap_or(false)
    };
    if !inside {
        return text(
            StatusCode::FORBIDDEN,
            "refused: this file lies outside the site's content folder\n",
        );
    }
    let Ok(file) = tokio::task::spawn_blocking(move || std::fs::File::open(source)).await else {
        return not_found(preview);
    };
    let Ok(file) = file else {
        return not_found(preview);
    };
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(2);
    tokio::task::spawn_blocking(move || send_file(file, &sender));
    let pieces = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|piece| (piece, receiver))
    });
    bytes(
        StatusCode::OK,
        Body::from_stream(pieces),
        content_type(path),
    )
}

/// Sends `file` in pieces until its end, an error, or the client going away (the receiver
/// dropped).
fn send_file(mut file: std::fs::File, sender: &tokio::sync::mpsc::Sender<std::io::Result<Bytes>>) {
    use std::io::Read;
    loop {
        let mut piece = vec![0; CHUNK];
        let piece = match file.read(&mut piece) {
            Ok(0) => return,
            Ok(n) => {
                piece.truncate(n);
                Ok(Bytes::from(piece))
            }
            Err(e) => Err(e),
        };
        let failed = piece.is_err();
        if sender.blocking_send(piece).is_err() || failed {
            return;
        }
    }
}

fn not_found(preview: &Preview) -> Response {
    match preview.file("404.html") {
        Some(Served::Bytes(bytes)) => served(StatusCode::NOT_FOUND, "404.html", bytes, preview),
        _ => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// A file of the site, with the reload script (and the error overlay) added to HTML pages.
fn served(status: StatusCode, path: &str, bytes: Bytes, preview: &Preview) -> Response {
    let content_type = content_type(path);
    if content_type.starts_with("text/html") {
        return page_response(status, bytes, preview);
    }
    self::bytes(status, Body::from(bytes), content_type)
}

/// A page with the reload script before `</body>`, and the overlay when the last build failed.
/// The page itself is not copied: it is sent as the part before `</body>`, the addition and
/// the rest, each a view of the one copy the preview holds.
fn page_response(status: StatusCode, page: Bytes, preview: &Preview) -> Response {
    let mut extra = format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{}\" defer></script>",
        preview.generation()
    );
    if let Some(errors) = preview.errors() {
        extra.push_str(&overlay(&errors));
    }
    let at = page
        .windows(b"</body>".len())
        .rposition(|w| w == b"</body>")
        .unwrap_or(page.len());
    let pieces = Pieces(VecDeque::from([
        page.slice(..at),
        Bytes::from(extra),
        page.slice(at..),
    ]));
    bytes(status, Body::new(pieces), "text/html; charset=utf-8")
}

/// A body of a few pieces, of known length (so it is sent with Content-Length).
struct Pieces(VecDeque<Bytes>);

impl HttpBody for Pieces {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.pop_front().map(|piece| Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.iter().map(|piece| piece.len() as u64).sum())
    }
}

/// The overlay's colours, opaque and set on every element that holds text, so that neither
/// the theme's light nor its dark mode shows through: white on dark red (16:1) and white on
/// near-black for the messages (19:1).
const OVERLAY_PANEL: &str = "background:#4a0d0d;color:#ffffff";
const OVERLAY_MESSAGES: &str = "background:#1a0505;color:#ffffff";

/// The errors of a failed build over the page, in the same words as the command line.
fn overlay(errors: &str) -> String {
    format!(
        "<div id=\"kroniek-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;{OVERLAY_PANEL};color-scheme:dark;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace\">\
<h2 style=\"margin:0 0 .5rem;font:700 1.2rem system-ui,sans-serif;{OVERLAY_PANEL}\">kroniek: the last edit does not build</h2>\
<p style=\"margin:0 0 1rem;font-family:system-ui,sans-serif;{OVERLAY_PANEL}\">This is the last good build. Fix the problem and save: the page reloads by itself.</p>\
<pre style=\"white-space:pre-wrap;margin:0;padding:1rem;border:1px solid #ffffff;{OVERLAY_MESSAGES}\">{}</pre></div>",
        escape(errors)
    )
}

/// The reload channel: a Server-Sent Events stream that says `reload` after every build.
fn events(preview: &Preview) -> Response {
    // Subscribe first, then read the number: a build in between is either in the number or
    // wakes the receiver, never lost.
    let mut builds = preview.subscribe();
    let latest = *builds.borrow_and_update();
    let greeting = futures_util::stream::iter([
        Ok::<_, Infallible>(Event::default().comment("connected")),
        Ok(Event::default().event("build").data(latest.to_string())),
    ]);
    let reloads = futures_util::stream::unfold(builds, |mut builds| async move {
        // An error means the preview is gone: the stream ends.
        builds.changed().await.ok()?;
        Some((Ok(Event::default().event("reload").data("reload")), builds))
    });
    let mut response = Sse::new(greeting.chain(reloads))
        .keep_alive(KeepAlive::new().interval(KEEPALIVE).text("keep-alive"))
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A site path as it may stand in a `Location` header: every byte but unreserved ones and `/`
/// percent-encoded.
fn encode_path(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
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

fn bytes(status: StatusCode, body: Body, content_type: &'static str) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn text(status: StatusCode, message: impl Into<String>) -> Response {
    bytes(
        status,
        Body::from(message.into()),
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
            assert_eq!(site_path(attempt), Err(StatusCode::FORBIDDEN), "{attempt}");
        }
        for attempt in ["/..%5c..%5cetc/passwd", "/%00", "/%ff%fe", "relative"] {
            assert_eq!(
                site_path(attempt),
                Err(StatusCode::BAD_REQUEST),
                "{attempt}"
            );
        }
    }

    /// WCAG contrast of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap() as f64 / 255.0;
                if c <= 0.04045 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// Every element of the overlay sets an opaque background and its text colour itself (the
    /// theme's light or dark `pre` background cannot show through), at 4.5:1 or more.
    #[test]
    fn the_overlay_is_readable_whatever_the_theme() {
        let page = overlay("content/x.md:1:1: error");
        for tag in ["<div ", "<h2 ", "<p ", "<pre "] {
            let element = page.split(tag).nth(1).unwrap();
            let style = element
                .split("style=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let colour = |name: &str| {
                style
                    .split(';')
                    .find_map(|d| d.strip_prefix(name))
                    .unwrap_or_else(|| panic!("{tag} sets no {name} {style}"))
                    .to_string()
            };
            let (fg, bg) = (colour("color:#"), colour("background:#"));
            assert!(
                fg.len() == 6 && bg.len() == 6,
                "{tag}: opaque #rrggbb only: {style}"
            );
            let ratio = contrast(&format!("#{fg}"), &format!("#{bg}"));
            assert!(ratio >= 4.5, "{tag}: {ratio:.1}:1");
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
