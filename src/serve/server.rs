//! The preview's listener: accepts connections and hands each to hyper, within limits.
//!
//! What a client can make the preview hold is bounded here, before any request is read:
//! - at most [`MAX_CONNECTIONS`] open at once; one more is told 503 and closed at once, so the
//!   preview never runs out of file descriptors because of its clients;
//! - a request head (request line and headers) of at most [`MAX_HEAD`] bytes: a longer one is
//!   answered 431 and the connection closed, so a connection's read buffer stays that small;
//! - a connection that sends no complete request head within [`HEAD_TIME`] (a half-open or
//!   idle keep-alive one) is closed, so a full table empties by itself.
//!
//! When accepting fails for want of resources (file descriptors, memory), the loop waits a
//! moment and tries again: it must never stop listening because of its clients. Any other
//! accept error means the listener itself is broken; then [`run`] returns it and the command
//! exits with an error, rather than printing "built …" for a preview nobody can reach.

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Connections open at once. A browser holds a few per tab (one for the reload stream); the
/// limit is far above that, and far below a usual descriptor limit (1,024).
pub const MAX_CONNECTIONS: usize = 256;
/// The longest request head read, in bytes. Browsers send a few KiB at most; cookies of other
/// programs served on localhost can add some more.
pub const MAX_HEAD: usize = 64 * 1024;
/// How long a connection may take to send a request head, and stay idle between requests.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
/// The wait before accepting again after running out of file descriptors or memory.
const BACK_OFF: Duration = Duration::from_millis(200);

/// What a connection beyond [`MAX_CONNECTIONS`] is told before it is closed.
const TOO_MANY: &str = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 43\r\nConnection: close\r\nRetry-After: 1\r\n\r\nbusy: too many connections to the preview\r\n";

/// Serves `app` on `listener` until the listener breaks; returns why.
pub async fn run(listener: TcpListener, app: Router) -> io::Error {
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    accept_loop(
        || listener.accept(),
        |stream: TcpStream| match Arc::clone(&open).try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(connection(stream, app.clone(), permit));
            }
            Err(_) => {
                // Best effort, without waiting: a client that does not read is not waited for.
                let _ = stream.try_write(TOO_MANY.as_bytes());
            }
        },
    )
    .await
}

/// Accepts until an error that is not about resources, backing off on those.
async fn accept_loop<S, A, F>(mut accept: A, mut handle: impl FnMut(S)) -> io::Error
where
    A: FnMut() -> F,
    F: Future<Output = io::Result<(S, std::net::SocketAddr)>>,
{
    let mut starved = false;
    loop {
        match accept().await {
            Ok((stream, _)) => {
                starved = false;
                handle(stream);
            }
            Err(e) if is_transient(&e) => {
                if !starved && is_out_of_resources(&e) {
                    // Once per shortage, not once per retry.
                    eprintln!("warning: the preview cannot accept a connection ({e}); it waits for connections to close and goes on");
                    starved = true;
                }
                tokio::time::sleep(BACK_OFF).await;
            }
            Err(e) => return e,
        }
    }
}

/// One connection, served by hyper with the limits above; the permit is its seat in
/// [`MAX_CONNECTIONS`], given back when it closes.
async fn connection(stream: TcpStream, app: Router, _seat: OwnedSemaphorePermit) {
    let _ = stream.set_nodelay(true);
    let service = TowerToHyperService::new(app);
    // Errors here are the client's (it went away, it sent garbage): hyper has answered what it
    // could, and there is nobody to tell.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIME)
        .max_buf_size(MAX_HEAD)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Accept errors that say nothing about the listener: a connection that went away before it
/// was accepted, or a shortage of descriptors or memory that closing connections cures.
fn is_transient(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted
            | ConnectionReset
            | ConnectionRefused
            | Interrupted
            | WouldBlock
            | TimedOut
    ) || is_out_of_resources(e)
}

/// Too many open files (the process's or the system's), no buffer space, no memory.
fn is_out_of_resources(e: &io::Error) -> bool {
    #[cfg(unix)]
    const CODES: [i32; 4] = [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM];
    // WSAEMFILE and WSAENOBUFS.
    #[cfg(windows)]
    const CODES: [i32; 2] = [10024, 10055];
    #[cfg(not(any(unix, windows)))]
    const CODES: [i32; 0] = [];
    e.kind() == io::ErrorKind::OutOfMemory || e.raw_os_error().is_some_and(|c| CODES.contains(&c))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::net::SocketAddr;

    /// Runs the accept loop over a scripted list of results; returns the error it stopped with
    /// and what it accepted.
    fn script(results: Vec<io::Result<u32>>) -> (io::Error, Vec<u32>) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut results: VecDeque<_> = results.into();
        let mut accepted = Vec::new();
        let error = runtime.block_on(accept_loop(
            || {
                let next = results
                    .pop_front()
                    .unwrap_or_else(|| Err(io::Error::other("script ended")));
                let address = SocketAddr::from(([127, 0, 0, 1], 1));
                async move { next.map(|n| (n, address)) }
            },
            |n| accepted.push(n),
        ));
        (error, accepted)
    }

    #[test]
    fn running_out_of_descriptors_backs_off_and_goes_on() {
        let (error, accepted) = script(vec![
            Ok(1),
            Err(io::Error::from_raw_os_error(libc::EMFILE)),
            Err(io::Error::from_raw_os_error(libc::EMFILE)),
            Err(io::Error::from_raw_os_error(libc::ENFILE)),
            Err(io::ErrorKind::ConnectionAborted.into()),
            Ok(2),
            Err(io::Error::from_raw_os_error(libc::EBADF)),
            Ok(3),
        ]);
        assert_eq!(accepted, [1, 2], "it stopped at the broken listener");
        assert_eq!(error.raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn the_busy_answer_is_well_formed() {
        let (head, body) = TOO_MANY.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("Content-Length: {}", body.len())),
            "{head}"
        );
    }

    #[test]
    fn a_broken_listener_ends_the_loop() {
        let (error, accepted) = script(vec![Err(io::Error::from_raw_os_error(libc::EINVAL))]);
        assert!(accepted.is_empty());
        assert_eq!(error.raw_os_error(), Some(libc::EINVAL));
    }
}
