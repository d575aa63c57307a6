//! `kroniek serve`: the live preview.
//!
//! The preview is the built site (the same pipeline as `build`, with a memo so that a rebuild
//! after one edit redoes only that edit's work), kept in memory and served over HTTP on
//! loopback. A watcher rebuilds on every change to `content/` or `theme/`; open pages learn of
//! it over Server-Sent Events and reload themselves. An edit that breaks the build keeps the last
//! good site and shows the errors over every page until it is fixed.
//!
//! It is served only to this machine's own browser, even though any web page the author opens
//! can make that browser send requests to it: only requests addressed to the preview's own
//! address are answered (a `Host` check against DNS rebinding), and what any client can make it
//! hold (connections, header bytes, memory) is bounded, so that no page and no local program
//! can read drafts through it or stop it.
//!
//! Why axum (on hyper and tokio) and Server-Sent Events: hyper is the HTTP implementation most
//! of the Rust ecosystem's servers run on (the static site generators Zola and mdBook serve
//! their previews with it), maintained, and with the limits a server exposed to hostile input
//! needs built in: a bound on the request head (431 beyond it), a timeout for reading it, and
//! HTTP/1 parsing that has been fuzzed for years. axum adds the routing and the SSE response on
//! top. Only HTTP/1 and the tokio features the listener needs are compiled. SSE needs no
//! protocol upgrade, and one message ("reload") is all a page needs.
//!
//! The pieces: `preview` (the site in memory and the rebuild), `memo` (what a rebuild reuses),
//! `server` (the listener and its limits), `host` (which `Host` is the preview's), `http`
//! (answers requests), `watch` (file events). The build stays synchronous: rebuilds run on
//! the watcher's thread, never on the HTTP runtime. This module must never listen anywhere
//! but where it was told, nor keep running once it no longer listens.

mod host;
mod http;
mod memo;
mod preview;
mod server;
mod watch;

pub use memo::PreviewMemo;

use crate::error::Failure;
use host::Hosts;
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
    let listener = std::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))
        .map_err(|e| {
            Failure::Usage(format!(
            "cannot listen on {}:{}: {e}; choose another port with --port (or --port 0 for any free one)",
            options.bind, options.port
        ))
        })?;
    let address = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::new(options.bind, options.port));
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
    // Two threads answer requests (the machine's cores are the build's); reading content
    // files runs on tokio's blocking threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("kroniek-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Failure::Serve(format!("cannot start the preview's HTTP threads: {e}")))?;
    let app = http::router(preview, Hosts::new(options.bind, address.port()), &url);
    let broken = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        Ok::<_, std::io::Error>(server::run(listener, app).await)
    });
    let error = match broken {
        Ok(error) | Err(error) => error,
    };
    Err(Failure::Serve(stopped_listening(&url, &error)))
}

/// Why the preview stopped: it exits rather than go on rebuilding a site nobody can reach.
fn stopped_listening(url: &str, error: &std::io::Error) -> String {
    format!("the preview stopped listening on {url}: {error}; start `kroniek serve` again")
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_broken_listener_is_said_with_its_address() {
        let error = std::io::Error::other("Bad file descriptor");
        assert_eq!(
            super::stopped_listening("http://127.0.0.1:1111/", &error),
            "the preview stopped listening on http://127.0.0.1:1111/: Bad file descriptor; start `kroniek serve` again"
        );
    }
}
