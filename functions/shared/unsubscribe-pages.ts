import { page, postButton } from './html-page';

/** The small pages of the unsubscribe link. */

/** GET: one button that POSTs the same URL (token included): nothing changes until it is pressed. */
export function unsubscribePage(token: string): string {
  return page(
    'Unsubscribe',
    `<p>Stop receiving marketing emails from us at this address?</p>
${postButton(token, 'Unsubscribe')}`,
  );
}

export function unsubscribedPage(): string {
  return page(
    'You are unsubscribed',
    '<p>You will not receive marketing emails from us at this address any more. It can take a moment for emails already on their way to stop.</p>',
  );
}

export function invalidLinkPage(): string {
  return page(
    'This link is not valid',
    '<p>We could not read this unsubscribe link. Please use the link from the latest email you received from us, or reply to that email and ask to be unsubscribed.</p>',
  );
}
