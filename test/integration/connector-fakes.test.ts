import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startConnectorFakes } from '../../functions/local/connector-fakes';

describe('npm start: the Slack and HubSpot fakes', () => {
  it('start only for the connectors config/integrations.yaml enables, and the functions are pointed at them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadflow-connectors-'));
    writeFileSync(
      join(dir, 'integrations.yaml'),
      'slack:\n  enabled: true\n  channels: {sales: C0SALES001}\nhubspot:\n  enabled: false\n',
    );
    const vars: NodeJS.ProcessEnv = {};
    const fakes = await startConnectorFakes(dir, vars);
    try {
      expect(JSON.parse(vars.LEADFLOW_INTEGRATIONS_CONFIG ?? '{}')).toMatchObject({
        slack: { enabled: true },
        hubspot: { enabled: false },
      });
      expect(vars.HUBSPOT_ACCESS_TOKEN).toBeUndefined();
      expect(fakes.lines).toHaveLength(1);
      const res = await fetch(`${vars.LEADFLOW_SLACK_API_URL}/chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${vars.SLACK_BOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'C0SALES001', text: 'hello' }),
      });
      expect(await res.json()).toMatchObject({ ok: true, channel: 'C0SALES001' });
    } finally {
      await fakes.stop();
    }
  });

  it('leave a real token alone (no fake) and start nothing when the file is absent', async () => {
    const vars: NodeJS.ProcessEnv = { SLACK_BOT_TOKEN: 'xoxb-real' };
    const dir = mkdtempSync(join(tmpdir(), 'leadflow-connectors-'));
    writeFileSync(
      join(dir, 'integrations.yaml'),
      'slack:\n  enabled: true\n  channels: {sales: C0SALES001}\n',
    );
    expect((await startConnectorFakes(dir, vars)).lines).toEqual([]);
    expect(vars.LEADFLOW_SLACK_API_URL).toBeUndefined();
    expect((await startConnectorFakes(join(dir, 'missing'), {})).config.slack.enabled).toBe(false);
  });
});
