//! A bound on the heavy requests one client address has in flight: a
//! client past it is answered 429 at once, so it cannot take every worker
//! and the whole queue from the others.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;
use crate::AppState;

/// Heavy requests in flight by client address.
pub struct Clients {
    max: usize,
    in_flight: Mutex<HashMap<IpAddr, usize>>,
}

impl Clients {
    /// At most `max` heavy requests per client address.
    pub fn new(max: usize) -> Clients {
        Clients {
            max,
            in_flight: Mutex::default(),
        }
    }

    /// A place for one more request of `ip`, or None if it has `max`.
    fn enter(self: &Arc<Self>, ip: IpAddr) -> Option<Place> {
        let mut m = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let n = m.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Place {
            clients: self.clone(),
            ip,
        })
    }
}

/// One request's place; it leaves on drop.
struct Place {
    clients: Arc<Clients>,
    ip: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut m = self
            .clients
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.ip);
            }
        }
    }
}

/// Middleware of the heavy routes: 429 with `Retry-After: 1` when the
/// client already has its share in flight. Requests without a client
/// address (a router called in-process) are not counted.
pub async fn bound(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(ip) = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return next.run(req).await;
    };
    let Some(place) = state.clients.enter(ip) else {
        let mut r = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many requests",
            format!(
                "this client already has {} heavy requests in flight, this server's bound (zopa serve --max-per-client); wait for one to finish",
                state.clients.max
            ),
        )
        .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    };
    let r = next.run(req).await;
    drop(place);
    r
}
