//! Authorizer output shapes and the typed, spanned policy model.
//!
//! Three shapes are accepted: a bare policyDocument, a whole REST authorizer response
//! (`principalId`, `policyDocument`, `context`, `usageIdentifierKey`) and an HTTP API simple
//! response (`isAuthorized`, `context`). Building the model validates every statement,
//! whether it will apply or not: anything DESIGN.md calls malformed becomes a [`Problem`],
//! and any problem means API Gateway answers 500, whatever the statements say.
//!
//! [`model`](self) holds the types, `detect` picks the shape, `build` reads the tree and
//! `problem` names what can be wrong ([`ProblemKind`]).

mod build;
mod detect;
mod model;
mod problem;

pub use model::{Authorizer, Effect, Element, InputKind, Policy, Shape, Statement};
pub use problem::{Problem, ProblemKind};
