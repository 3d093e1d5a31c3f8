#!/usr/bin/env python3
"""Time the policy-check CLI on generated inputs (issue 2's CLI speed target).

Generates a ~5 MB policy into target/bench/, builds the release binary and the serde_json
baseline (examples/serde_parse.rs), then times each command several times and prints the
median wall-clock times, their ratio and the peak RSS. Target (issue 12): the whole CLI run,
pinned, human or JSON output, at most 1.5x the time serde_json alone takes to parse the file;
peak RSS under 3x the file size (try --statements 100000 for the 60 MB case).

Usage: python3 scripts/bench-cli.py [--runs N] [--mb SIZE | --statements N]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "bench")


def generate(path, megabytes, count=None):
    """A realistic-looking policy: many statements, 5 Resource entries each, the request
    matching only a late statement, so evaluation walks everything."""
    statements = []
    size = 0
    i = 0
    while (i < count - 1) if count else (size < megabytes * 1024 * 1024):
        effect = "Deny" if i % 7 == 3 else "Allow"
        resources = [
            f"arn:aws:execute-api:us-east-1:123456789012:api{i}/prod/GET/items/{r}/*"
            for r in range(5)
        ]
        st = {"Sid": f"S{i}", "Effect": effect, "Action": "execute-api:Invoke", "Resource": resources}
        statements.append(st)
        size += len(json.dumps(st)) + 1
        i += 1
    statements.append({
        "Effect": "Allow",
        "Action": "execute-api:Invoke",
        "Resource": "arn:aws:execute-api:us-east-1:123456789012:target/prod/GET/*",
    })
    doc = {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": statements}}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return len(statements)


GNU_TIME = "/usr/bin/time"


def peak_rss(cmd):
    """Peak RSS (bytes) of one run of `cmd`. Measured through GNU time when it is there:
    a child's ru_maxrss also counts the RSS of the process it was forked from (Linux keeps
    the high-water mark across exec), and this script holds the generated policy, so
    wait4's figure would be this script's size for small inputs."""
    if not os.path.exists(GNU_TIME):
        print("  (GNU time not found: peak RSS includes this script's own; apt-get install time)")
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return os.wait4(proc.pid, 0)[2].ru_maxrss * 1024
    out = subprocess.run([GNU_TIME, "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    return int(out.strip().splitlines()[-1]) * 1024


def median_time(cmd, runs):
    """Median wall time over `runs` runs, and the peak RSS (bytes) of one more."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, _ = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed ({code})")
    return statistics.median(times), peak_rss(cmd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--mb", type=float, default=5)
    ap.add_argument("--statements", type=int, help="generate this many statements (overrides --mb)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "policy-check",
                    "--example", "serde_parse"], cwd=ROOT, check=True)
    label = f"{args.statements}st" if args.statements else f"{args.mb:g}mb"
    policy = os.path.join(OUT, f"policy-{label}.json")
    n = generate(policy, args.mb, args.statements)
    size = os.path.getsize(policy) / (1024 * 1024)
    release = os.path.join(ROOT, "target", "release")
    pins = ["--partition", "aws", "--region", "us-east-1", "--account", "123456789012",
            "--api-id", "target", "--stage", "prod"]
    rows = [
        ("serde_json parse only", [os.path.join(release, "examples", "serde_parse"), policy]),
        ("policy-check, pinned request", [os.path.join(release, "policy-check"), policy, "GET", "/items/1", *pins]),
        ("policy-check --format json", [os.path.join(release, "policy-check"), policy, "GET", "/items/1", *pins, "--format", "json"]),
        ("policy-check, stage unpinned", [os.path.join(release, "policy-check"), policy, "GET", "/items/1", *pins[:8]]),
    ]
    print(f"input: {policy} ({size:.1f} MB, {n} statements), median of {args.runs} runs")
    base = None
    for name, cmd in rows:
        t, rss = median_time(cmd, args.runs)
        base = base or t
        print(f"  {name:32} {t * 1000:8.1f} ms   {t / base:5.2f}x serde_json   "
              f"peak RSS {rss / 1048576:6.1f} MB = {rss / 1048576 / size:4.2f}x the file")


if __name__ == "__main__":
    main()
