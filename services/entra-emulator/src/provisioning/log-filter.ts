import type { LogRecord } from './log-record.ts';

export type LogPredicate = (record: LogRecord) => boolean;
export type FilterResult = { ok: true; predicate: LogPredicate } | { ok: false; message: string };

type Field = { kind: 'string' | 'time'; get: (record: LogRecord) => string | number | null };

/** Filterable properties, keyed in lower case: Graph accepts `jobid` as well as `jobId`. */
const fields: Record<string, Field> = {
  id: { kind: 'string', get: (r) => r.id },
  jobid: { kind: 'string', get: (r) => r.jobId },
  cycleid: { kind: 'string', get: (r) => r.cycleId },
  changeid: { kind: 'string', get: (r) => r.changeId },
  tenantid: { kind: 'string', get: (r) => r.tenantId },
  activitydatetime: { kind: 'time', get: (r) => r.timeMs },
  'sourceidentity/id': { kind: 'string', get: (r) => r.sourceId },
  'targetidentity/id': { kind: 'string', get: (r) => r.target?.id ?? null },
  'statusinfo/status': { kind: 'string', get: (r) => r.status },
  'provisioningstatusinfo/status': { kind: 'string', get: (r) => r.status },
  'serviceprincipal/id': { kind: 'string', get: (r) => r.servicePrincipal.id },
  provisioningaction: { kind: 'string', get: (r) => r.action },
};

const operators = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const tokenPattern = /\s*(?:(\()|(\))|'((?:[^']|'')*)'|([A-Za-z0-9_./:+-]+))/y;

type Token = { kind: 'open' | 'close' | 'string' | 'word'; text: string };

/**
 * Parses the subset of OData `$filter` the provisioning-logs API is used with: comparisons
 * (`eq ne gt ge lt le`) of the properties above against a quoted string or a date-time,
 * joined by `and`, optionally in parentheses. String comparisons are case-sensitive, as in Graph.
 */
export function parseLogFilter(text: string): FilterResult {
  const tokens = tokenize(text);
  if (!tokens) return { ok: false, message: `Invalid filter clause: cannot read '${text}'.` };
  let position = 0;

  const parseOr = (): LogPredicate | string => {
    const clauses: LogPredicate[] = [];
    for (;;) {
      const clause = parseClause();
      if (typeof clause === 'string') return clause;
      clauses.push(clause);
      const next = tokens[position];
      if (next?.kind === 'word' && next.text.toLowerCase() === 'and') {
        position += 1;
        continue;
      }
      if (next?.kind === 'word' && next.text.toLowerCase() === 'or') {
        return "Invalid filter clause: 'or' is not supported on this resource.";
      }
      return clauses.length === 1 ? clauses[0]! : (r) => clauses.every((c) => c(r));
    }
  };

  const parseClause = (): LogPredicate | string => {
    const first = tokens[position];
    if (first?.kind === 'open') {
      position += 1;
      const inner = parseOr();
      if (typeof inner === 'string') return inner;
      if (tokens[position]?.kind !== 'close') return 'Invalid filter clause: missing )';
      position += 1;
      return inner;
    }
    const [property, operator, literal] = tokens.slice(position, position + 3);
    if (!property || property.kind !== 'word') return 'Invalid filter clause: property expected.';
    const field = fields[property.text.toLowerCase()];
    if (!field) {
      return `Invalid filter clause: could not find a property named '${property.text}'.`;
    }
    const op = operator?.text.toLowerCase();
    if (!operator || operator.kind !== 'word' || !op || !operators.has(op)) {
      return `Invalid filter clause: unsupported operator after '${property.text}'.`;
    }
    if (!literal || (literal.kind !== 'string' && literal.kind !== 'word')) {
      return `Invalid filter clause: value expected after '${property.text} ${op}'.`;
    }
    position += 3;
    return (
      compare(field, op, literal) ?? `Invalid filter clause: bad value for '${property.text}'.`
    );
  };

  const predicate = parseOr();
  if (typeof predicate === 'string') return { ok: false, message: predicate };
  if (position !== tokens.length) {
    return { ok: false, message: `Invalid filter clause: unexpected '${tokens[position]!.text}'.` };
  }
  return { ok: true, predicate };
}

function compare(field: Field, op: string, literal: Token): LogPredicate | undefined {
  let value: string | number | null;
  if (field.kind === 'time') {
    if (literal.kind === 'word' && literal.text === 'null') return undefined;
    const time = Date.parse(literal.text);
    if (Number.isNaN(time)) return undefined;
    value = time;
  } else if (literal.kind === 'string') {
    value = literal.text;
  } else if (literal.text === 'null') {
    value = null;
  } else {
    return undefined;
  }
  const get = field.get;
  switch (op) {
    case 'eq':
      return (r) => get(r) === value;
    case 'ne':
      return (r) => get(r) !== value;
    case 'gt':
      return (r) => ordered(get(r), value, (a, b) => a > b);
    case 'ge':
      return (r) => ordered(get(r), value, (a, b) => a >= b);
    case 'lt':
      return (r) => ordered(get(r), value, (a, b) => a < b);
    default:
      return (r) => ordered(get(r), value, (a, b) => a <= b);
  }
}

function ordered<T extends string | number>(
  left: T | string | number | null,
  right: T | string | number | null,
  test: (a: string | number, b: string | number) => boolean,
): boolean {
  return left !== null && right !== null && test(left, right);
}

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(tokenPattern.lastIndex))) break;
    const match = tokenPattern.exec(text);
    if (!match) return undefined;
    if (match[1]) tokens.push({ kind: 'open', text: '(' });
    else if (match[2]) tokens.push({ kind: 'close', text: ')' });
    else if (match[3] !== undefined)
      tokens.push({ kind: 'string', text: match[3].replace(/''/g, "'") });
    else tokens.push({ kind: 'word', text: match[4]! });
  }
  return tokens;
}
