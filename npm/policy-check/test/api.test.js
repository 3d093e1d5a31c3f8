'use strict';

// Tests of the installed package: the shim, the binary lookup and the JS API.
//   POLICY_CHECK_PACKAGE=<project>/node_modules/policy-check node --test npm/policy-check/test/
// (scripts/packaging-e2e.sh runs them on the package installed from dist/ tarballs).

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PKG = path.resolve(process.env.POLICY_CHECK_PACKAGE || path.join(__dirname, '..'));
const pc = require(PKG);
const SHIM = path.join(PKG, 'bin', 'policy-check.js');

const PINS = { partition: 'aws', region: 'us-east-1', account: '123456789012', apiId: 'abc123', stage: 'prod' };
const ALLOW_PROD = {
  principalId: 'u',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke',
      Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*' }],
  },
};

// Rejects, with a message (not String(error), which starts with the error's name) matching re.
function rejectsWith(promise, re) {
  return assert.rejects(promise, (e) => {
    assert.match(e.message, re);
    return true;
  });
}

function shim(args, env = {}) {
  return spawnSync(process.execPath, [SHIM, ...args], {
    encoding: 'utf8',
    env: { ...process.env, POLICY_CHECK_BINARY: '', ...env },
  });
}

test('the shim runs the platform binary with the same arguments and exit code', () => {
  const version = shim(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^policy-check \d+\.\d+\.\d+/);
  assert.match(pc.binaryPath({ env: {} }), /@policy-check[/\\]linux-x64[/\\]policy-check$/);
  const usage = shim(['-', 'GET', 'things']);
  assert.equal(usage.status, 2);
});

test('POLICY_CHECK_BINARY overrides the platform package, in the shim and the API', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-npm-'));
  const fake = path.join(dir, 'fake-policy-check');
  fs.writeFileSync(fake, '#!/bin/sh\necho "fake policy-check $*"\nexit 7\n', { mode: 0o755 });
  const r = shim(['lint', 'x.json'], { POLICY_CHECK_BINARY: fake });
  assert.equal(r.stdout, 'fake policy-check lint x.json\n');
  assert.equal(r.status, 7);
  assert.equal(pc.binaryPath({ env: { POLICY_CHECK_BINARY: fake } }), fake);
  assert.throws(() => pc.binaryPath({ env: { POLICY_CHECK_BINARY: path.join(dir, 'nope') } }),
    /POLICY_CHECK_BINARY is set to .*nope, which is not an executable file/);
  fs.rmSync(dir, { recursive: true });
});

test('an unsupported platform gets a clear error naming what to do', () => {
  assert.throws(() => pc.binaryPath({ env: {}, platform: 'darwin', arch: 'arm64' }), (e) => {
    assert.equal(e.name, 'PolicyCheckError');
    assert.match(e.message, /no prebuilt binary for darwin-arm64 \(prebuilt: linux-x64, glibc\)/);
    assert.match(e.message, /set POLICY_CHECK_BINARY/);
    return true;
  });
  assert.throws(() => pc.binaryPath({ env: {}, platform: 'linux', arch: 'x64', musl: true }),
    /no prebuilt binary for linux-x64 with musl libc/);
  assert.throws(
    () => pc.binaryPath({ env: {}, platform: 'linux', arch: 'x64', musl: false,
      resolve: () => { throw new Error('MODULE_NOT_FOUND'); } }),
    /@policy-check\/linux-x64, which carries the policy-check binary for linux-x64, is not installed.*--omit=optional/s);
});

test('the shim reports an unusable override on stderr with exit 2', () => {
  const r = shim(['--version'], { POLICY_CHECK_BINARY: '/nonexistent/policy-check' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^policy-check: POLICY_CHECK_BINARY is set to \/nonexistent\/policy-check/);
});

test('check() returns the --format json document, from an object or JSON text', async () => {
  const report = await pc.check(ALLOW_PROD, 'GET /things', PINS);
  assert.equal(report.schema_version, 1);
  assert.equal(report.decision, 'allow');
  assert.equal(report.input_kind, 'rest');
  assert.equal(report.response.status, 200);
  assert.equal(report.request.arn, 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things');
  assert.equal(report.request.parts.api_id, 'abc123');

  const fromText = await pc.check(JSON.stringify(ALLOW_PROD.policyDocument),
    { method: 'delete', path: '/things' }, { ...PINS, inputKind: 'policy' });
  assert.equal(fromText.input_kind, 'policy');
  assert.equal(fromText.request.method, 'DELETE');
  assert.equal(fromText.decision, 'implicit_deny');
  assert.equal(fromText.response.status, 403);
});

test('check() takes a whole ARN, leaves unpinned parts unknown and assumes only the partition', async () => {
  const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/things';
  assert.equal((await pc.check(ALLOW_PROD, null, { arn })).decision, 'implicit_deny');
  const unpinned = await pc.check(ALLOW_PROD, 'GET /things', { stage: 'prod' });
  assert.equal(unpinned.decision, 'depends');
  assert.deepEqual(unpinned.request.unpinned, ['region', 'account', 'api_id']);
  assert.deepEqual(unpinned.request.assumed, { partition: 'aws' });
});

test('check() rejects what the tool cannot answer, with its message', async () => {
  await assert.rejects(pc.check('{"Statement": [', 'GET /things', PINS), (e) => {
    assert.equal(e.name, 'PolicyCheckError');
    assert.equal(e.exitCode, 2);
    assert.match(e.message, /^policy-check: not valid JSON/);
    assert.equal(e.report.error.code, 'policy_check::not_json');
    return true;
  });
  await rejectsWith(pc.check(ALLOW_PROD, 'GET things', PINS), /^policy-check: .*things/);
  await rejectsWith(pc.check(ALLOW_PROD, 'GET /things', { api_id: 'x' }), /^unknown option api_id/);
  await rejectsWith(pc.check(ALLOW_PROD, null, PINS), /or options\.arn$/);
});

test('assertAllows / assertDenies pass with the report, fail with the explanation', async () => {
  assert.equal((await pc.assertAllows(ALLOW_PROD, 'GET /things', PINS)).decision, 'allow');
  assert.equal((await pc.assertDenies(ALLOW_PROD, 'POST /things', PINS)).decision, 'implicit_deny');

  await assert.rejects(pc.assertAllows(ALLOW_PROD, 'POST /things', PINS), (e) => {
    assert.equal(e.name, 'PolicyCheckAssertionError');
    assert.equal(e.expected, 'allow');
    assert.equal(e.actual, 'implicit_deny');
    assert.equal(e.report.response.status, 403);
    assert.match(e.message, /^implicit deny: no statement allows POST \/things\n/);
    assert.match(e.message, /HTTP\/1\.1 403 Forbidden/);
    assert.match(e.message, /expected allow: NOT met/);
    assert.doesNotMatch(e.message, /\x1b\[/); // no colour codes in a test report
    return true;
  });
  await rejectsWith(pc.assertDenies(ALLOW_PROD, 'GET /things', PINS),
    /^allow: GET \/things is allowed by statement 0[^]*expected deny: NOT met/);
  // Unpinned parts: it must hold for every value, so "depends" fails both.
  await rejectsWith(pc.assertAllows(ALLOW_PROD, 'GET /things', { stage: 'prod' }), /^depends: /);
});
