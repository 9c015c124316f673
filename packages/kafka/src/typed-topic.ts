import type { Codec } from './codec.ts';
import type { TopicSpec } from './topics.ts';

/** A topic together with the codec of its records: the only way records are produced or read. */
export interface TypedTopic<T> {
  spec: TopicSpec;
  codec: Codec<T>;
}

export function typedTopic<T>(spec: TopicSpec, codec: Codec<T>): TypedTopic<T> {
  return { spec, codec };
}

/**
 * The same topic under a namespace prefix (`staging.tributary.worker-events.v1`), so that several
 * environments, or several test runs, can share one cluster without reading each other's records.
 */
export function inNamespace<T>(topic: TypedTopic<T>, namespace: string | undefined): TypedTopic<T> {
  if (!namespace) return topic;
  return { spec: { ...topic.spec, name: `${namespace}.${topic.spec.name}` }, codec: topic.codec };
}
