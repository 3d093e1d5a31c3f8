//! What API Gateway rejects in an authorizer output (and what it accepts but deserves a
//! look), as a typed kind with a stable code, plus the message, spans and fix of each
//! occurrence.

use crate::span::Span;

/// Declares [`ProblemKind`] with its codes, so that the list of kinds, `ALL` and `code()`
/// cannot disagree.
macro_rules! kinds {
    ($( $(#[doc = $doc:literal])* $variant:ident => $code:literal, $malformed:literal; )*) => {
        /// The kind of a [`Problem`]: each has a stable code (`policy_check::malformed::…` for
        /// what makes API Gateway answer 500, `policy_check::…` for warnings).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ProblemKind {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl ProblemKind {
            /// Every kind, malformed ones first.
            pub const ALL: &[ProblemKind] = &[$(ProblemKind::$variant),*];

            /// The stable code, e.g. `policy_check::malformed::condition_null`.
            pub fn code(self) -> &'static str {
                match self {
                    $(ProblemKind::$variant => $code,)*
                }
            }

            /// Whether API Gateway rejects the output (500); otherwise it is a warning.
            pub fn is_malformed(self) -> bool {
                match self {
                    $(ProblemKind::$variant => $malformed,)*
                }
            }
        }
    };
}

kinds! {
    /// The top-level value is not an object.
    NotAnObject => "policy_check::malformed::not_an_object", true;
    /// A REST response without `principalId`.
    PrincipalIdMissing => "policy_check::malformed::principal_id_missing", true;
    /// `principalId` is null, an object or an array.
    PrincipalIdType => "policy_check::malformed::principal_id_type", true;
    /// `usageIdentifierKey` is an object or an array.
    UsageIdentifierKeyType => "policy_check::malformed::usage_identifier_key_type", true;
    /// A REST response without `policyDocument`.
    PolicyDocumentMissing => "policy_check::malformed::policy_document_missing", true;
    /// `policyDocument` (or a bare policy) is not an object.
    PolicyDocumentType => "policy_check::malformed::policy_document_type", true;
    /// A REST context value that is an object or an array.
    ContextValueType => "policy_check::malformed::context_value_type", true;
    /// `context` is neither an object nor null.
    ContextType => "policy_check::malformed::context_type", true;
    /// `isAuthorized` is not a boolean.
    IsAuthorizedType => "policy_check::malformed::is_authorized_type", true;
    /// An HTTP simple response without `isAuthorized`.
    IsAuthorizedMissing => "policy_check::malformed::is_authorized_missing", true;
    /// Keys of a REST response and of an HTTP simple response together.
    AmbiguousShape => "policy_check::malformed::ambiguous_shape", true;
    /// The policy document has no `Statement`.
    StatementMissing => "policy_check::malformed::statement_missing", true;
    /// `Statement` is neither an array nor an object.
    StatementType => "policy_check::malformed::statement_type", true;
    /// A statement that is not an object.
    StatementNotObject => "policy_check::malformed::statement_not_object", true;
    /// Effect missing or not exactly `Allow` or `Deny`.
    Effect => "policy_check::malformed::effect", true;
    /// `"Condition": null`.
    ConditionNull => "policy_check::malformed::condition_null", true;
    /// A Condition that is not an object.
    ConditionType => "policy_check::malformed::condition_type", true;
    /// Both Action and NotAction (or Resource and NotResource).
    ElementBoth => "policy_check::malformed::element_both", true;
    /// Neither Action nor NotAction (or Resource nor NotResource).
    ElementMissing => "policy_check::malformed::element_missing", true;
    /// An Action or Resource array entry that is not a string.
    ElementEntryType => "policy_check::malformed::element_entry_type", true;
    /// An Action or Resource that is neither a string nor an array.
    ElementType => "policy_check::malformed::element_type", true;
    /// A key that appears twice in one object (a warning).
    DuplicateKey => "policy_check::duplicate_key", false;
    /// A numeric or boolean `principalId` (a warning).
    PrincipalIdNotString => "policy_check::principal_id_not_string", false;
    /// A null context value (a warning).
    ContextValueNull => "policy_check::context_value_null", false;
}

/// Something that makes API Gateway reject the output (500), or, as a warning, something it
/// accepts but that deserves a look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// One line: what is wrong.
    pub message: String,
    /// The node to label.
    pub span: Span,
    /// The label text.
    pub label: String,
    /// How to fix it.
    pub help: String,
    /// Further spans to label (e.g. the first of two duplicate keys).
    pub related: Vec<(Span, String)>,
}

impl Problem {
    /// The stable code of its kind, e.g. `policy_check::malformed::condition_null`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}
