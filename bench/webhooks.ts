import { createHmac } from 'node:crypto';
import type { LocalStack } from '../functions/local/stack';
import { postJson } from './http';
import { fmt, pool } from './stats';

const N = 300;
const CONCURRENCY = 8;

/**
 * Webhook deliveries accepted per second (Meta: verify + keep + queue; Google: verify + keep +
 * capture inline) next to form submissions in the same run. Needs META_APP_SECRET and
 * GOOGLE_ADS_WEBHOOK_KEY set before the stack starts (bench/run.ts sets bench values).
 */
export async function benchWebhooks(stack: LocalStack) {
  const run = Date.now();
  const forms = await pool(N, CONCURRENCY, async (i) => {
    const status = await postJson(
      `${stack.apiUrl}/v1/forms/newsletter/submissions`,
      { email: `wh${run}-${i}@acme.io`, firstName: 'Web' },
      { origin: 'http://localhost:3000' },
      i,
    );
    if (status !== 202) throw new Error(`form answered ${status}`);
  });
  const secret = process.env.META_APP_SECRET ?? '';
  const meta = await pool(N, CONCURRENCY, async (i) => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '1',
          time: 1,
          changes: [{ field: 'leadgen', value: { leadgen_id: `${run}${i}`, form_id: '9', page_id: '1' } }],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const status = await postJson(
      `${stack.apiUrl}/v1/webhooks/meta`,
      body,
      { 'x-hub-signature-256': signature },
      i,
    );
    if (status !== 200) throw new Error(`meta answered ${status}`);
  });
  const google = await pool(N, CONCURRENCY, async (i) => {
    const status = await postJson(
      `${stack.apiUrl}/v1/webhooks/google`,
      {
        lead_id: `${run}-${i}`,
        google_key: process.env.GOOGLE_ADS_WEBHOOK_KEY,
        form_id: 1,
        campaign_id: 2,
        user_column_data: [
          { column_id: 'EMAIL', string_value: `g${run}-${i}@acme.io` },
          { column_id: 'FULL_NAME', string_value: 'Gus Google' },
        ],
      },
      {},
      i,
    );
    if (status !== 200) throw new Error(`google answered ${status}`);
  });
  console.log('\n== Webhooks (HTTP, concurrency %d, n=%d) ==', CONCURRENCY, N);
  console.log(`Form submissions       ${fmt(forms.perSecond)} /s  (p50 ${fmt(forms.p50)} ms)`);
  console.log(
    `Meta deliveries        ${fmt(meta.perSecond)} /s  (p50 ${fmt(meta.p50)} ms)  ratio ${fmt(meta.perSecond / forms.perSecond, 2)} x forms  (verify, keep, queue)`,
  );
  console.log(
    `Google deliveries      ${fmt(google.perSecond)} /s  (p50 ${fmt(google.p50)} ms)  ratio ${fmt(google.perSecond / forms.perSecond, 2)} x forms  (verify, keep, capture)`,
  );
}
