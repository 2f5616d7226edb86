import type { Confirmation } from '../core/consent/confirm-subscription';
import { page, postButton } from './html-page';

/** The small pages of the double opt-in confirmation link. */

/** GET: one button that POSTs the same URL: mail scanners prefetch links, so a GET confirms nothing. */
export function confirmPage(token: string): string {
  return page(
    'Confirm your subscription',
    `<p>Please confirm that you want to receive our emails at this address. Nothing is sent until you do.</p>
${postButton(token, 'Confirm my subscription')}`,
  );
}

const DONE: Record<Confirmation, [string, string]> = {
  confirmed: [
    'You are subscribed',
    '<p>Thank you for confirming. Our first email is on its way. You can unsubscribe at any time with the link in every email.</p>',
  ],
  already_confirmed: [
    'You are subscribed',
    '<p>Your subscription was already confirmed: there is nothing more to do.</p>',
  ],
  not_pending: [
    'Nothing to confirm',
    '<p>This sign-up can no longer be confirmed (it was cancelled or replaced by a later one). To subscribe, please sign up again.</p>',
  ],
};

export function confirmedPage(result: Confirmation): string {
  const [title, content] = DONE[result];
  return page(title, content);
}

export function invalidConfirmationPage(expired: boolean): string {
  return expired
    ? page(
        'This link has expired',
        '<p>Confirmation links work for a few days only. Please sign up again and use the link in the new email.</p>',
      )
    : page(
        'This link is not valid',
        '<p>We could not read this confirmation link. Please use the link from the latest confirmation email you received from us.</p>',
      );
}
