import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { testForm } from '../fixtures/fakes';
import { invoke, submission } from '../fixtures/http-events';

let env: EmulatorEnv;
let handler: Parameters<typeof invoke>[0];

beforeAll(async () => {
  env = await emulatorEnv({
    LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '1000',
    LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '10',
  });
  await env.publishForm(testForm());
  ({ handler } = await import('../../functions/handlers/form-submission'));
});
afterAll(async () => env?.stop());

/** Four spellings of person n's address that are one inbox. */
function spellings(n: number): string[] {
  if (n % 2 === 0)
    return [
      `person${n}@gmail.com`,
      `Person${n}@Gmail.com`,
      `per.son${n}@gmail.com`,
      `person${n}+ad@googlemail.com`,
    ];
  return [
    `person${n}@example.com`,
    ` PERSON${n}@example.com`,
    `Person${n}@EXAMPLE.com `,
    `person${n}@example.COM`,
  ];
}

describe('concurrent submissions', () => {
  it('turns 200 concurrent submissions from 50 people into exactly 50 leads with 200 activities', async () => {
    const posts = Array.from({ length: 50 }, (_, n) => spellings(n)).flatMap((emails, n) =>
      emails.map((email) =>
        invoke(
          handler,
          submission('demo-request', { email, firstName: `P${n}` }, { origin: 'https://example.com' }),
        ),
      ),
    );
    const results = await Promise.all(posts);
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(202));
    const items = await env.items();
    expect(items.filter((i) => i.entity === 'lead')).toHaveLength(50);
    expect(items.filter((i) => i.entity === 'activity')).toHaveLength(200);
    const perLead = new Map<string, number>();
    for (const a of items.filter((i) => i.entity === 'activity'))
      perLead.set(String(a.pk), (perLead.get(String(a.pk)) ?? 0) + 1);
    expect([...perLead.values()]).toEqual(Array(50).fill(4));
  });
});
