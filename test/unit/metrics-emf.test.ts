import type { APIGatewayProxyEventV2, Context, SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { complaint, permanentBounce } from '../fixtures/ses-events';

/**
 * The business counters reach CloudWatch as EMF records on stdout (Powertools Metrics). Here with
 * POWERTOOLS_METRICS_DISABLED=false, as in Lambda; no network: the submission below is refused
 * before anything is read.
 */
type Emf = {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
};

const SAVED = { ...process.env };
let lines: string[] = [];
const emfRecords = (): Emf[] =>
  lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Emf);

function submission(formId: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/forms/{formId}/submissions',
    rawPath: `/v1/forms/${formId}/submissions`,
    rawQueryString: '',
    headers: { 'content-type': 'text/plain' },
    pathParameters: { formId },
    requestContext: {
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'test' },
    } as APIGatewayProxyEventV2['requestContext'],
    body: 'hello',
    isBase64Encoded: false,
  };
}

const context = { functionName: 'form-submission', awsRequestId: 'req-1' } as Context;

beforeAll(() => {
  Object.assign(process.env, {
    POWERTOOLS_METRICS_DISABLED: 'false',
    LEADFLOW_TABLE_NAME: 'unit-metrics',
    LEADFLOW_QUEUE_HOT_LEADS: 'https://sqs.us-east-1.amazonaws.com/0/hot-leads.fifo',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  vi.resetModules();
});

afterEach(() => {
  vi.restoreAllMocks();
  lines = [];
});

afterAll(() => {
  process.env = SAVED;
});

const captureStdout = () =>
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });

describe('business metrics (EMF)', () => {
  it('a form submission invocation writes one EMF record: FormSubmissions in namespace Leadflow, service leadflow', async () => {
    const { handler } = await import('../../functions/handlers/form-submission');
    captureStdout();
    const answer = await handler(submission('NOT-A-FORM!'), context);
    expect(answer.statusCode).toBe(415);

    const records = emfRecords();
    expect(records).toHaveLength(1);
    const [record] = records as [Emf];
    const [directive] = record._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe('Leadflow');
    expect(directive?.Metrics.map((m) => m.Name)).toEqual(['FormSubmissions']);
    expect(directive?.Dimensions).toEqual([['service']]);
    expect(record.service).toBe('leadflow');
    expect(record.FormSubmissions).toBe(1);
  });

  it('counts per invocation: the next invocation starts again from one', async () => {
    const { handler } = await import('../../functions/handlers/form-submission');
    captureStdout();
    await handler(submission('NOT-A-FORM!'), context);
    await handler(submission('NOT-A-FORM!'), context);
    expect(emfRecords().map((r) => r.FormSubmissions)).toEqual([1, 1]);
  });

  it('an SES events invocation counts bounces and complaints (DynamoDB mocked)', async () => {
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.onAnyCommand().resolves({});
    try {
      const { handler } = await import('../../functions/handlers/ses-events');
      const to = 'bounced@example.com';
      const records = [permanentBounce({ to }), complaint({ to }), permanentBounce({ to })].map(
        (event, i) => ({ Sns: { MessageId: `m${i}`, Message: JSON.stringify(event) } }),
      );
      captureStdout();
      await handler({ Records: records } as unknown as SNSEvent, context);
      const [record] = emfRecords() as [Emf];
      expect(record._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name).sort()).toEqual([
        'EmailsBounced',
        'EmailsComplained',
      ]);
      // Two adds of one in an invocation are two values in the record; CloudWatch's Sum is 2.
      const sum = (value: unknown) => [value].flat().reduce((a: number, b) => a + Number(b), 0);
      expect(sum(record.EmailsBounced)).toBe(2);
      expect(sum(record.EmailsComplained)).toBe(1);
      expect(record.service).toBe('leadflow');
    } finally {
      dynamo.restore();
    }
  });

  it('LeadsCaptured is its own record with the source dimension', async () => {
    const { countLeadCaptured } = await import('../../functions/shared/observability/metrics');
    captureStdout();
    countLeadCaptured('google');
    const [record] = emfRecords() as [Emf];
    expect(record._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).toEqual(['LeadsCaptured']);
    expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'source']]);
    expect(record).toMatchObject({ LeadsCaptured: 1, source: 'google', service: 'leadflow' });
  });

  it('writes nothing for an invocation that counted nothing (no empty record, no warning)', async () => {
    const { publishMetrics } = await import('../../functions/shared/observability/metrics');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    captureStdout();
    publishMetrics();
    expect(lines).toEqual([]);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('outside Lambda, with POWERTOOLS_METRICS_DISABLED unset (the local stack, other tests), writes no EMF', async () => {
    const { count, publishMetrics } = await import('../../functions/shared/observability/metrics');
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    try {
      captureStdout();
      count('EmailsSent');
      publishMetrics();
      expect(emfRecords()).toEqual([]);
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    }
  });
});
