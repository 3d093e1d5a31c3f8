"""Tests the authorizer's *real* output against policy-check, which predicts
what API Gateway does with it for a given request.

The policy-check binary is $POLICY_CHECK if set, else `policy-check` on PATH.
Run: POLICY_CHECK=/path/to/policy-check python -m pytest
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from authorizer import handler

POLICY_CHECK = os.environ.get("POLICY_CHECK") or "policy-check"

# Pin every part of the request ARN, so that the answer cannot be "depends".
PINS = [
    "--partition", "aws",
    "--region", "us-east-1",
    "--account", "123456789012",
    "--api-id", "abc123",
    "--stage", "prod",
]


def token_event(token: str) -> dict[str, Any]:
    """What API Gateway hands a REST TOKEN authorizer for GET /things on stage prod."""
    return {
        "type": "TOKEN",
        "authorizationToken": token,
        "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things",
    }


def policy_check(
    authorizer_output: Any, method: str, path: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Pipe authorizer_output (as JSON, on stdin) to
    `policy-check - METHOD PATH <pins> *extra`."""
    args = [POLICY_CHECK, "-", method, path, *PINS, *extra]
    try:
        return subprocess.run(
            args,
            input=json.dumps(authorizer_output),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except FileNotFoundError as e:
        pytest.fail(
            f"could not run {POLICY_CHECK} (set POLICY_CHECK to the built binary): {e}"
        )


def assert_exit(r: subprocess.CompletedProcess[str], code: int) -> None:
    assert r.returncode == code, (
        f"{' '.join(r.args)} exited {r.returncode}, expected {code}\n"
        f"stdout: {r.stdout}\nstderr: {r.stderr}"
    )


def policy_check_json(
    authorizer_output: Any, method: str, path: str, *extra: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run with --format json and parse the single JSON object it prints."""
    r = policy_check(authorizer_output, method, path, "--format", "json", *extra)
    try:
        report = json.loads(r.stdout)
    except json.JSONDecodeError as e:
        pytest.fail(
            f"policy-check --format json did not print JSON (exit {r.returncode}): {e}\n"
            f"stdout: {r.stdout}\nstderr: {r.stderr}"
        )
    return r, report


# --- checked with policy-check ------------------------------------------------


def test_allow_token_is_allowed_exit_code():
    """allow-token is allowed for GET /things: exit code 0 with --expect allow."""
    output = handler(token_event("allow-token"), None)
    assert_exit(policy_check(output, "GET", "/things", "--expect", "allow"), 0)

    # And the other way round: the deny token does not meet --expect allow
    # (exit 1), but does meet --expect explicit-deny (exit 0).
    denied = handler(token_event("deny-token"), None)
    assert_exit(policy_check(denied, "GET", "/things", "--expect", "allow"), 1)
    assert_exit(policy_check(denied, "GET", "/things", "--expect", "explicit-deny"), 0)


def test_json_report_allow_and_explicit_deny():
    """--format json: allow-token -> allow / 200, deny-token -> explicit_deny / 403."""
    r, report = policy_check_json(handler(token_event("allow-token"), None), "GET", "/things")
    assert_exit(r, 0)
    assert report["decision"] == "allow"
    assert report["response"]["status"] == 200
    assert report["request"]["arn"] == (
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"
    )

    r, report = policy_check_json(handler(token_event("deny-token"), None), "GET", "/things")
    assert_exit(r, 1)
    assert report["decision"] == "explicit_deny"
    assert report["response"]["status"] == 403
    # The statement that decided it is the authorizer's one Deny statement.
    assert any(
        d.get("index") == 0 and d.get("sid") == "InvokeStage" for d in report["deciding"]
    ), report["deciding"]


def test_stage_wildcard_also_allows_post_admin():
    """What the wildcard grants: POST /admin is allowed too.

    The policy was produced for GET /things, but API Gateway caches it per
    token and applies it to the token's next requests too. Its resource
    abc123/prod/* covers every method and path of the stage, admin included.
    If that is not what you want, this is the test that should fail.
    """
    output = handler(token_event("allow-token"), None)

    assert_exit(policy_check(output, "POST", "/admin", "--expect", "allow"), 0)

    _, report = policy_check_json(output, "POST", "/admin")
    assert report["decision"] == "allow"
    assert report["response"]["status"] == 200
    assert report["request"]["arn"] == (
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/admin"
    )


# --- the authorizer alone -----------------------------------------------------


def test_unknown_token_raises_unauthorized():
    """API Gateway answers 401 when the authorizer fails with exactly "Unauthorized"."""
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        handler(token_event("some-other-token"), None)
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        handler({"methodArn": token_event("")["methodArn"]}, None)


def test_principal_context_and_wildcard_resource():
    output = handler(token_event("allow-token"), None)
    assert output["principalId"] == "user-1"
    assert output["context"] == {"tier": "gold", "quota": 10}
    assert output["policyDocument"]["Statement"][0]["Resource"] == (
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"
    )


def test_method_arn_is_split_properly():
    """Other partition, and a resource path containing ':'."""
    output = handler(
        {
            "type": "TOKEN",
            "authorizationToken": "deny-token",
            "methodArn": "arn:aws-cn:execute-api:cn-north-1:111122223333:xyz789/dev/GET/a:b/c",
        },
        None,
    )
    statement = output["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Deny"
    assert statement["Resource"] == "arn:aws-cn:execute-api:cn-north-1:111122223333:xyz789/dev/*"
