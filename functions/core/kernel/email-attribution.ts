/**
 * Which send an email belongs to: the sequence and step (nurture), the template, the broadcast,
 * the step's A/B variant.
 * send-email puts it on the message as SES message tags; SES hands the tags back on every event
 * of that message (delivery, open, click, bounce, complaint), and ses-events copies them into the
 * timeline entry, so the email report can count each event where its send is counted.
 * Shared by nurture (writes the tags), consent (reads them back) and reports (counts them).
 */
export interface EmailAttribution {
  sequenceId?: string;
  step?: string;
  templateId?: string;
  broadcastId?: string;
  /** The A/B variant of a sequence step (its name). */
  variant?: string;
}

/** The SES tag name of each attribution field. */
const TAG_NAMES = {
  sequenceId: 'sequence',
  step: 'step',
  templateId: 'template',
  broadcastId: 'broadcast',
  variant: 'variant',
} as const satisfies Record<keyof EmailAttribution, string>;
const FIELDS = Object.keys(TAG_NAMES) as (keyof EmailAttribution)[];

/**
 * SES tag values may hold only ASCII letters, digits, `_` and `-`, at most 256 characters
 * (SES v2 API reference, MessageTag). Sequence, step and template ids are slugs and pass as they
 * are; a confirmation's `confirm:<form>` becomes `confirm_<form>`.
 */
export const tagValue = (value: string): string => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

/** The attribution as SES message tags (fields left out stay out). */
export function attributionTags(attribution: EmailAttribution): { name: string; value: string }[] {
  return FIELDS.flatMap((field) => {
    const value = attribution[field];
    return value ? [{ name: TAG_NAMES[field], value: tagValue(value) }] : [];
  });
}

/** The attribution an SES event's `mail.tags` carry back (only fields with a valid value). */
export function attributionFromTags(tags: Record<string, string[]> | undefined): EmailAttribution {
  const attribution: EmailAttribution = {};
  for (const field of FIELDS) {
    const value = tags?.[TAG_NAMES[field]]?.[0];
    if (value && /^[A-Za-z0-9_-]{1,256}$/.test(value)) attribution[field] = value;
  }
  return attribution;
}

/**
 * The key a sequence is counted under: its tag form, so the sent entry (`confirm:newsletter`)
 * and the SES events of that send (`confirm_newsletter`) fall on one row.
 */
export const sequenceKey = (sequenceId: string): string => tagValue(sequenceId);
