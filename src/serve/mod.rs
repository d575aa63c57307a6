//! `kroniek serve`: the live preview.
//!
//! The preview is the built site (the same pipeline as `build`, with a memo so that a rebuild
//! after one edit redoes only that edit's work), kept in memory and served over HTTP on
//! loopback. A watcher rebuilds on every change to `content/` or `theme/`; open pages learn of
//! it over Server-Sent Events and reload themselves. An edit that breaks the build keeps the last
//! good site and shows the errors over every page until it is fixed.
//!
//! Why tiny_http and Server-Sent Events: a preview needs a few requests at a time and one
//! message ("reload"); tiny_http builds in seconds with five crates, where axum and tokio bring
//! forty, and SSE needs no protocol upgrade. The pieces: `preview` (the site in memory and the
//! rebuild), `memo` (what a rebuild reuses), `http` (answers requests), `watch` (file events).

mod http;
mod memo;
mod preview;
mod watch;

pub use memo::PreviewMemo;

use crate::error::Failure;
use preview::Preview;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// What `kroniek serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    /// The public's view (default) or the organisation's; drafts are always shown.
    pub reader: crate::audience::Reader,
}

/// Runs the preview until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), Failure> {
    if !options.site.join("content").is_dir() {
        return Err(Failure::Usage(format!(
            "no `content` folder in {}; run kroniek in a site folder or pass it: `kroniek serve SITE`",
            options.site.display()
        )));
    }
    let server = tiny_http::Server::http(SocketAddr::new(options.bind, options.port)).map_err(|e| {
        Failure::Usage(format!(
            "cannot listen on {}:{}: {e}; choose another port with --port (or --port 0 for any free one)",
            options.bind, options.port
        ))
    })?;
    let address = server
        .server_addr()
        .to_ip()
        .unwrap_or_else(|| SocketAddr::new(options.bind, options.port));
    if !options.bind.is_loopback() {
        let what = match options.reader {
            crate::audience::Reader::Public => "your drafts",
            crate::audience::Reader::Internal => "your drafts and internal content",
        };
        eprintln!(
            "warning: listening on {} makes {what} visible to other machines on the network",
            options.bind
        );
    }
    let url = match address {
        SocketAddr::V4(a) => format!("http://{a}/"),
        SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
    };
    let preview = Arc::new(Preview::new(&options.site, &url, options.reader)?);
    preview.rebuild(None);
    watch::start(&options.site, Arc::clone(&preview)).map_err(|e| {
        Failure::Usage(format!(
            "cannot watch {} for changes: {e}",
            options.site.display()
        ))
    })?;
    println!(
        "serving {} at {url} (press Ctrl+C to stop)",
        options.site.display()
    );
    if options.open {
        open_browser(&url);
    }
    for request in server.incoming_requests() {
        let preview = Arc::clone(&preview);
        std::thread::spawn(move || http::answer(request, &preview));
    }
    Ok(())
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: could not open a browser ({opener}: {e}); open {url} yourself");
    }
}
