#!/usr/bin/env python3
"""`policy-check request` against the parser alone, on a generated REST definition of
5,000 resources x 3 methods (issue 9: one request in under 3x the time `routes` takes to
read the file). Prints the medians and the ratio; asserts nothing.

    cargo build --release && python3 scripts/bench-request.py [target/release/policy-check]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/policy-check"
RUNS = 15
URL = "https://abc123.execute-api.us-east-1.amazonaws.com/prod"


def definition(resources=5000):
    auth = {"type": "apiKey", "name": "Authorization", "in": "header",
            "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {
                "type": "token", "authorizerResultTtlInSeconds": 300,
                "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/fn"}}
    paths = {}
    for i in range(resources):
        # Nested a few levels, with parameters, as real APIs are.
        path = f"/svc{i % 50}/items{i}/{{id}}"
        paths[path] = {m: {"security": [{"tok": []}],
                           "x-amazon-apigateway-integration": {"type": "aws_proxy"}}
                       for m in ("get", "post", "delete")}
    return {"openapi": "3.0.1",
            "servers": [{"url": URL.replace("/prod", "/{basePath}"),
                         "variables": {"basePath": {"default": "prod"}}}],
            "paths": paths, "components": {"securitySchemes": {"tok": auth}}}


def median(cmd):
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    with tempfile.TemporaryDirectory() as d:
        api = os.path.join(d, "api.json")
        out = os.path.join(d, "out.json")
        with open(api, "w") as f:
            # Pretty-printed, as exports are (a one-line file makes every column count scan
            # the whole line).
            json.dump(definition(), f, indent=2)
        with open(out, "w") as f:
            json.dump({"principalId": "u", "policyDocument": {"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke",
                                      "Resource": "*"}]}}, f)
        size = os.path.getsize(api)
        parse = median([BIN, "routes", "--api", api, "--format", "json"])
        req = median([BIN, "request", "--api", api, "--authorizer-output", out,
                      "-H", "Authorization: Bearer t", "--account", "123456789012",
                      "--format", "json", "GET", f"{URL}/svc7/items4957/42"])
        miss = median([BIN, "request", "--api", api, "--account", "123456789012",
                       "--format", "json", "GET", f"{URL}/svc7/nope"])
        print(f"definition: 5000 resources x 3 methods, {size / 1e6:.1f} MB")
        print(f"routes --format json (parser + route table): {parse * 1000:.1f} ms")
        print(f"request (route found, authorizer allows):    {req * 1000:.1f} ms  ratio {req / parse:.2f}x")
        print(f"request (route miss, closest routes):        {miss * 1000:.1f} ms  ratio {miss / parse:.2f}x")


if __name__ == "__main__":
    main()
