//! `Action` / `NotAction`. For execute-api the action set is three names; it ships here, so
//! there is no stale catalogue to go wrong.

use super::{Ctx, Finding, suggest};
use crate::pattern;

/// Every execute-api action, as IAM spells them.
pub const ACTIONS: &[&str] = &["Invoke", "InvalidateCache", "ManageConnections"];

rules! {
    family: Action;

    /// ## What it does
    /// Reports a statement whose Action (or NotAction) does not cover `execute-api:Invoke`.
    ///
    /// ## Why it matters
    /// API Gateway only asks whether the caller may `execute-api:Invoke` the method ARN; a
    /// statement about any other action has no effect at all, Allow or Deny.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:InvalidateCache", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Use `"Action": "execute-api:Invoke"`, or remove the statement.
    pub static ACTION_NOT_INVOKE = ("PC020", "action-not-invoke", Warning, "the statement does not cover execute-api:Invoke, so it has no effect");

    /// ## What it does
    /// Reports an Action entry that names no execute-api action: a typo
    /// (`execute-api:Invok`), a wrong service (`executeapi:Invoke`, `apigateway:GET`,
    /// `lambda:InvokeFunction`), or text without `service:action` form. Suggests the closest
    /// name.
    ///
    /// ## Why it matters
    /// The entry can never match the request's action, so it never grants or denies anything.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invok", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Write `execute-api:Invoke`.
    pub static ACTION_UNKNOWN = ("PC021", "action-unknown", Error, "an Action entry that names no execute-api action");

    /// ## What it does
    /// Reports an Allow whose Action is `*`, `execute-api:*` or any wildcard that covers more
    /// than `execute-api:Invoke`.
    ///
    /// ## Why it matters
    /// It also grants `execute-api:InvalidateCache` (a client may flush the stage cache with
    /// `Cache-Control: max-age=0`) and `execute-api:ManageConnections`. SAM CLI only honours
    /// the literal `execute-api:Invoke`, so local runs differ too.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:*", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Use `"Action": "execute-api:Invoke"`.
    pub static ACTION_OVERBROAD = ("PC022", "action-overbroad", Warning, "an Allow on more actions than execute-api:Invoke");

    /// ## What it does
    /// Reports `NotAction`.
    ///
    /// ## Why it matters
    /// `NotAction` applies to every action but the listed ones, which is rarely what is meant;
    /// `NotAction: []` applies to everything. SAM CLI rejects it and serverless-offline
    /// ignores it, so local runs differ from AWS.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "NotAction": "execute-api:InvalidateCache", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// List the action you mean: `"Action": "execute-api:Invoke"`.
    pub static NOT_ACTION = ("PC023", "not-action", Warning, "NotAction in an authorizer policy");

    /// ## What it does
    /// Reports `"Action": []`.
    ///
    /// ## Why it matters
    /// An empty Action matches no action, so the statement never applies.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": [], "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Add `"execute-api:Invoke"`, or remove the statement.
    pub static ACTION_EMPTY = ("PC024", "action-empty", Warning, "an empty Action array");
}

/// Whether an Action entry (IAM: case-insensitive) matches `execute-api:NAME`.
fn covers(entry: &str, name: &str) -> bool {
    pattern::matches(
        &entry.to_ascii_lowercase(),
        &format!("execute-api:{}", name.to_ascii_lowercase()),
    )
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.statements {
        let Some(el) = s.action() else {
            continue;
        };
        let i = s.index;
        if el.negated {
            out.push(
                Finding::new(
                    &NOT_ACTION,
                    el.member.key.span,
                    format!("statement {i} uses NotAction"),
                    if el.empty_array {
                        "NotAction: [] applies to every action"
                    } else {
                        "applies to every action not listed"
                    },
                    "list the action you mean: \"Action\": \"execute-api:Invoke\"",
                )
                .in_statement(i),
            );
        } else if el.empty_array {
            out.push(
                Finding::new(
                    &ACTION_EMPTY,
                    el.member.value.span,
                    format!("statement {i} has an empty Action, so it never applies"),
                    "matches no action",
                    "add \"execute-api:Invoke\", or remove the statement",
                )
                .in_statement(i),
            );
            continue;
        }
        let any_invoke = el.entries.iter().any(|(e, _)| covers(e, "Invoke"));
        if any_invoke == el.negated && !el.entries.is_empty() {
            out.push(
                Finding::new(
                    &ACTION_NOT_INVOKE,
                    el.member.value.span,
                    format!(
                        "statement {i} has no effect: its {} does not cover execute-api:Invoke, the only action API Gateway asks about",
                        el.member.key.value
                    ),
                    "does not cover execute-api:Invoke",
                    "use \"Action\": \"execute-api:Invoke\", or remove the statement",
                )
                .in_statement(i),
            );
        }
        for (entry, span) in &el.entries {
            if let Some((message, label, help)) = unknown(entry) {
                out.push(
                    Finding::new(&ACTION_UNKNOWN, *span, message, label, help).in_statement(i),
                );
            }
            if !el.negated && s.is_allow() && covers(entry, "Invoke") {
                let extra: Vec<String> = ACTIONS[1..]
                    .iter()
                    .filter(|a| covers(entry, a))
                    .map(|a| format!("execute-api:{a}"))
                    .collect();
                if !extra.is_empty() {
                    out.push(
                        Finding::new(
                            &ACTION_OVERBROAD,
                            *span,
                            format!(
                                "statement {i}: Action \"{entry}\" also allows {}",
                                extra.join(" and ")
                            ),
                            "broader than execute-api:Invoke",
                            "use \"Action\": \"execute-api:Invoke\"",
                        )
                        .in_statement(i),
                    );
                }
            }
        }
    }
}

/// Why an entry names no execute-api action: (message, label, help).
fn unknown(entry: &str) -> Option<(String, String, String)> {
    if entry == "*" {
        return None;
    }
    let Some((service, action)) = entry.split_once(':') else {
        return Some((
            format!("Action \"{entry}\" is not of the form service:action"),
            "not service:action".to_string(),
            "write \"execute-api:Invoke\"".to_string(),
        ));
    };
    if !pattern::matches(&service.to_ascii_lowercase(), "execute-api") {
        let help = match suggest(service, &["execute-api"], 3) {
            Some(_) => format!("did you mean \"execute-api:{action}\"?"),
            None => "an authorizer policy is only asked about execute-api:Invoke; write \"execute-api:Invoke\"".to_string(),
        };
        return Some((
            format!("Action \"{entry}\" is not an execute-api action (service `{service}`)"),
            "never matches execute-api:Invoke".to_string(),
            help,
        ));
    }
    if ACTIONS.iter().any(|a| covers(entry, a)) {
        return None;
    }
    let help = match suggest(action, ACTIONS, 3) {
        Some(a) => format!("did you mean \"execute-api:{a}\"?"),
        None => "execute-api actions are Invoke, InvalidateCache and ManageConnections".to_string(),
    };
    Some((
        format!("Action \"{entry}\" names no execute-api action"),
        "unknown action".to_string(),
        help,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_actions() {
        assert!(unknown("execute-api:Invoke").is_none());
        assert!(unknown("execute-api:invoke").is_none());
        assert!(unknown("execute-api:Inv*").is_none());
        assert!(unknown("*").is_none());
        assert!(unknown("execute-*:Invoke").is_none());
        assert!(unknown("execute-api:Invok").unwrap().2.contains("Invoke"));
        assert!(
            unknown("executeapi:Invoke")
                .unwrap()
                .2
                .contains("execute-api:Invoke")
        );
        assert!(unknown("lambda:InvokeFunction").is_some());
        assert!(unknown("Invoke").is_some());
    }
}
