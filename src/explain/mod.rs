//! `explain`: from a response a user saw back to its causes.
//!
//! [`Capture`] reads the response as pasted (`curl -i`, `curl -v`, httpie, a HAR file, a
//! bare body or message, or fields); [`Explanation::of`] matches it against the cause
//! catalog (data in `catalog.toml`, documented in docs/explain.md) and ranks the causes;
//! [`Explanation::replay`] runs the request through the pipeline and folds in what it found
//! ([`Explanation::apply_replay`]); the reports are printers in `report` (`explain_human`,
//! `explain_json`).
//!
//! ```
//! use policy_check::explain::{Capture, Explanation, Step};
//! let pasted = "HTTP/1.1 401 Unauthorized\nx-amzn-ErrorType: UnauthorizedException\n\n{\"message\": \"Unauthorized\"}\n";
//! let capture = Capture::parse("response.txt", pasted.as_bytes()).unwrap();
//! let explanation = Explanation::of(&capture);
//! assert_eq!(explanation.causes[0].step, Step::Identity);
//! ```

mod capture;
mod catalog;
mod docs;
mod explanation;
mod replay;
// The driver of the `explain` subcommand: only the CLI calls it.
#[cfg(feature = "cli")]
pub(crate) mod run;

pub use capture::{
    ApiType, Capture, CapturedRequest, Fields, Form, MAX_CAPTURE_BYTES, MadeBy, read_capped,
};
pub use catalog::{Step, Tag};
pub(crate) use docs::api_type_name;
pub use docs::catalog_markdown;
pub use explanation::{Cause, Explanation, Predicted, ReplayFacts, RuledOut, Signature};
pub use replay::replay_facts;
