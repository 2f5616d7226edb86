import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Stages that may be deployed with the sample settings: throwaway ones, whose data nobody keeps. */
export const THROWAWAY_STAGES: readonly string[] = ['dev', 'test'];

/** The postal address config/settings.yaml ships with: not the sender's, so never in a real e-mail. */
export const SAMPLE_POSTAL_ADDRESS =
  'Leadflow Inc., 548 Market Street, Suite 100, San Francisco, CA 94104, USA';

/** One setting still at a sample value: where it is and what it holds. */
export interface Placeholder {
  readonly setting: string;
  readonly value: unknown;
}

/**
 * Hosts that never reach a real person: local ones and the names reserved for examples and tests
 * (RFC 2606: example.com/net/org, .example, .test, .invalid, .localhost).
 */
export function isPlaceholderHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return (
    name === 'localhost' ||
    name === '0.0.0.0' ||
    name === '[::1]' ||
    /^127\./.test(name) ||
    /(^|\.)(example|test|invalid|localhost)$/.test(name) ||
    /(^|\.)example\.(com|net|org)$/.test(name)
  );
}

function placeholderEmail(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  const host = value.split('@')[1];
  return !host || isPlaceholderHost(host);
}

function placeholderUrl(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  try {
    return isPlaceholderHost(new URL(value).hostname);
  } catch {
    return true;
  }
}

/**
 * The settings of `configDir` (settings.yaml and forms/*.yaml) and of the app (sender identity,
 * public URL) still at a sample value: sender and reply-to addresses, the postal address, each form's
 * thank-you URL and allowed origins. Schema problems are `leadflow config check`'s job, not this one.
 */
export function findPlaceholders(
  configDir: string,
  app: { readonly senderIdentity?: string; readonly publicUrl?: string },
): Placeholder[] {
  const found: Placeholder[] = [];
  const settings = readYaml(join(configDir, 'settings.yaml')) as {
    sender?: { email?: unknown };
    replyTo?: unknown;
    postalAddress?: unknown;
  } | null;
  if (placeholderEmail(settings?.sender?.email)) {
    found.push({ setting: 'settings.yaml sender.email', value: settings?.sender?.email });
  }
  if (settings?.replyTo !== undefined && placeholderEmail(settings.replyTo)) {
    found.push({ setting: 'settings.yaml replyTo', value: settings.replyTo });
  }
  const postal = settings?.postalAddress;
  if (typeof postal !== 'string' || postal.trim() === '' || postal.trim() === SAMPLE_POSTAL_ADDRESS) {
    found.push({ setting: 'settings.yaml postalAddress', value: postal });
  }
  for (const file of readdirSync(join(configDir, 'forms'))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()) {
    const form = readYaml(join(configDir, 'forms', file)) as {
      thankYouUrl?: unknown;
      allowedOrigins?: unknown;
    } | null;
    if (form?.thankYouUrl !== undefined && placeholderUrl(form.thankYouUrl)) {
      found.push({ setting: `forms/${file} thankYouUrl`, value: form.thankYouUrl });
    }
    const origins = Array.isArray(form?.allowedOrigins) ? form.allowedOrigins : [];
    origins.forEach((origin: unknown, index) => {
      if (placeholderUrl(origin))
        found.push({ setting: `forms/${file} allowedOrigins[${index}]`, value: origin });
    });
  }
  if (app.senderIdentity !== undefined) {
    const host = app.senderIdentity.includes('@') ? app.senderIdentity.split('@')[1] : app.senderIdentity;
    if (!host || isPlaceholderHost(host)) {
      found.push({ setting: 'context leadflow:senderIdentity', value: app.senderIdentity });
    }
  }
  if (app.publicUrl !== undefined && placeholderUrl(app.publicUrl)) {
    found.push({ setting: 'context leadflow:publicUrl', value: app.publicUrl });
  }
  return found;
}

/** Refuses to build a kept stage (not dev or test) while a setting is still a sample value, naming each. */
export function refusePlaceholders(
  stage: string,
  configDir: string,
  app: { readonly senderIdentity?: string; readonly publicUrl?: string },
): void {
  if (THROWAWAY_STAGES.includes(stage)) return;
  const found = findPlaceholders(configDir, app);
  if (found.length === 0) return;
  throw new Error(
    [
      `Stage ${stage} still has sample settings, which every e-mail, form and link would use (config: ${configDir}). Set:`,
      ...found.map(({ setting, value }) => `  - ${setting}: ${JSON.stringify(value) ?? 'missing'}`),
      `Or point the leadflow:configDir context at the real config. Only ${THROWAWAY_STAGES.join(' and ')} build with sample settings.`,
    ].join('\n'),
  );
}

function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8')) as unknown;
}
