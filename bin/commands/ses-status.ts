/**
 * `leadflow ses status`: can this install send e-mail? The SES account (SESv2 GetAccount: sending
 * enabled, production access, enforcement, quota, the production-access review) and Leadflow's
 * configuration set (GetConfigurationSet: its sending switch, which a pause of marketing sends
 * turns off). Each part is read on its own, so one that cannot be read is reported, not fatal to
 * the other.
 */
import {
  GetAccountCommand,
  type GetAccountCommandOutput,
  GetConfigurationSetCommand,
  type GetConfigurationSetCommandOutput,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';

export interface SesStatus {
  lines: string[];
  /** False when SES or the configuration set will not send, or either could not be read. */
  sending: boolean;
}

/** The error's name, its HTTP status when SES answered, and the first line of its message. */
const reason = (error: unknown) => {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ? `HTTP ${e.$metadata.httpStatusCode} ` : '';
  const message = e.message?.split('\n')[0];
  return `${status}${e.name ?? 'Error'}${message && message !== e.name ? `: ${message}` : ''}`;
};

function accountLines(a: GetAccountCommandOutput): { lines: string[]; sending: boolean } {
  const q = a.SendQuota;
  const enforcement = a.EnforcementStatus ?? 'unknown';
  const review = a.Details?.ReviewDetails;
  const sending = a.SendingEnabled === true && enforcement === 'HEALTHY';
  return {
    sending,
    lines: [
      `account: sending ${a.SendingEnabled ? 'enabled' : 'DISABLED'}, enforcement ${enforcement}` +
        (enforcement === 'HEALTHY'
          ? ''
          : ' (SES is reviewing or has paused this account: see the SES console)'),
      `  production access: ${a.ProductionAccessEnabled ? 'yes' : 'NO (sandbox: only verified recipients)'}` +
        (review?.Status ? `; review ${review.Status}${review.CaseId ? ` (case ${review.CaseId})` : ''}` : ''),
      q
        ? `  quota: ${q.SentLast24Hours ?? 0} of ${q.Max24HourSend ?? '?'} sent in the last 24 h, at most ${q.MaxSendRate ?? '?'}/s`
        : '  quota: not reported',
    ],
  };
}

function configurationSetLines(
  name: string,
  c: GetConfigurationSetCommandOutput,
): { lines: string[]; sending: boolean } {
  const sending = c.SendingOptions?.SendingEnabled !== false;
  return {
    sending,
    lines: [
      sending
        ? `configuration set ${name}: sending enabled`
        : `configuration set ${name}: sending PAUSED (nothing sent with it goes out; resume: aws sesv2 ` +
          `put-configuration-set-sending-options --configuration-set-name ${name} --sending-enabled)`,
      `  reputation metrics ${c.ReputationOptions?.ReputationMetricsEnabled ? 'on' : 'off'}`,
    ],
  };
}

export async function sesStatus(ses: SESv2Client, configurationSet: string): Promise<SesStatus> {
  const [account, set] = await Promise.allSettled([
    ses.send(new GetAccountCommand({})),
    ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: configurationSet })),
  ]);
  const a =
    account.status === 'fulfilled'
      ? accountLines(account.value)
      : { sending: false, lines: [`account: could not read (${reason(account.reason)})`] };
  const c =
    set.status === 'fulfilled'
      ? configurationSetLines(configurationSet, set.value)
      : {
          sending: false,
          lines: [`configuration set ${configurationSet}: could not read (${reason(set.reason)})`],
        };
  return { lines: [...a.lines, ...c.lines], sending: a.sending && c.sending };
}
