import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { logicalIdOf, resourceOf, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

const withContext = (context: Record<string, unknown>) =>
  buildApp({ stage: 'dev', context: { ...SKIP_BUNDLING, ...context } });

describe('reports infra', SYNTH_TIMEOUT, () => {
  it('counts and reads days in the time zone leadflow:reportTimeZone names: tick and the reports function alike', () => {
    const { service } = withContext({ 'leadflow:reportTimeZone': 'Europe/Berlin' });
    const template = Template.fromStack(service);
    for (const name of ['tick', 'reports'] as const) {
      const variables = (
        resourceOf(template, logicalIdOf(service.functions[name].function)).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(variables.LEADFLOW_REPORT_TIME_ZONE, name).toBe('Europe/Berlin');
    }
  });

  it('refuses a time zone that is not an IANA name at synth, naming the setting', () => {
    expect(() => withContext({ 'leadflow:reportTimeZone': 'Mars/Olympus_Mons' })).toThrow(
      /reportTimeZone must be an IANA time zone/,
    );
  });

  it('serves GET /v1/admin/reports/{report} from the reports function', () => {
    const { service } = withContext({});
    Template.fromStack(service).hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /v1/admin/reports/{report}',
    });
  });
});
