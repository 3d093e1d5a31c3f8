#!/usr/bin/env python3
"""Time `policy-check test` on generated fixtures (issue 4's speed target: 1,000 fixture
files with 10 cases each in under 1 s on 2 cores).

Generates target/bench-test/: 1,000 authorizer outputs (REST responses of 3-6 statements)
and one fixture beside each with 10 cases whose expectations are right by construction,
builds the release binary, and prints the median wall-clock time of several runs.

Usage: python3 scripts/bench-test.py [--files N] [--runs N]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "bench-test")
ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123"


def output(i):
    statements = [
        {"Sid": "Read", "Effect": "Allow", "Action": "execute-api:Invoke",
         "Resource": [f"{ARN}/prod/GET/items", f"{ARN}/prod/GET/items/*"]},
        {"Sid": "Write", "Effect": "Allow", "Action": ["execute-api:Invoke"],
         "Resource": f"{ARN}/prod/POST/items"},
        {"Sid": "NoDelete", "Effect": "Deny", "Action": "execute-api:Invoke",
         "Resource": f"{ARN}/*/DELETE/*"},
    ]
    for k in range(i % 4):
        statements.append({"Sid": f"Extra{k}", "Effect": "Allow", "Action": "execute-api:Invoke",
                           "Resource": f"{ARN}/prod/GET/extra{k}/*"})
    return {"principalId": f"user-{i}", "context": {"tier": "gold", "n": i},
            "policyDocument": {"Version": "2012-10-17", "Statement": statements}}


CASES = [
    ("GET /items", "allow", "Read"),
    ("GET /items/42", "allow", "Read"),
    ("POST /items", "allow", "Write"),
    ("DELETE /items/42", "explicit-deny", "NoDelete"),
    ("DELETE /items", "explicit-deny", "NoDelete"),
    ("PUT /items/42", "implicit-deny", None),
    ("GET /other", "implicit-deny", None),
    ("GET /items/42/parts", "allow", "Read"),
    ("PATCH /items", "deny", None),
    ("POST /items/42", "implicit-deny", None),
]


def generate(n):
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for i in range(n):
        name = f"authorizer-{i:05}"
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(output(i), f, indent=2)
        cases = []
        for req, expect, sid in CASES:
            case = {"request": req, "expect": expect}
            if sid:
                case["statement"] = sid
            cases.append(case)
        fixture = {"output": name + ".json",
                   "defaults": {"partition": "aws", "region": "us-east-1",
                                "account": "123456789012", "api_id": "abc123", "stage": "prod"},
                   "cases": cases}
        with open(os.path.join(OUT, name + ".test.json"), "w") as f:
            json.dump(fixture, f, indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "policy-check"],
                   cwd=ROOT, check=True)
    generate(args.files)
    binary = os.path.join(ROOT, "target", "release", "policy-check")
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        proc = subprocess.run([binary, "test", OUT], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"policy-check test failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    last = proc.stdout.strip().splitlines()[-1]
    print(f"{args.files} fixture files x {len(CASES)} cases: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f} s) over {args.runs} runs; last line: {last}")


if __name__ == "__main__":
    main()
