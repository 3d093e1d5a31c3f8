'use strict';

// Tests the authorizer's *real* output with policy-check, which predicts what API Gateway
// does with it for a given request. policy-check comes from the npm package (its JS API:
// check, assertAllows, assertDenies); scripts/examples.sh installs it from the tarballs that
// scripts/package.sh writes to dist/. No binary on PATH is needed.

const { check, assertAllows, assertDenies } = require('policy-check');
const { handler } = require('./authorizer');

// Pin every part of the request ARN, so that the answer cannot be "depends".
const PINS = {
  partition: 'aws',
  region: 'us-east-1',
  account: '123456789012',
  apiId: 'abc123',
  stage: 'prod',
};

// What API Gateway hands a REST TOKEN authorizer for `GET /things` on stage prod.
function tokenEvent(token) {
  return {
    type: 'TOKEN',
    authorizationToken: token,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things',
  };
}

describe('authorizer output, checked with policy-check', () => {
  test('allow-token is allowed for GET /things; deny-token is denied', async () => {
    // A failed assertion's message is policy-check's explanation (which statement, why).
    await assertAllows(await handler(tokenEvent('allow-token')), 'GET /things', PINS);
    await assertDenies(await handler(tokenEvent('deny-token')), 'GET /things', PINS);
  });

  test('the report: allow-token -> 200, deny-token -> explicit_deny / 403', async () => {
    const allowed = await check(await handler(tokenEvent('allow-token')), 'GET /things', PINS);
    expect(allowed.decision).toBe('allow');
    expect(allowed.response.status).toBe(200);
    expect(allowed.request.arn).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things',
    );

    const denied = await check(await handler(tokenEvent('deny-token')), 'GET /things', PINS);
    expect(denied.decision).toBe('explicit_deny');
    expect(denied.response.status).toBe(403);
    // The statement that decided it is the authorizer's one Deny statement.
    expect(denied.deciding).toEqual(
      expect.arrayContaining([expect.objectContaining({ index: 0, sid: 'InvokeStage' })]),
    );
  });

  test('the stage wildcard also allows POST /admin (what the wildcard grants)', async () => {
    // The policy was produced for GET /things, but API Gateway caches it per
    // token and applies it to the token's next requests too. Its resource
    // abc123/prod/* covers every method and path of the stage, admin included.
    // If that is not what you want, this is the test that should fail.
    const output = await handler(tokenEvent('allow-token'));
    const report = await assertAllows(output, { method: 'POST', path: '/admin' }, PINS);
    expect(report.response.status).toBe(200);
    expect(report.request.arn).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/admin',
    );
  });

  test('a failed assertion explains the decision', async () => {
    const denied = await handler(tokenEvent('deny-token'));
    await expect(assertAllows(denied, 'GET /things', PINS)).rejects.toThrow(
      /explicit deny: GET \/things is denied by statement 0 \(Sid "InvokeStage"\)/,
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
