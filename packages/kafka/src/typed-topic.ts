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
