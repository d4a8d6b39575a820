//! Shared test helpers: fixtures and a scripted HTTP server that records what it is sent.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// Reads a file from tests/fixtures.
pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// One request the scripted server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Canned {
    pub fn json(status: u16, body: &str) -> Self {
        Canned {
            status,
            headers: vec![("content-type".into(), "application/json; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn raw(status: u16, content_type: &str, body: &[u8]) -> Self {
        Canned {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_vec(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

#[derive(Default)]
struct Script {
    answers: VecDeque<Canned>,
    seen: Vec<Seen>,
}

/// A server on 127.0.0.1:0 answering from a queue; when the queue is empty it answers 599.
pub struct Scripted {
    pub base_url: String,
    script: Arc<Mutex<Script>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Scripted {
    pub async fn start(answers: Vec<Canned>) -> Self {
        let script = Arc::new(Mutex::new(Script {
            answers: answers.into(),
            seen: Vec::new(),
        }));
        let state = script.clone();
        let app =
            axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    let mut s = state.lock().unwrap();
                    s.seen.push(Seen {
                        method,
                        uri: uri.to_string(),
                        headers,
                        body: body.to_vec(),
                    });
                    match s.answers.pop_front() {
                        Some(c) => {
                            let mut resp = Response::builder().status(c.status);
                            for (k, v) in &c.headers {
                                resp = resp.header(k, v);
                            }
                            resp.body(axum::body::Body::from(c.body)).unwrap()
                        }
                        None => (StatusCode::from_u16(599).unwrap(), "script exhausted").into_response(),
                    }
                }
            });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Scripted {
            base_url: format!("http://{addr}"),
            script,
            _task: task,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.script.lock().unwrap().seen.clone()
    }
}

/// A loopback port that takes connections and closes each, unanswered, after `hold`: a
/// reachable address where no HTTP answer ever comes. It stays bound for the test's life, so
/// unlike a port bound and released, nothing else can start listening there meanwhile.
pub struct Hangup {
    pub base_url: String,
    accepted: Arc<std::sync::atomic::AtomicUsize>,
    _task: tokio::task::JoinHandle<()>,
}

impl Hangup {
    pub async fn start(hold: std::time::Duration) -> Self {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = accepted.clone();
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::spawn(async move {
                    tokio::time::sleep(hold).await;
                    drop(conn);
                });
            }
        });
        Hangup {
            base_url: format!("http://{addr}"),
            accepted,
            _task: task,
        }
    }

    /// How many connections were made to it.
    pub fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}
