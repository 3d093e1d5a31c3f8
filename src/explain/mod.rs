//! `explain`: from a response a user saw back to its causes.
//!
//! [`Capture`] reads the response as pasted (`curl -i`, `curl -v`, httpie, a HAR file, a
//! bare body or message, or fields); [`Explanation::of`] matches it against the cause
//! catalog (data in `catalog.toml`, documented in docs/explain.md) and ranks the causes;
//! [`Explanation::apply_replay`] folds in what a replay of the request through the pipeline
//! found; [`Explanation::to_json`] and [`render_human`] are its two renderings.
//!
//! ```
//! use policy_check::explain::{Capture, Explanation, Step, render_human};
//! let pasted = "HTTP/1.1 401 Unauthorized\nx-amzn-ErrorType: UnauthorizedException\n\n{\"message\": \"Unauthorized\"}\n";
//! let capture = Capture::parse("response.txt", pasted.as_bytes()).unwrap();
//! let explanation = Explanation::of(&capture);
//! assert_eq!(explanation.causes[0].step, Step::Identity);
//! assert!(render_human(&explanation).contains("[identity]"));
//! ```

mod capture;
mod catalog;
mod explanation;
mod render;

pub use capture::{
    ApiType, Capture, CapturedRequest, Fields, Form, MAX_CAPTURE_BYTES, MadeBy, read_capped,
};
pub use catalog::{Step, Tag};
pub use explanation::{
    Cause, Explanation, JSON_SCHEMA_VERSION, JsonDocument, Predicted, ReplayFacts, RuledOut,
    Signature,
};
pub use render::{catalog_markdown, render_human};
