import {
  PutConfigurationSetSendingOptionsCommand,
  SESv2Client,
  SESv2ServiceException,
} from '@aws-sdk/client-sesv2';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmStateChange, PauseResult } from '../../functions/handlers/ses-pause';
import { SES_CONFIGURATION_SET_ENV } from '../../functions/shared/env-names';

// The SES emulator has no configuration-set sending switch, so this is the SDK call checked against a mock.
const sesMock = mockClient(SESv2Client);
const context = { functionName: 'ses-pause', awsRequestId: 'req-1' } as Context;

function alarmEvent(
  state: string,
  alarmName = 'LeadflowService-SesBounceRate',
): EventBridgeEvent<string, AlarmStateChange> {
  return {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time: '2026-12-02T17:04:40Z',
    region: 'eu-west-1',
    resources: [`arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarmName}`],
    detail: {
      alarmName,
      state: { value: state, reason: 'Threshold Crossed: 1 datapoint [0.045] was greater than 0.04' },
    },
  };
}

type Handler = (event: EventBridgeEvent<string, AlarmStateChange>, context: Context) => Promise<PauseResult>;
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv(SES_CONFIGURATION_SET_ENV, 'leadflow-marketing');
  vi.resetModules();
  ({ handler } = (await import('../../functions/handlers/ses-pause')) as unknown as { handler: Handler });
});
afterAll(() => {
  vi.unstubAllEnvs();
  sesMock.restore();
});
beforeEach(() => sesMock.reset());

describe('ses-pause handler', () => {
  it('turns sending off on the marketing configuration set, and only there, when an alarm fires', async () => {
    sesMock.on(PutConfigurationSetSendingOptionsCommand).resolves({});

    const result = await handler(alarmEvent('ALARM'), context);

    expect(sesMock.calls()).toHaveLength(1);
    expect(sesMock.commandCalls(PutConfigurationSetSendingOptionsCommand)[0]?.args[0].input).toEqual({
      ConfigurationSetName: 'leadflow-marketing',
      SendingEnabled: false,
    });
    expect(result).toEqual({
      paused: true,
      configurationSet: 'leadflow-marketing',
      alarmName: 'LeadflowService-SesBounceRate',
      reason: 'Threshold Crossed: 1 datapoint [0.045] was greater than 0.04',
      resume:
        'aws sesv2 put-configuration-set-sending-options --configuration-set-name leadflow-marketing --sending-enabled',
      runbook: 'docs/runbooks/ses-paused.md',
    });
  });

  it.each(['OK', 'INSUFFICIENT_DATA'])('pauses nothing for a %s state', async (state) => {
    const result = await handler(alarmEvent(state), context);

    expect(sesMock.calls()).toHaveLength(0);
    expect(result).toEqual({
      paused: false,
      configurationSet: 'leadflow-marketing',
      alarmName: 'LeadflowService-SesBounceRate',
    });
  });

  it('fails when SES refuses, so Lambda retries and the failure destination tells operators', async () => {
    sesMock.on(PutConfigurationSetSendingOptionsCommand).rejects(
      new SESv2ServiceException({
        name: 'NotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'Configuration set <leadflow-marketing> does not exist.',
      }),
    );

    await expect(handler(alarmEvent('ALARM'), context)).rejects.toThrow(/does not exist/);
    expect(sesMock.commandCalls(PutConfigurationSetSendingOptionsCommand)).toHaveLength(1);
  });
});

describe('ses-pause cold start', () => {
  it('fails without the configuration set variable, naming it', async () => {
    vi.stubEnv(SES_CONFIGURATION_SET_ENV, '');
    vi.resetModules();
    await expect(import('../../functions/handlers/ses-pause')).rejects.toThrow(
      `${SES_CONFIGURATION_SET_ENV} is required`,
    );
    vi.stubEnv(SES_CONFIGURATION_SET_ENV, 'leadflow-marketing');
  });
});
