import { describe, expect, it } from 'vitest';
import {
  broadcastPageMessage,
  leadJobMessage,
  parseEmailJob,
} from '../../functions/adapters/sqs/email-job-queue';

const leadId = 'ld_0123456789abcdef01234567';
const broadcastId = 'bc_01JDQ7ZK3M4N5P6Q7R8S9T0V1W';

describe('email-jobs messages', () => {
  it('keeps the format messages already queued have', () => {
    expect(broadcastPageMessage(broadcastId, null)).toBe(`{"broadcast":"${broadcastId}","cursor":null}`);
    expect(leadJobMessage(leadId)).toBe(`{"leadId":"${leadId}"}`);
  });

  it('reads back what it writes', () => {
    expect(parseEmailJob(broadcastPageMessage(broadcastId, 'abc'))).toEqual({
      kind: 'broadcast',
      broadcastId,
      cursor: 'abc',
    });
    expect(parseEmailJob(broadcastPageMessage(broadcastId, null))).toEqual({
      kind: 'broadcast',
      broadcastId,
      cursor: null,
    });
  });

  it('refuses anything else', () => {
    for (const body of [
      'not json',
      'null',
      '"ld_x"',
      JSON.stringify({ leadId: 'ld_short' }),
      JSON.stringify({ broadcast: 'bc_nope', cursor: null }),
      JSON.stringify({ broadcast: broadcastId }),
      JSON.stringify({ broadcast: broadcastId, cursor: 3 }),
    ])
      expect(parseEmailJob(body)).toBeUndefined();
  });
});
