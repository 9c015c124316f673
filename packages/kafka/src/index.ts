export { ensureTopics, partitionCount, type EnsureTopicsOptions } from './admin.ts';
export {
  BatchConsumer,
  type BatchConsumerOptions,
  type BatchContext,
  type ConsumedRecord,
  type Decoded,
} from './batch-consumer.ts';
export { createKafkaClient, type KafkaClientOptions } from './client.ts';
export { jsonCodec, type Check, type Codec } from './codec.ts';
export { toTributaryError } from './kafka-errors.ts';
export { Producer, type OutgoingRecord, type ProducerOptions } from './producer.ts';
export { extractTraceContext, injectTraceContext, type Headers } from './trace-context.ts';
export { topics, type TopicKey, type TopicSpec } from './topics.ts';
export { inNamespace, typedTopic, type TypedTopic } from './typed-topic.ts';
export { workerEventsTopic, workerEventCodec } from './worker-events.ts';
export type { Kafka } from 'kafkajs';
export { deadLetterOriginal, deadLetterTopic, type DeadLetter } from './dead-letter.ts';
export { TopicTail, type TopicTailOptions } from './topic-tail.ts';
