import { workerEventSchema, type Worker } from '@tributary/worker-event';

/** JSON types a mapped value can have; they type the connection's extension schema. */
export type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** The canonical arrays that feed SCIM multi-valued attributes. */
export type CanonicalCollection = 'emails' | 'phones' | 'addresses';

export interface CanonicalPath {
  types: JsonType[];
  /** Set when the path yields a whole canonical array rather than one value. */
  collection?: CanonicalCollection;
  get: (worker: Worker) => unknown;
}

interface SchemaNode {
  type?: string;
  enum?: readonly unknown[];
  anyOf?: readonly SchemaNode[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

type Rec = Record<string, unknown>;

const workerSchema = (workerEventSchema as unknown as { properties: { worker: SchemaNode } })
  .properties.worker;

const customName = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
const selectorPath = /^(emails|phones|addresses)\[([a-z]+)\]\.([A-Za-z]+)$/;

// The known fields come from the v1 JSON Schema itself, so a field added to the contract becomes
// mappable without touching this file, and a typo in a connection's mapping fails at start.
const leaves = new Map<string, JsonType[]>();
const collections = new Map<CanonicalCollection, SchemaNode>();
walk(workerSchema, '');

function walk(node: SchemaNode, prefix: string): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (path === 'customAttributes') continue;
    if (child.properties) walk(child, path);
    else if (child.type === 'array')
      collections.set(path as CanonicalCollection, child.items ?? {});
    else leaves.set(path, typesOf(child));
  }
}

function typesOf(node: SchemaNode): JsonType[] {
  if (node.anyOf) return [...new Set(node.anyOf.flatMap(typesOf))];
  if (node.enum) return [...new Set(node.enum.map((value) => typeof value as JsonType))];
  if (node.type === 'integer' || node.type === 'number') return ['number'];
  if (node.type === 'string' || node.type === 'boolean') return [node.type];
  return [];
}

/**
 * Resolves a canonical path, relative to `worker`, into a getter; undefined when the path is not
 * a known field. Forms: `job.title`, `custom.<name>` (a custom attribute), `emails` (the whole
 * array), and `emails[work].value` (one element's field: by type, or `[primary]` for the primary
 * element, else the first).
 */
export function resolveCanonicalPath(path: string): CanonicalPath | undefined {
  if (path.startsWith('custom.')) {
    const name = path.slice('custom.'.length);
    if (!customName.test(name)) return undefined;
    return {
      types: ['string', 'number', 'boolean'],
      get: (worker) => worker.customAttributes?.[name],
    };
  }

  const selector = selectorPath.exec(path);
  if (selector)
    return resolveSelector(...(selector.slice(1) as [CanonicalCollection, string, string]));

  const collection = collections.get(path as CanonicalCollection);
  if (collection) {
    return { types: ['array'], collection: path as CanonicalCollection, get: getter([path]) };
  }

  const types = leaves.get(path);
  return types ? { types, get: getter(path.split('.')) } : undefined;
}

function resolveSelector(
  name: CanonicalCollection,
  selector: string,
  field: string,
): CanonicalPath | undefined {
  const items = collections.get(name);
  const fieldSchema = items?.properties?.[field];
  const itemTypes = items?.properties?.type?.enum ?? [];
  if (!fieldSchema || field === 'type') return undefined;
  if (selector !== 'primary' && !itemTypes.includes(selector)) return undefined;

  const pick =
    selector === 'primary'
      ? (list: Rec[]) => list.find((item) => item.primary === true) ?? list[0]
      : (list: Rec[]) =>
          list.find((item) => item.type === selector && item.primary === true) ??
          list.find((item) => item.type === selector);
  return {
    types: typesOf(fieldSchema),
    get: (worker) => {
      const list = (worker as unknown as Rec)[name] as Rec[] | undefined;
      return list === undefined ? undefined : pick(list)?.[field];
    },
  };
}

// Unrolled for the common depths: these run for every attribute of every record.
function getter(segments: string[]): (worker: Worker) => unknown {
  const [a = '', b = '', c = ''] = segments;
  switch (segments.length) {
    case 1:
      return (worker) => (worker as unknown as Rec)[a];
    case 2:
      return (worker) => ((worker as unknown as Rec)[a] as Rec | undefined)?.[b];
    case 3:
      return (worker) =>
        (((worker as unknown as Rec)[a] as Rec | undefined)?.[b] as Rec | undefined)?.[c];
    default:
      return (worker) => {
        let value: unknown = worker;
        for (const segment of segments) value = (value as Rec | undefined)?.[segment];
        return value;
      };
  }
}
