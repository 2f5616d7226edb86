import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { leadIdFor } from '../../functions/core/kernel/email';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { testForm } from '../fixtures/fakes';
import { invoke, submission } from '../fixtures/http-events';

let env: EmulatorEnv;
let handler: Parameters<typeof invoke>[0];

beforeAll(async () => {
  // INFO, so the privacy check below sees every line a production function would log.
  env = await emulatorEnv({ POWERTOOLS_LOG_LEVEL: 'INFO', LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '50' });
  await env.publishForm(testForm());
  ({ handler } = await import('../../functions/handlers/form-submission'));
});
afterAll(async () => env?.stop());

/** Fails the next `times` DynamoDB calls named `command` with `error`, then lets calls through. */
function failNext(command: string, times: number, error: () => Error) {
  let left = times;
  const name = `fail-${command}-${Math.random()}`;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command && left > 0) {
        left -= 1;
        throw error();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => dynamo.middlewareStack.remove(name);
}

const stored = async (email: string) => {
  const items = (await env.items()).filter((i) => i.pk === `LEAD#${leadIdFor(email)}`);
  return {
    lead: items.filter((i) => i.sk === 'LEAD').length,
    activities: items.filter((i) => i.entity === 'activity').length,
  };
};

const post = (email: string, key?: string) =>
  invoke(
    handler,
    submission(
      'demo-request',
      { email, firstName: 'Faulty', phone: '+1 415 555 2671' },
      {
        origin: 'https://example.com',
        ...(key ? { 'idempotency-key': key } : {}),
      },
    ),
  );

describe('capture under injected faults', () => {
  it('loses nothing when the activity write fails after the lead write: the retry stores it once', async () => {
    const restore = failNext('PutItemCommand', 1, () =>
      Object.assign(new Error('injected crash'), { name: 'InternalServerError' }),
    );
    const failed = await post('crash@example.com', 'key-crash');
    restore();
    expect(failed.status).toBe(500);
    expect(failed.json.error.code).toBe('internal_error');
    expect(failed.body).not.toContain('injected');

    const retried = await post('crash@example.com', 'key-crash');
    expect(retried.status).toBe(202);
    const again = await post('crash@example.com', 'key-crash');
    expect(again.json).toEqual(retried.json);
    expect(await stored('crash@example.com')).toEqual({ lead: 1, activities: 1 });
  });

  it('stores nothing when the first write fails, and a retry stores the lead', async () => {
    const restore = failNext('UpdateItemCommand', 1, () =>
      Object.assign(new Error('injected'), { name: 'InternalServerError' }),
    );
    const failed = await post('first-write@example.com', 'key-first');
    restore();
    expect(failed.status).toBe(500);
    expect(await stored('first-write@example.com')).toEqual({ lead: 0, activities: 0 });
    expect((await post('first-write@example.com', 'key-first')).status).toBe(202);
    expect(await stored('first-write@example.com')).toEqual({ lead: 1, activities: 1 });
  });

  it('rides out DynamoDB throttling with the SDK retries and answers 202', async () => {
    const throttle = () =>
      Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
        $retryable: { throttling: true },
      });
    // Registered after the retry middleware would be too late: add it at the finalize step so retries see it.
    let left = 2;
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand' && left > 0) {
          left -= 1;
          throw throttle();
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'throttle', priority: 'low' },
    );
    const res = await post('throttled@example.com');
    dynamo.middlewareStack.remove('throttle');
    expect(left).toBe(0);
    expect(res.status).toBe(202);
    expect(await stored('throttled@example.com')).toEqual({ lead: 1, activities: 1 });
  });

  it('never writes the email, name, phone, IP or token to the logs', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await post('private.person@example.com');
      await invoke(
        handler,
        submission('demo-request', { email: 'private.person@mailinator.com', firstName: 'Faulty' }),
      );
    } finally {
      spy.mockRestore();
    }
    const log = lines.join('');
    expect(log).toContain('form submission');
    for (const secret of ['private.person', 'Faulty', '4155552671', '198.51.100.1'])
      expect(log).not.toContain(secret);
  });
});
