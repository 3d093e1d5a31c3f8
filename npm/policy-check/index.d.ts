// Types of the policy-check JS API and of its `--format json` document (schema_version 1).

/** What API Gateway does with the request. */
export type Decision =
  | 'allow'
  | 'explicit_deny'
  | 'implicit_deny'
  | 'malformed'
  | 'depends'
  | 'not_invoked';

/** The outcomes `--expect` (and the assert helpers) take. */
/** An expected outcome; reports write the snake_case form, `--expect` takes either. */
export type Outcome =
  | 'allow'
  | 'deny'
  | 'explicit_deny'
  | 'implicit_deny'
  | 'malformed'
  | 'depends'
  | 'not_invoked'
  | 'explicit-deny'
  | 'implicit-deny'
  | 'not-invoked';

/** The part of the method ARN a pin sets. */
export type ArnPart = 'partition' | 'region' | 'account' | 'api_id' | 'stage';

/** Where a node is in the input: byte offset and length, 1-based line and column. */
export interface Span {
  offset: number;
  length: number;
  line: number;
  column: number;
}

/** The request: `"GET /things"` or `{ method, path }`. */
export type Request = string | { method: string; path: string };

export interface CheckOptions {
  partition?: string;
  region?: string;
  account?: string;
  apiId?: string;
  stage?: string;
  /** The whole method ARN; then pass `null` as the request. Excludes the other pins. */
  arn?: string;
  /** How to read the output; `auto` (default) detects it from its keys. */
  inputKind?: 'auto' | 'policy' | 'rest' | 'http';
  /** Adds `--expect`: the report's `expect` says whether it was met. */
  expect?: Outcome;
}

export interface DecidingStatement {
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  resource_index: number | null;
  resource: string | null;
  span: Span | null;
  statement_span: Span;
  [key: string]: unknown;
}

export interface HttpResponse {
  status: number;
  reason: string;
  /** The `x-amzn-ErrorType` header. */
  error_type: string | null;
  /** The exact body text (null for 200: the authorizer lets the request through). */
  body: string | null;
  /** `inferred` / `contested`, with why, when AWS does not document the answer exactly. */
  remark: string | null;
}

export interface TraceEntry {
  index: number;
  sid: string | null;
  effect: string;
  span: Span;
  applies: 'yes' | 'no' | 'depends';
  reason: { kind: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  help: string | null;
  labels: { label: string | null; primary: boolean; span: Span }[];
}

/** The `--format json` document (README "JSON output"). Fields only grow within version 1. */
export interface Report {
  schema_version: 1;
  file: string;
  input_kind: 'policy' | 'rest' | 'http';
  decision: Decision;
  request: {
    method: string;
    path: string;
    /** With `{part}` placeholders for unpinned parts. */
    arn: string;
    parts: Record<ArnPart, string | null>;
    route: string;
    unpinned: ArnPart[];
    /** Parts assumed rather than given: `{ partition: 'aws' }` unless the partition is pinned. */
    assumed: Partial<Record<ArnPart, string>>;
  };
  /** null for `depends`. */
  response: HttpResponse | null;
  deciding: DecidingStatement[];
  trace: TraceEntry[];
  /** For `depends`: disjoint cases covering every value of the unpinned parts. */
  cases: {
    decision: Decision;
    /** Per unpinned part: the values (regions of wildcard patterns) this case covers. */
    when: {
      part: ArnPart;
      description: string;
      any_of: { matches: string[]; not_matching: string[] }[];
    }[];
    description: string;
    /** A value per unpinned part that falls in this case. */
    example: Partial<Record<ArnPart, string>>;
    /** Indexes of the statements that decide this case. */
    deciding: number[];
    response: HttpResponse;
    [key: string]: unknown;
  }[];
  conditional_statements: unknown[];
  decision_without_conditions: Decision | null;
  diagnostics: Diagnostic[];
  notes: string[];
  /** The API type the answer is for, and whether it was inferred. */
  api_type: 'rest' | 'http' | 'websocket';
  api_type_inferred: boolean;
  /** For an implicit deny: the nearest Allow entry, every part where it fails, and a fix. */
  nearest: {
    statement: number;
    resource: number | null;
    misses: { part: string; policy: string; request: string }[];
    fix: string;
  } | null;
  expect: { expected: Outcome; met: boolean } | null;
  [key: string]: unknown;
}

/** An error of policy-check itself: no binary for this platform, or exit 2 (usage, not JSON...). */
export class PolicyCheckError extends Error {
  name: 'PolicyCheckError';
  exitCode: number | null | undefined;
  /** For exit 2: `{ schema_version: 1, decision: null, error: { code, message, help, span } }`. */
  report: unknown;
  stderr: string | undefined;
}

/** A failed assertAllows / assertDenies; its message is policy-check's explanation. */
export class PolicyCheckAssertionError extends Error {
  name: 'PolicyCheckAssertionError';
  code: 'ERR_POLICY_CHECK_ASSERTION';
  expected: 'allow' | 'deny';
  actual: Decision;
  report: Report;
}

/**
 * Runs `policy-check - METHOD PATH --format json` on `output` (an object, or JSON text) and
 * resolves to its report. Rejects with a PolicyCheckError when the tool could not answer.
 */
export function check(
  output: unknown,
  request: Request | null,
  options?: CheckOptions,
): Promise<Report>;

/**
 * Resolves to the report when API Gateway would allow the request (for every value of the
 * unpinned parts); otherwise rejects with a PolicyCheckAssertionError whose message is policy-check's
 * explanation, as the CLI prints it.
 */
export function assertAllows(
  output: unknown,
  request: Request | null,
  options?: Omit<CheckOptions, 'expect'>,
): Promise<Report>;

/** Like assertAllows, for a deny (explicit or implicit). */
export function assertDenies(
  output: unknown,
  request: Request | null,
  options?: Omit<CheckOptions, 'expect'>,
): Promise<Report>;

/** The binary in use: $POLICY_CHECK_BINARY, or the one of this platform's package. */
export function binaryPath(): string;

/** `${process.platform}-${process.arch}` -> the npm package carrying its binary. */
export const PLATFORM_PACKAGES: Readonly<Record<string, string>>;
