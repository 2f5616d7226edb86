/**
 * `leadflow dlq list | redrive QUEUE`: the dead-letter queues of one Leadflow stage. Queues are
 * found by name prefix (every queue of a stage is named `leadflow-<stage>-…`) and paired by each
 * source queue's RedrivePolicy. A redrive is SQS's own message move task
 * (StartMessageMoveTask), on AWS as on the local emulator: SQS moves each message with its body
 * and attributes back to the queue it came from.
 */
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

export class DlqError extends Error {}

export interface DeadLetterQueue {
  name: string;
  url: string;
  arn: string;
  /** Messages waiting plus in flight. */
  messages: number;
  /** Age in seconds of the oldest message among those looked at (up to 10), if any. */
  oldestAgeSeconds?: number;
  /** The queue whose RedrivePolicy names this DLQ; none for a function's failure destination. */
  source?: { name: string; url: string; arn: string };
}

const nameOf = (urlOrArn: string) => urlOrArn.split(/[/:]/).pop() ?? urlOrArn;

async function queueUrls(sqs: SQSClient, prefix: string): Promise<string[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken }),
    );
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return urls;
}

/**
 * The oldest of up to 10 messages, read with a zero visibility timeout so they stay visible: SQS
 * has no attribute for the oldest message (CloudWatch's ApproximateAgeOfOldestMessage is the
 * metric the alarms use), so on a DLQ holding more than 10 this is a lower bound.
 */
async function oldestAgeSeconds(sqs: SQSClient, url: string, now: number): Promise<number | undefined> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['SentTimestamp'],
      // The older name too: local-aws-sqs answers only to it.
      AttributeNames: ['All'],
    }),
  );
  const sent = (Messages ?? []).map((m) => Number(m.Attributes?.SentTimestamp)).filter(Number.isFinite);
  return sent.length ? Math.max(0, Math.round((now - Math.min(...sent)) / 1000)) : undefined;
}

export async function listDeadLetterQueues(sqs: SQSClient, prefix: string): Promise<DeadLetterQueue[]> {
  const queues = await Promise.all(
    (await queueUrls(sqs, prefix)).map(async (url) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'QueueArn',
            'RedrivePolicy',
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
          ],
        }),
      );
      const target = Attributes.RedrivePolicy
        ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
        : undefined;
      return { url, name: nameOf(url), arn: Attributes.QueueArn ?? '', attributes: Attributes, target };
    }),
  );
  // Paired by name (unique per account and region), not by the whole ARN.
  const sourceOf = new Map(queues.filter((q) => q.target).map((q) => [nameOf(q.target as string), q]));
  const isDeadLetter = (q: (typeof queues)[number]) =>
    sourceOf.has(q.name) || (!q.target && /(-dlq|DeadLetter)/i.test(q.name));
  const now = Date.now();
  const dlqs = await Promise.all(
    queues.filter(isDeadLetter).map(async (q): Promise<DeadLetterQueue> => {
      const messages =
        Number(q.attributes.ApproximateNumberOfMessages ?? 0) +
        Number(q.attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      const source = sourceOf.get(q.name);
      return {
        name: q.name,
        url: q.url,
        arn: q.arn,
        messages,
        ...(messages > 0 && { oldestAgeSeconds: await oldestAgeSeconds(sqs, q.url, now) }),
        ...(source && { source: { name: source.name, url: source.url, arn: source.arn } }),
      };
    }),
  );
  return dlqs.sort((a, b) => (a.source?.name ?? a.name).localeCompare(b.source?.name ?? b.name));
}

export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

export function formatDeadLetterQueues(dlqs: DeadLetterQueue[], prefix: string): string {
  if (dlqs.length === 0)
    return `No dead-letter queue named ${prefix}… (check --stage or --prefix, and the region).`;
  const rows = dlqs.map((d) => [
    d.source?.name ?? '(a function failure destination: no redrive)',
    d.name,
    String(d.messages),
    formatAge(d.oldestAgeSeconds),
  ]);
  const header = ['queue', 'dead-letter queue', 'messages', 'oldest'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The DLQ of QUEUE: its exact name or URL, or the product's name for it (`hot-leads`, `email-jobs`,
 * ...) found in exactly one source queue's name (`leadflow-prod-hot-leads.fifo`).
 */
export function findDeadLetterQueue(dlqs: DeadLetterQueue[], queue: string): DeadLetterQueue {
  const withSource = dlqs.filter((d) => d.source);
  const exact = withSource.filter((d) => d.source?.name === queue || d.source?.url === queue);
  const matches = exact.length
    ? exact
    : withSource.filter((d) => squash(d.source?.name ?? '').includes(squash(queue)));
  if (matches.length === 1) return matches[0] as DeadLetterQueue;
  const known = withSource.map((d) => d.source?.name).join(', ') || 'none';
  throw new DlqError(
    matches.length === 0
      ? `No queue ${queue} with a dead-letter queue; queues: ${known}`
      : `${queue} names more than one queue (${matches.map((d) => d.source?.name).join(', ')}); give the full name`,
  );
}

export interface RedriveResult {
  from: string;
  to: string;
  toMove: number;
  moved?: number;
  status?: string;
}

/** Starts SQS's move task from the DLQ back to its source queue; with `wait`, polls until it ends. */
export async function redrive(
  sqs: SQSClient,
  dlq: DeadLetterQueue,
  options: { wait?: boolean; pollMs?: number; timeoutMs?: number } = {},
): Promise<RedriveResult> {
  if (!dlq.source) throw new DlqError(`${dlq.name} has no source queue to redrive to`);
  const result: RedriveResult = { from: dlq.name, to: dlq.source.name, toMove: dlq.messages };
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: dlq.source.arn }));
  if (!options.wait) return result;
  const until = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }),
    );
    // The newest task is ours: SQS runs one move task per queue at a time.
    const task = Results.sort((a, b) => (b.StartedTimestamp ?? 0) - (a.StartedTimestamp ?? 0))[0];
    if (task && task.Status !== 'RUNNING') {
      if (task.Status === 'FAILED')
        throw new DlqError(`redrive of ${dlq.name} failed: ${task.FailureReason}`);
      return { ...result, moved: task.ApproximateNumberOfMessagesMoved ?? 0, status: task.Status };
    }
    if (Date.now() > until) throw new DlqError(`redrive of ${dlq.name} still running; see leadflow dlq list`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

export const formatRedrive = (r: RedriveResult) =>
  r.status
    ? `${r.status.toLowerCase()}: moved ${r.moved} message(s) from ${r.from} to ${r.to}`
    : `started: moving about ${r.toMove} message(s) from ${r.from} to ${r.to} (leadflow dlq list shows what is left)`;
