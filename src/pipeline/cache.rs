//! The authorizer result cache (pipeline.md §2.8, issue 10 §2), with a virtual clock.
//!
//! The key is the token (TOKEN) or every identity-source value (REQUEST, HTTP API), scoped
//! per API stage and authorizer (inferred). The cached item is the authorizer's output: its policy
//! (with context and usageIdentifierKey) is evaluated again against each later request's
//! method ARN; an HTTP simple response's verdict holds for every route. The TTL is the
//! definition's `authorizerResultTtlInSeconds` (REST default 300; 0 disables). Whether 401
//! and 500 results are cached, and the HTTP API default TTL, are undocumented: lookups that
//! meet them fork.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::Checked;

/// What was cached.
#[derive(Debug, Clone)]
pub(crate) enum Cached {
    /// The authorizer's output.
    Output(Arc<Checked>),
    /// It threw `Unauthorized` (401).
    Unauthorized,
    /// It threw something else, or its output was malformed (500).
    Failed,
}

/// One cache entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) stored_at: u64,
    /// None: the definition does not say and the default is undocumented (HTTP APIs).
    pub(crate) ttl: Option<u64>,
    /// The request (1-based) whose authorizer result this is, and its label.
    pub(crate) request: usize,
    pub(crate) label: String,
    pub(crate) item: Cached,
}

/// The authorizer cache shared by a sequence of requests, with its virtual clock.
///
/// ```
/// use policy_check::pipeline::Cache;
/// let mut cache = Cache::new();
/// cache.advance(60);
/// assert_eq!(cache.now(), 60);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cache {
    now: u64,
    requests: usize,
    entries: HashMap<String, Entry>,
}

/// A cached result used for a request (JSON: `cache`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheUse {
    /// The request (1-based, in the sequence) whose authorizer result was reused.
    pub from_request: usize,
    /// That request, e.g. `GET /things/1`.
    pub from_label: String,
    /// Seconds since it was cached.
    pub age: u64,
}

impl Cache {
    /// An empty cache at time 0.
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Moves the virtual clock on (`--after SECONDS`).
    pub fn advance(&mut self, seconds: u64) {
        self.now = self.now.saturating_add(seconds);
    }

    /// The virtual time, in seconds since the first request.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Counts a new request and returns its 1-based number.
    pub(crate) fn begin(&mut self) -> usize {
        self.requests += 1;
        self.requests
    }

    /// The entry under `key`, with its age, whatever its TTL.
    pub(crate) fn get(&self, key: &str) -> Option<(&Entry, u64)> {
        self.entries
            .get(key)
            .map(|e| (e, self.now.saturating_sub(e.stored_at)))
    }

    /// Stores a result for request `request`.
    pub(crate) fn store(
        &mut self,
        key: String,
        ttl: Option<u64>,
        request: usize,
        label: String,
        item: Cached,
    ) {
        let entry = Entry {
            stored_at: self.now,
            ttl,
            request,
            label,
            item,
        };
        self.entries.insert(key, entry);
    }

    /// Drops an entry (expired).
    pub(crate) fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }
}
