import { describe, expect, test } from '@jest/globals';

import { initialControllers, renderServerProperties } from '../src/server-properties.ts';

const nodes = [
  { nodeId: 1, brokerPort: 19092, controllerPort: 19093, directoryId: 'dirOne' },
  { nodeId: 2, brokerPort: 29092, controllerPort: 29093, directoryId: 'dirTwo' },
];

function parse(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('renderServerProperties', () => {
  test('binds both listeners to loopback and knows every voter', () => {
    const properties = parse(renderServerProperties(nodes[1]!, nodes, '/data/node-2'));

    expect(properties.get('node.id')).toBe('2');
    expect(properties.get('listeners')).toBe(
      'PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093',
    );
    expect(properties.get('controller.quorum.bootstrap.servers')).toBe(
      '127.0.0.1:19093,127.0.0.1:29093',
    );
    expect(properties.get('log.dirs')).toBe('/data/node-2');
    expect(properties.get('auto.create.topics.enable')).toBe('false');
    expect(properties.get('offsets.topic.replication.factor')).toBe('2');
  });

  test('lets overrides win and escapes backslashes', () => {
    const text = renderServerProperties(nodes[0]!, nodes.slice(0, 1), 'C:\\kafka', {
      'num.partitions': 6,
      'auto.create.topics.enable': true,
    });
    const properties = parse(text);

    expect(properties.get('num.partitions')).toBe('6');
    expect(properties.get('auto.create.topics.enable')).toBe('true');
    expect(properties.get('offsets.topic.replication.factor')).toBe('1');
    expect(properties.get('log.dirs')).toBe('C:\\\\kafka');
  });
});

describe('initialControllers', () => {
  test('lists id@host:port:directoryId for every voter', () => {
    expect(initialControllers(nodes)).toBe('1@127.0.0.1:19093:dirOne,2@127.0.0.1:29093:dirTwo');
  });
});
