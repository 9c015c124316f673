import { describe, expect, it } from '@jest/globals';
import { isTributaryError } from '@tributary/errors';
import { decodeForm, decodeJson } from '../../src/payload/decode-body.ts';

const form = (text: string) => decodeForm(Buffer.from(text));

function malformed(action: () => unknown): boolean {
  try {
    action();
    return false;
  } catch (error) {
    return isTributaryError(error, 'WEBHOOK_MALFORMED');
  }
}

describe('decodeForm', () => {
  it('builds nested objects and arrays from bracket paths', () => {
    expect(
      form(
        'type=employee.updated&data[companyId]=12345&data[employeeId]=67890&data[changedFields][0]=firstName&data[changedFields][1]=jobTitle',
      ),
    ).toEqual({
      type: 'employee.updated',
      data: { companyId: '12345', employeeId: '67890', changedFields: ['firstName', 'jobTitle'] },
    });
    expect(form('a[]=x&a[]=y')).toEqual({ a: ['x', 'y'] });
    expect(form('employees[0][fields][jobTitle][value]=Dev%20Lead')).toEqual({
      employees: [{ fields: { jobTitle: { value: 'Dev Lead' } } }],
    });
  });

  it('refuses conflicting, repeated, dangerous and oversized structures', () => {
    for (const text of [
      '',
      'a=1&a[b]=2',
      'a[b]=1&a=2',
      'a=1&a=2',
      'a[0]=1&a[b]=2',
      'x[__proto__][y]=1',
      'constructor[prototype]=1',
      'a[99999]=1',
      'a]=1',
      '[a]=1',
      'a[b][c][d][e][f][g][h][i]=1',
    ]) {
      expect([text, malformed(() => form(text))]).toEqual([text, true]);
    }
    expect(({} as Record<string, unknown>)['y']).toBeUndefined();
  });
});

describe('decodeJson', () => {
  it('parses JSON and refuses anything else as malformed', () => {
    expect(decodeJson(Buffer.from('{"a":[1]}'))).toEqual({ a: [1] });
    expect(malformed(() => decodeJson(Buffer.alloc(0)))).toBe(true);
    expect(malformed(() => decodeJson(Buffer.from('{"a":')))).toBe(true);
  });
});
