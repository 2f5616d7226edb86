import * as z from 'zod/mini';
import type { ChangedBy } from '../kernel/changed-by';
import { LeadflowError } from '../kernel/errors';
import type { StoredVersion } from './versions';

/**
 * An edit started from one version, but another version was activated since (409): storing or
 * activating it would silently drop that change. Nothing was stored.
 */
export class VersionConflictError extends LeadflowError {
  readonly code = 'version_conflict';
}

/** The store refused an activation because the active version is no longer the expected one. */
export class ActiveVersionMovedError extends Error {
  constructor(readonly expected: number) {
    super(`the active version is no longer ${expected}`);
  }
}

const who = (by: ChangedBy | undefined) =>
  by ? `${by.name}${by.username ? ` (${by.username})` : ''}` : 'Someone';

/** The 409 in words: who activated which version when, since the edit's version. */
export function versionConflict(
  what: string,
  basedOn: number,
  active: Pick<StoredVersion<unknown>, 'version' | 'activatedAt' | 'activatedBy' | 'createdAt'> | undefined,
): VersionConflictError {
  const message = active
    ? `${who(active.activatedBy)} activated ${what} version ${active.version} at ${active.activatedAt ?? active.createdAt}, after your edit started from version ${basedOn}. Open the latest version and re-apply your change.`
    : `No ${what} version is active any more, but your edit started from version ${basedOn}.`;
  return new VersionConflictError(message, [
    {
      path: 'basedOn',
      message: active ? `the active version is ${active.version}, not ${basedOn}` : 'no version is active',
    },
  ]);
}

/**
 * The rule: an edit based on a version may be stored or activated only while that version is the
 * active one. No `basedOn` (the CLI's `config push`, scripts): nothing is checked.
 */
export function checkBasedOn(
  what: string,
  basedOn: number | undefined,
  active: Pick<StoredVersion<unknown>, 'version' | 'activatedAt' | 'activatedBy' | 'createdAt'> | undefined,
): void {
  if (basedOn === undefined || active?.version === basedOn) return;
  throw versionConflict(what, basedOn, active);
}

/** `basedOn`: the version an edit started from (optional on every version-adding body). */
export const basedOnSchema = z
  .number()
  .check(
    z.int(),
    z.minimum(1),
    z.maximum(999_999),
    z.describe(
      'The version this edit started from: refused with 409 version_conflict when another version was activated since',
    ),
  );

/** The optional body of an activation: `{basedOn}`, refused with 409 when the active version moved. */
export const activateBodySchema = z.strictObject({ basedOn: z.optional(basedOnSchema) });
