'use strict';

// A minimal REST API (v1) TOKEN Lambda authorizer, used to show how to test an
// authorizer's real output with policy-check.
//
//   "allow-token" -> Allow execute-api:Invoke on every method and path of the stage
//   "deny-token"  -> Deny  execute-api:Invoke on every method and path of the stage
//   anything else -> throw "Unauthorized" (API Gateway answers 401)
//
// The policy uses a stage-wide wildcard on purpose: API Gateway caches the
// authorizer's response (by token, 300 s by default) and applies the cached
// policy to *other* methods and paths, so a policy naming only event.methodArn
// would deny the next, different request made with the same token. The
// flip side is that the wildcard grants everything in the stage, including
// POST /admin; the tests show that.

/**
 * Split an execute-api method ARN
 *   arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/RESOURCE...
 * into its parts. The resource path may itself contain ':' or '/', so only the
 * first five ':' and the first two '/' after them are separators.
 */
function parseMethodArn(methodArn) {
  if (typeof methodArn !== 'string') {
    throw new Error('methodArn missing from the authorizer event');
  }
  const parts = methodArn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'execute-api') {
    throw new Error(`not an execute-api method ARN: ${methodArn}`);
  }
  const [, partition, , region, account] = parts;
  const rest = parts.slice(5).join(':'); // API_ID/STAGE/METHOD/RESOURCE...
  const slash1 = rest.indexOf('/');
  const slash2 = slash1 < 0 ? -1 : rest.indexOf('/', slash1 + 1);
  if (slash1 <= 0 || slash2 <= slash1 + 1) {
    throw new Error(`method ARN has no API id and stage: ${methodArn}`);
  }
  return {
    partition,
    region,
    account,
    apiId: rest.slice(0, slash1),
    stage: rest.slice(slash1 + 1, slash2),
  };
}

/** arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/STAGE/* */
function stageWildcardArn(methodArn) {
  const { partition, region, account, apiId, stage } = parseMethodArn(methodArn);
  return `arn:${partition}:execute-api:${region}:${account}:${apiId}/${stage}/*`;
}

function buildResponse(effect, methodArn) {
  return {
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'InvokeStage',
          Action: 'execute-api:Invoke',
          Effect: effect,
          Resource: stageWildcardArn(methodArn),
        },
      ],
    },
    // REST authorizer context values must be strings, numbers or booleans.
    context: { tier: 'gold', quota: 10 },
  };
}

exports.handler = async function handler(event) {
  switch (event && event.authorizationToken) {
    case 'allow-token':
      return buildResponse('Allow', event.methodArn);
    case 'deny-token':
      return buildResponse('Deny', event.methodArn);
    default:
      // This exact message makes API Gateway answer 401 Unauthorized.
      throw new Error('Unauthorized');
  }
};

exports.parseMethodArn = parseMethodArn;
exports.stageWildcardArn = stageWildcardArn;
