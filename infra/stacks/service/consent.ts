import { SIGNING_SECRETS_ARN_ENV } from '../../../functions/shared/env-names';
import { bindSecret, bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import type { ServiceContext } from './context';

/** Consent: the unsubscribe and double opt-in confirmation links of every e-mail. */
export function consentFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const { table, signingSecrets } = props;
  const unsubscribe = new LeadflowFunction(stack, 'Unsubscribe', {
    entry: 'unsubscribe',
    description: 'Leadflow: unsubscribe page and RFC 8058 one-click unsubscribe (signed links)',
    logRemovalPolicy,
  });
  // Reads the lead and its suppression (Get); puts the suppression, the lead with its consent
  // withdrawn and the `unsubscribed` activity (Put); Update for changes to the lead in place.
  bindTable(unsubscribe.function, table, { actions: ['GetItem', 'PutItem'] });
  // The link's token is checked against its HMAC, keyed with UNSUBSCRIBE_KEY.
  bindSecret(unsubscribe.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });

  const confirm = new LeadflowFunction(stack, 'Confirm', {
    entry: 'confirm',
    description: 'Leadflow: double opt-in confirmation page and confirmation (signed, expiring links)',
    logRemovalPolicy,
  });
  // Reads the lead, the scoring model and the nurture config (Get); writes the lead, conditional on
  // its version, with consent granted and its sequences enrolled, and the `consent_confirmed`
  // activity (Put). No hot-leads grant: a lead the confirmation makes hot keeps its pending
  // hand-off in the lead item (the outbox), and tick sends it within a minute.
  bindTable(confirm.function, table, { actions: ['BatchGetItem', 'GetItem', 'PutItem'] });
  // The link's token is checked against its HMAC, keyed (per purpose) from UNSUBSCRIBE_KEY.
  bindSecret(confirm.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });
  return { unsubscribe, confirm };
}
