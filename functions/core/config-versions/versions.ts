import type { ChangedBy } from '../kernel/changed-by';
import { LeadflowError, ValidationError } from '../kernel/errors';
import { ActiveVersionMovedError, checkBasedOn, versionConflict } from './conflict';

export {
  ActiveVersionMovedError,
  activateBodySchema,
  basedOnSchema,
  VersionConflictError,
} from './conflict';

/**
 * One stored version of a config document: its document is immutable once added. Who added it
 * and who last activated it are recorded (versions stored before that have neither).
 */
export interface StoredVersion<T> {
  version: number;
  hash: string;
  document: T;
  createdAt: string;
  createdBy?: ChangedBy;
  activatedAt?: string;
  activatedBy?: ChangedBy;
}

export type VersionSummary = Omit<StoredVersion<unknown>, 'document'>;

/** One document of a kind (a form) as the index of documents lists it: no document, just its versions. */
export interface DocumentSummary {
  id: string;
  /** The active version's `name` where the document has one (a form's name). */
  name?: string;
  latestVersion: number;
  activeVersion?: number;
  activatedAt?: string;
  activatedBy?: ChangedBy;
  lastChange: { at: string; by?: ChangedBy; what: 'added' | 'activated'; version: number };
}

/**
 * The versions of one config document (a form, the scoring model, the nurture config): every
 * change is a new version, and one of them is active. Rolling back is activating an older one.
 */
export interface ConfigVersions<T> {
  active(): Promise<StoredVersion<T> | undefined>;
  version(version: number): Promise<StoredVersion<T> | undefined>;
  /** Every version, newest first, without documents. */
  versions(): Promise<VersionSummary[]>;
  addVersion(document: T, at: Date, by: ChangedBy): Promise<StoredVersion<T>>;
  /**
   * Points the active copy at a version. With `expectActive`, only while that version is still the
   * active one (checked in the same conditional write; ActiveVersionMovedError otherwise).
   */
  activate(
    version: number,
    at: Date,
    by: ChangedBy,
    expectActive?: number,
  ): Promise<StoredVersion<T> | undefined>;
}

/** A version number in the path that names no stored version: 404. */
export class VersionNotFoundError extends LeadflowError {
  readonly code = 'version_not_found';
  constructor(what: string, version: number) {
    super(`No ${what} version ${version}.`);
  }
}

/** A version number from a path: 1 to 999999, digits only; anything else is 400 at `path`. */
export function parseVersion(raw: string | undefined, path = 'version'): number {
  if (!/^\d{1,6}$/.test(raw ?? '') || Number(raw) < 1)
    throw new ValidationError([{ path, message: 'is not a version number' }]);
  return Number(raw);
}

/** The active version (or null) and every version, newest first. */
export async function listVersions<T>(store: ConfigVersions<T>) {
  const [active, versions] = await Promise.all([store.active(), store.versions()]);
  return { active: active ?? null, versions };
}

/**
 * Adds a version, not active yet.
 * Input: the document, already validated by its context (`draft` throws ValidationError), who adds
 * it, and optionally `basedOn`, the version the edit started from.
 * Output: the new version number, its time, who added it and the validation's warnings.
 * 1. With `basedOn`, the active version must still be that one (VersionConflictError, 409, nothing
 *    stored). Read, then checked: enough, because a stored version changes nothing until it is
 *    activated, and activation carries the same check in its conditional write.
 */
export async function addVersion<T>(
  store: ConfigVersions<T>,
  draft: { document: T; warnings: unknown[] },
  at: Date,
  by: ChangedBy,
  options: { what?: string; basedOn?: number } = {},
) {
  if (options.basedOn !== undefined)
    checkBasedOn(options.what ?? 'config', options.basedOn, await store.active());
  const stored = await store.addVersion(draft.document, at, by);
  return { version: stored.version, createdAt: stored.createdAt, createdBy: by, warnings: draft.warnings };
}

/** A stored version, or VersionNotFoundError naming `what` (e.g. "nurture config"). */
export async function findVersion<T>(
  store: Pick<ConfigVersions<T>, 'version'>,
  what: string,
  version: number,
) {
  const found = await store.version(version);
  if (!found) throw new VersionNotFoundError(what, version);
  return found;
}

/**
 * Makes a stored version the active one (forwards or back).
 * 1. Points the active copy at the version; 2. an unknown version is VersionNotFoundError (404);
 * 3. with `basedOn`, only while that version is still active (VersionConflictError, 409), checked
 *    by the store in the write itself so two editors activating at once cannot both pass.
 */
export async function activateVersion<T>(
  store: ConfigVersions<T>,
  what: string,
  version: number,
  at: Date,
  by: ChangedBy,
  basedOn?: number,
) {
  let active: StoredVersion<T> | undefined;
  try {
    active = await store.activate(version, at, by, basedOn);
  } catch (error) {
    if (!(error instanceof ActiveVersionMovedError) || basedOn === undefined) throw error;
    throw versionConflict(what, basedOn, await store.active());
  }
  if (!active) throw new VersionNotFoundError(what, version);
  return { version, activatedAt: active.activatedAt, activatedBy: by };
}
