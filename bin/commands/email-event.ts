/**
 * `leadflow email event MESSAGE_ID open|click [--link URL]`: on the local stack, publish an SES
 * Open or Click event for a sent email (its message id is on the lead's email_sent entry and in
 * the mailbox), through the same path as a click in the mailbox: the local server's
 * POST /local/ses/events builds the SES event and hands it to ses-events. AWS publishes these
 * itself; the route exists on the local server only.
 */
export class EmailEventError extends Error {}

export const EMAIL_EVENTS = ['open', 'click'] as const;

export async function emitEmailEvent(
  apiUrl: string,
  messageId: string,
  event: string,
  link?: string,
): Promise<string> {
  if (!(EMAIL_EVENTS as readonly string[]).includes(event))
    throw new EmailEventError(`the event is one of: ${EMAIL_EVENTS.join(', ')}`);
  const url = `${apiUrl.replace(/\/+$/, '')}/local/ses/events`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId, event, ...(link ? { link } : {}) }),
    });
  } catch (error) {
    throw new EmailEventError(
      `cannot reach the local stack at ${apiUrl} (npm start): ${(error as Error).message}`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as {
    link?: string;
    error?: { message?: string; details?: { path: string; message: string }[] };
  };
  if (res.status === 404 && !body.error?.message?.includes('message id'))
    throw new EmailEventError(
      `${apiUrl} has no /local/ses/events: only the local stack (npm start) emits events`,
    );
  if (!res.ok) {
    const details = (body.error?.details ?? []).map((d) => `${d.path} ${d.message}`).join('; ');
    throw new EmailEventError(
      `${body.error?.message ?? `HTTP ${res.status}`}${details ? ` (${details})` : ''}`,
    );
  }
  return `published ${event === 'open' ? 'an open' : `a click on ${body.link}`} of ${messageId}`;
}
