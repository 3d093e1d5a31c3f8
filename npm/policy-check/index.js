'use strict';

// The JS API of policy-check: run the binary on an authorizer's output and return its
// `--format json` document, or assert a decision with the CLI's explanation as the failure
// message. The binary comes from the platform package (@policy-check/<platform>) that npm
// installed through optionalDependencies, or from $POLICY_CHECK_BINARY.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/**
 * A failed assertAllows / assertDenies. Not node's AssertionError on purpose: jest re-flows
 * that one's message into an expected/received table, which mangles the explanation.
 */
class PolicyCheckAssertionError extends Error {
  constructor(message, { expected, report }) {
    super(message);
    this.name = 'PolicyCheckAssertionError';
    this.code = 'ERR_POLICY_CHECK_ASSERTION';
    /** The outcome asserted: `allow` or `deny`. */
    this.expected = expected;
    /** The decision policy-check gave. */
    this.actual = report.decision;
    /** The whole `--format json` document. */
    this.report = report;
  }
}

/** `${process.platform}-${process.arch}` -> the package that carries the binary for it. */
const PLATFORM_PACKAGES = Object.freeze({
  'linux-x64': '@policy-check/linux-x64',
});

/** Options of check() -> the CLI flag each one sets. */
const PIN_FLAGS = Object.freeze({
  partition: '--partition',
  region: '--region',
  account: '--account',
  apiId: '--api-id',
  stage: '--stage',
  arn: '--arn',
  inputKind: '--input-kind',
  expect: '--expect',
});

/** An error of policy-check itself: no binary, a usage error, input it cannot read (exit 2). */
class PolicyCheckError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'PolicyCheckError';
    /** The exit code of the binary, when it ran. */
    this.exitCode = details.exitCode;
    /** The JSON document it printed (`{decision: null, error: {...}}` for exit 2), if any. */
    this.report = details.report;
    /** What it wrote to stderr. */
    this.stderr = details.stderr;
  }
}

// glibc or musl: Node's process report names the glibc version only on glibc.
function isMusl() {
  try {
    return !process.report.getReport().header.glibcVersionRuntime;
  } catch {
    return false;
  }
}

function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of the policy-check binary: $POLICY_CHECK_BINARY when set, else the one in the
 * platform package. Throws a PolicyCheckError saying what to do when there is none.
 * The argument is for tests: { env, platform, arch, musl, resolve }.
 */
function binaryPath(probe = {}) {
  const env = probe.env || process.env;
  if (env.POLICY_CHECK_BINARY) {
    const file = path.resolve(env.POLICY_CHECK_BINARY);
    if (!isExecutableFile(file)) {
      throw new PolicyCheckError(
        `POLICY_CHECK_BINARY is set to ${env.POLICY_CHECK_BINARY}, which is not an executable file`,
      );
    }
    return file;
  }
  const platform = probe.platform || process.platform;
  const arch = probe.arch || process.arch;
  const key = `${platform}-${arch}`;
  const pkg = PLATFORM_PACKAGES[key];
  const musl = platform === 'linux' && (probe.musl ?? isMusl());
  if (!pkg || musl) {
    throw new PolicyCheckError(
      `policy-check has no prebuilt binary for ${key}${musl ? ' with musl libc' : ''} ` +
        `(prebuilt: ${Object.keys(PLATFORM_PACKAGES).join(', ')}, glibc). ` +
        'Build it with Rust 1.95+ (`cargo install --locked --path .` in a clone of policy-check) ' +
        'and set POLICY_CHECK_BINARY to the path of the binary.',
    );
  }
  try {
    return (probe.resolve || require.resolve)(`${pkg}/policy-check`);
  } catch {
    throw new PolicyCheckError(
      `The package ${pkg}, which carries the policy-check binary for ${key}, is not installed. ` +
        'npm installs it along with policy-check unless optional dependencies are left out ' +
        '(--omit=optional, --no-optional): install again without that, or set ' +
        'POLICY_CHECK_BINARY to a policy-check binary.',
    );
  }
}

// "GET /things" or { method, path } -> [METHOD, PATH].
function requestWords(request) {
  if (typeof request === 'string') {
    const m = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(request);
    if (!m) throw new TypeError(`request must be "METHOD PATH", got ${JSON.stringify(request)}`);
    return [m[1], m[2]];
  }
  if (request && typeof request.method === 'string' && typeof request.path === 'string') {
    return [request.method, request.path];
  }
  throw new TypeError('request must be "METHOD PATH" or { method, path }');
}

function cliArgs(request, options = {}) {
  const args = ['-'];
  if (request != null) {
    if (options.arn != null) throw new TypeError('give a request or options.arn, not both');
    args.push(...requestWords(request));
  } else if (options.arn == null) {
    throw new TypeError('give a request ("GET /things" or { method, path }) or options.arn');
  }
  for (const [key, value] of Object.entries(options)) {
    if (!(key in PIN_FLAGS)) {
      throw new TypeError(`unknown option ${key} (known: ${Object.keys(PIN_FLAGS).join(', ')})`);
    }
    if (value != null) args.push(PIN_FLAGS[key], String(value));
  }
  return args;
}

// The authorizer output as the bytes to pipe in: an object is serialised, text is sent as is.
function stdinOf(output) {
  if (typeof output === 'string' || output instanceof Uint8Array) return output;
  const text = JSON.stringify(output);
  if (text === undefined) throw new TypeError(`cannot send ${typeof output} as JSON`);
  return text;
}

function run(args, input) {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(binaryPath(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(e);
      return;
    }
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.stdin.on('error', () => {}); // it exited before reading everything: its exit says why
    child.on('error', (e) =>
      reject(new PolicyCheckError(`cannot run policy-check (${e.message})`, { stderr: '' })),
    );
    child.on('close', (exitCode, signal) =>
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(input);
  });
}

/**
 * Runs `policy-check - METHOD PATH --format json` (with the options' pins) on `output` and
 * resolves to the JSON document it prints. Rejects with a PolicyCheckError when the tool
 * could not answer (exit 2: not JSON, a bad request...), with its message and help.
 */
async function check(output, request, options = {}) {
  const input = stdinOf(output);
  const r = await run([...cliArgs(request, options), '--format', 'json'], input);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new PolicyCheckError(
      `policy-check printed no JSON (exit ${r.exitCode}${r.signal ? `, ${r.signal}` : ''}): ` +
        (r.stderr.trim() || r.stdout.trim()),
      { exitCode: r.exitCode, stderr: r.stderr },
    );
  }
  if (report.error) {
    const { message, help } = report.error;
    throw new PolicyCheckError(`policy-check: ${message}${help ? `\nhelp: ${help}` : ''}`, {
      exitCode: r.exitCode,
      report,
      stderr: r.stderr,
    });
  }
  return report;
}

async function assertOutcome(expected, output, request, options = {}) {
  const opts = { ...options, expect: expected };
  const report = await check(output, request, opts);
  if (report.expect && report.expect.met) return report;
  // The failure message is what a person reads in the terminal: the human explanation.
  const human = await run([...cliArgs(request, opts), '--color', 'never'], stdinOf(output));
  throw new PolicyCheckAssertionError(human.stdout.trimEnd() || human.stderr.trimEnd(), {
    expected,
    report,
  });
}

/** Resolves to the report when API Gateway allows the request; rejects with the explanation otherwise. */
function assertAllows(output, request, options) {
  return assertOutcome('allow', output, request, options);
}

/** Resolves to the report when API Gateway denies the request (explicitly or implicitly). */
function assertDenies(output, request, options) {
  return assertOutcome('deny', output, request, options);
}

module.exports = {
  check,
  assertAllows,
  assertDenies,
  binaryPath,
  PolicyCheckError,
  PolicyCheckAssertionError,
  PLATFORM_PACKAGES,
};
