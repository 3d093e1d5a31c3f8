"""A minimal REST API (v1) TOKEN Lambda authorizer, used to show how to test an
authorizer's real output with policy-check.

  "allow-token" -> Allow execute-api:Invoke on every method and path of the stage
  "deny-token"  -> Deny  execute-api:Invoke on every method and path of the stage
  anything else -> raise "Unauthorized" (API Gateway answers 401)

The policy uses a stage-wide wildcard on purpose: API Gateway caches the
authorizer's response (by token, 300 s by default) and applies the cached policy
to *other* methods and paths, so a policy naming only event["methodArn"] would
deny the next, different request made with the same token. The flip side is
that the wildcard grants everything in the stage, including POST /admin; the
tests show that.
"""

from __future__ import annotations

from typing import Any


def parse_method_arn(method_arn: str) -> dict[str, str]:
    """Split an execute-api method ARN

        arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/RESOURCE...

    into its parts. The resource path may itself contain ':' or '/', so only
    the first five ':' and the first two '/' after them are separators.
    """
    if not isinstance(method_arn, str):
        raise ValueError("methodArn missing from the authorizer event")
    parts = method_arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or parts[2] != "execute-api":
        raise ValueError(f"not an execute-api method ARN: {method_arn}")
    _, partition, _, region, account, rest = parts
    api_id, sep1, after = rest.partition("/")
    stage, sep2, _ = after.partition("/")
    if not (api_id and sep1 and stage and sep2):
        raise ValueError(f"method ARN has no API id and stage: {method_arn}")
    return {
        "partition": partition,
        "region": region,
        "account": account,
        "api_id": api_id,
        "stage": stage,
    }


def stage_wildcard_arn(method_arn: str) -> str:
    """arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/STAGE/*"""
    p = parse_method_arn(method_arn)
    return (
        f"arn:{p['partition']}:execute-api:{p['region']}:{p['account']}:"
        f"{p['api_id']}/{p['stage']}/*"
    )


def _response(effect: str, method_arn: str) -> dict[str, Any]:
    return {
        "principalId": "user-1",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "InvokeStage",
                    "Action": "execute-api:Invoke",
                    "Effect": effect,
                    "Resource": stage_wildcard_arn(method_arn),
                }
            ],
        },
        # REST authorizer context values must be strings, numbers or booleans.
        "context": {"tier": "gold", "quota": 10},
    }


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    token = (event or {}).get("authorizationToken")
    if token == "allow-token":
        return _response("Allow", event.get("methodArn"))
    if token == "deny-token":
        return _response("Deny", event.get("methodArn"))
    # This exact message makes API Gateway answer 401 Unauthorized.
    raise Exception("Unauthorized")
