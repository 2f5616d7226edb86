import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../functions/adapters/ses/ses-mailer';
import type { OutgoingEmail } from '../../functions/core/nurture/mailer';

// The SES emulator ignores configuration sets, so which set a message names is checked on the request.
const sesMock = mockClient(SESv2Client);
afterEach(() => sesMock.reset());

const email: OutgoingEmail = {
  to: 'ada@example.com',
  from: 'Acme <news@acme.io>',
  subject: 'Hello',
  html: '<p>Hello</p>',
  text: 'Hello',
  headers: [],
  tags: [{ name: 'leadId', value: 'l1' }],
};

describe('SesMailer configuration sets', () => {
  it('sends marketing mail with the marketing set and confirmations with the transactional set', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    const mailer = new SesMailer(new SESv2Client({}), 'leadflow-prod', 'leadflow-prod-transactional');
    await mailer.send(email);
    await mailer.send({ ...email, transactional: true });
    const sets = sesMock
      .commandCalls(SendEmailCommand)
      .map((call) => call.args[0].input.ConfigurationSetName);
    expect(sets).toEqual(['leadflow-prod', 'leadflow-prod-transactional']);
  });

  it('uses the one set for both when no transactional set is given', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    const mailer = new SesMailer(new SESv2Client({}), 'leadflow-dev');
    await mailer.send({ ...email, transactional: true });
    expect(sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input.ConfigurationSetName).toBe(
      'leadflow-dev',
    );
  });
});
