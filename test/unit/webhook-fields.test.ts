import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { adLeadToCapture } from '../../functions/core/webhooks/ad-lead';
import { COMMON_ANSWER_FIELDS, mapAnswers } from '../../functions/core/webhooks/fields';
import { googleAdLead } from '../../functions/core/webhooks/google';

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('ad-platform answers named like Object.prototype members', () => {
  it('become ordinary custom fields, never Object internals', () => {
    const fields = mapAnswers(
      [
        { name: 'email', value: 'ada@acme.io' },
        ...PROTOTYPE_NAMES.map((name) => ({ name, value: `answer to ${name}` })),
      ],
      COMMON_ANSWER_FIELDS,
    );
    expect(fields).toEqual({
      email: 'ada@acme.io',
      constructor_field: 'answer to constructor',
      proto: 'answer to __proto__',
      tostring: 'answer to toString',
      hasownproperty: 'answer to hasOwnProperty',
      valueof: 'answer to valueOf',
    });
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    for (const key of Object.keys(fields)) expect(key).toMatch(/^[a-zA-Z_]+$/);
  });

  it('maps a Google lead with `constructor` and `__proto__` columns into custom fields DynamoDB can store', async () => {
    const lead = googleAdLead(
      {
        google_key: 'k',
        lead_id: 'g-proto',
        user_column_data: [
          { column_id: 'EMAIL', string_value: 'ada@acme.io' },
          { column_name: 'constructor', string_value: 'Acme GmbH' },
          { column_name: '__proto__', string_value: 'polluted?' },
        ],
      },
      'k',
      'dlv-1',
    );
    const mapped = { email: 'ada@acme.io', constructor_field: 'Acme GmbH', proto: 'polluted?' };
    expect(lead.fields).toEqual(mapped);
    const { input } = await adLeadToCapture(lead, '2026-11-27T10:00:00.000Z');
    expect(input.fields).toEqual(mapped);
    // An own `constructor` key would make the DynamoDB marshaller refuse the lead item.
    expect(marshall({ profile: input.fields })).toMatchObject({
      profile: { M: { constructor_field: { S: 'Acme GmbH' } } },
    });
    expect(({} as Record<string, unknown>).proto).toBeUndefined();
  });
});
