'use strict';

// Tests the authorizer's *real* output against policy-check, which predicts
// what API Gateway does with it for a given request.
//
// The policy-check binary is $POLICY_CHECK if set, else `policy-check` on PATH.
// Run: POLICY_CHECK=/path/to/policy-check npx jest

const { spawnSync } = require('node:child_process');
const { handler } = require('./authorizer');

const POLICY_CHECK = process.env.POLICY_CHECK || 'policy-check';

// Pin every part of the request ARN, so that the answer cannot be "depends".
const PINS = [
  '--partition', 'aws',
  '--region', 'us-east-1',
  '--account', '123456789012',
  '--api-id', 'abc123',
  '--stage', 'prod',
];

// What API Gateway hands a REST TOKEN authorizer for `GET /things` on stage prod.
function tokenEvent(token) {
  return {
    type: 'TOKEN',
    authorizationToken: token,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things',
  };
}

/**
 * Pipe `authorizerOutput` (as JSON, on stdin) to
 * `policy-check - METHOD PATH <pins> ...extra` and return
 * { status, stdout, stderr }.
 */
function policyCheck(authorizerOutput, method, path, extra = []) {
  const args = ['-', method, path, ...PINS, ...extra];
  const r = spawnSync(POLICY_CHECK, args, {
    input: JSON.stringify(authorizerOutput),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error) {
    throw new Error(
      `could not run ${POLICY_CHECK} (set POLICY_CHECK to the built binary): ${r.error.message}`,
    );
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Run with --format json and parse the single JSON object it prints. */
function policyCheckJson(authorizerOutput, method, path, extra = []) {
  const r = policyCheck(authorizerOutput, method, path, ['--format', 'json', ...extra]);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(
      `policy-check --format json did not print JSON (exit ${r.status}): ${e.message}\n` +
        `stdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
  }
  return { ...r, report };
}

describe('authorizer output, checked with policy-check', () => {
  test('allow-token is allowed for GET /things (exit code 0 with --expect allow)', async () => {
    const output = await handler(tokenEvent('allow-token'));
    const r = policyCheck(output, 'GET', '/things', ['--expect', 'allow']);
    // Matching on the whole result shows stdout/stderr when it fails.
    expect(r).toMatchObject({ status: 0 });

    // And the other way round: the deny token does not meet --expect allow
    // (exit 1), but does meet --expect explicit-deny (exit 0).
    const denied = await handler(tokenEvent('deny-token'));
    expect(policyCheck(denied, 'GET', '/things', ['--expect', 'allow'])).toMatchObject({ status: 1 });
    expect(policyCheck(denied, 'GET', '/things', ['--expect', 'explicit-deny'])).toMatchObject({
      status: 0,
    });
  });

  test('--format json: allow-token -> 200, deny-token -> explicit_deny / 403', async () => {
    const allowed = policyCheckJson(await handler(tokenEvent('allow-token')), 'GET', '/things');
    expect(allowed.status).toBe(0);
    expect(allowed.report.decision).toBe('allow');
    expect(allowed.report.response.status).toBe(200);
    expect(allowed.report.request.arn).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things',
    );

    const denied = policyCheckJson(await handler(tokenEvent('deny-token')), 'GET', '/things');
    expect(denied.status).toBe(1);
    expect(denied.report.decision).toBe('explicit_deny');
    expect(denied.report.response.status).toBe(403);
    // The statement that decided it is the authorizer's one Deny statement.
    expect(denied.report.deciding).toEqual(
      expect.arrayContaining([expect.objectContaining({ index: 0, sid: 'InvokeStage' })]),
    );
  });

  test('the stage wildcard also allows POST /admin (what the wildcard grants)', async () => {
    // The policy was produced for GET /things, but API Gateway caches it per
    // token and applies it to the token's next requests too. Its resource
    // abc123/prod/* covers every method and path of the stage, admin included.
    // If that is not what you want, this is the test that should fail.
    const output = await handler(tokenEvent('allow-token'));

    expect(policyCheck(output, 'POST', '/admin', ['--expect', 'allow'])).toMatchObject({ status: 0 });

    const { report } = policyCheckJson(output, 'POST', '/admin');
    expect(report.decision).toBe('allow');
    expect(report.response.status).toBe(200);
    expect(report.request.arn).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/admin',
    );
  });
});

describe('authorizer, without policy-check', () => {
  test('an unknown token throws "Unauthorized" (API Gateway answers 401)', async () => {
    await expect(handler(tokenEvent('some-other-token'))).rejects.toThrow(/^Unauthorized$/);
    await expect(handler({ methodArn: tokenEvent('').methodArn })).rejects.toThrow('Unauthorized');
  });

  test('principalId, context and the wildcard resource', async () => {
    const output = await handler(tokenEvent('allow-token'));
    expect(output.principalId).toBe('user-1');
    expect(output.context).toEqual({ tier: 'gold', quota: 10 });
    expect(output.policyDocument.Statement[0].Resource).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*',
    );
  });

  test('methodArn is split properly (other partition, path with a colon)', async () => {
    const output = await handler({
      type: 'TOKEN',
      authorizationToken: 'deny-token',
      methodArn: 'arn:aws-cn:execute-api:cn-north-1:111122223333:xyz789/dev/GET/a:b/c',
    });
    expect(output.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Resource: 'arn:aws-cn:execute-api:cn-north-1:111122223333:xyz789/dev/*',
    });
  });
});
