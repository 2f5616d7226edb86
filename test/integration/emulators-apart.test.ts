import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startEmulatorsApart } from '../../functions/local/emulators';

/** `npm start` and the benchmarks run the emulators in a child process: they answer, and stop with it. */
describe('the emulators in a process of their own', () => {
  it('answer over the wire on 127.0.0.1, and their process ends on stop', async () => {
    const emulators = await startEmulatorsApart({ dynamodb: 0, sqs: 0, ses: 0 });
    try {
      for (const endpoint of Object.values(emulators.endpoints))
        expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const tables = await new DynamoDBClient({
        endpoint: emulators.endpoints.dynamodb,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }).send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual([]);
    } finally {
      await emulators.stop();
    }
    await expect(fetch(emulators.endpoints.dynamodb)).rejects.toThrow();
  }, 30_000);
});
