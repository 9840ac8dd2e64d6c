//! Connections: the accept loop, with the bounds a server on an open port
//! needs and `axum::serve` does not set.
//!
//! - **Headers** of every request, and the wait for the next request on a
//!   kept-alive connection, must arrive within [`Limits::header_timeout`]
//!   (hyper's header-read timer): half-sent headers and idle connections are
//!   closed.
//! - **A body** must arrive whole within [`Limits::body_timeout`] of its
//!   headers, however it trickles ([`DeadlineBody`]); a route reading it
//!   then answers 408.
//! - **Connections** are at most [`Limits::max_connections`]; more are
//!   closed at once (the open ones keep being served). On Unix the
//!   process's descriptor limit is raised to fit them if it can be, and the
//!   bound lowered to fit it if not (with a warning), so that accepting
//!   never runs out of descriptors.
//! - **Shutdown** stops accepting and lets requests in flight finish for at
//!   most [`Limits::shutdown_timeout`]; then `overdue` runs (the server
//!   cancels the work still in flight, which answers 503) and the
//!   connections get [`CANCEL_GRACE`] more before they are dropped.
//!
//! Every request carries its client's address (`ConnectInfo<SocketAddr>`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Connection bounds (see the module documentation).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest wait for a request's headers (and for the next request on an
    /// idle connection).
    pub header_timeout: Duration,
    /// Longest wait for a request's whole body, from its headers.
    pub body_timeout: Duration,
    /// Most connections open at once.
    pub max_connections: usize,
    /// Longest wait for requests in flight at shutdown.
    pub shutdown_timeout: Duration,
}

/// How long cancelled requests get to answer after the shutdown timeout.
pub const CANCEL_GRACE: Duration = Duration::from_secs(1);

/// Serve `router` on `listener` until `stopping` completes, then drain
/// (bounded by [`Limits::shutdown_timeout`], then `overdue`, then
/// [`CANCEL_GRACE`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    stopping: impl Future<Output = ()>,
    overdue: impl FnOnce(),
) -> std::io::Result<()> {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let max_connections = fit_descriptors(limits.max_connections);
    let slots = Arc::new(Semaphore::new(max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(MAX_HEAD_BYTES);
    tokio::pin!(stopping);
    // Whether new connections are being closed for want of a slot (logged
    // once when it starts and once when it stops, not per connection).
    let mut refusing = false;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept:
                    // keep serving the connections already open.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stopping => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            if !refusing {
                tracing::warn!(
                    "{max_connections} connections are open (zopa serve --max-connections): new ones are closed at once, {peer}'s first"
                );
                refusing = true;
            }
            continue;
        };
        if refusing {
            tracing::warn!("connections are accepted again");
            refusing = false;
        }
        serve_connection(
            &http,
            &graceful,
            stream,
            peer,
            router.clone(),
            limits.body_timeout,
            slot,
        );
    }
    drop(listener);
    drain(graceful, limits.shutdown_timeout, overdue).await;
    Ok(())
}

/// Serve one accepted connection in its own task, holding its `slot`:
/// each request's body gets its deadline and carries the client's address.
fn serve_connection(
    http: &hyper::server::conn::http1::Builder,
    graceful: &hyper_util::server::graceful::GracefulShutdown,
    stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    router: Router,
    body_timeout: Duration,
    slot: tokio::sync::OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let mut req = req.map(|b| Body::new(DeadlineBody::new(b, body_timeout)));
        req.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(req)
    });
    let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
    tokio::spawn(async move {
        let _slot = slot;
        if let Err(e) = conn.await {
            tracing::debug!("{peer}: {e}");
        }
    });
}

/// Let the open connections finish for `timeout`; then run `overdue`
/// (cancel the work in flight) and give them [`CANCEL_GRACE`] more.
async fn drain(
    graceful: hyper_util::server::graceful::GracefulShutdown,
    timeout: Duration,
    overdue: impl FnOnce(),
) {
    let drained = graceful.shutdown();
    tokio::pin!(drained);
    if tokio::time::timeout(timeout, &mut drained).await.is_ok() {
        return;
    }
    tracing::warn!(
        "cancelling the work still in flight after {} s (zopa serve --shutdown-timeout)",
        timeout.as_secs_f64()
    );
    overdue();
    if tokio::time::timeout(CANCEL_GRACE, drained).await.is_err() {
        tracing::warn!("dropped the requests that did not answer their cancellation");
    }
}

/// The most a request line and its headers may take (hyper answers 431,
/// or 414 when the target alone is too long, with an empty body).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Descriptors kept for files (the data directory, uploads) beside the
/// connections.
const SPARE_DESCRIPTORS: u64 = 256;

/// `wanted` connections, or fewer if the descriptor limit cannot be raised
/// to hold them.
#[cfg(unix)]
fn fit_descriptors(wanted: usize) -> usize {
    let need = wanted as u64 + SPARE_DESCRIPTORS;
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the struct passed.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return wanted;
    }
    if lim.rlim_cur < need {
        let raised = libc::rlimit {
            rlim_cur: need.min(lim.rlim_max),
            rlim_max: lim.rlim_max,
        };
        // SAFETY: as above.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            lim.rlim_cur = raised.rlim_cur;
        }
    }
    let fits = lim.rlim_cur.saturating_sub(SPARE_DESCRIPTORS).max(1) as usize;
    if fits < wanted {
        tracing::warn!(
            "serving at most {fits} connections, not {wanted}: the descriptor limit is {} (ulimit -n)",
            lim.rlim_cur
        );
    }
    fits.min(wanted)
}

#[cfg(not(unix))]
fn fit_descriptors(wanted: usize) -> usize {
    wanted
}

/// A request body that must arrive whole before a deadline.
pub struct DeadlineBody {
    body: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
    limit: Duration,
}

impl DeadlineBody {
    /// `body`, due within `limit` from now.
    pub fn new(body: Incoming, limit: Duration) -> DeadlineBody {
        DeadlineBody {
            body,
            deadline: Box::pin(tokio::time::sleep(limit)),
            limit,
        }
    }
}

/// The error a body read gets once its deadline passed.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {} s (zopa serve --body-timeout)", .0.as_secs_f64())]
pub struct BodyTimedOut(pub Duration);

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match this.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut(this.limit))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// Whether `e` (or an error it wraps) is a body that timed out.
pub fn timed_out<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyTimedOut> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<BodyTimedOut>() {
            return Some(t);
        }
        cur = err.source();
    }
    None
}
