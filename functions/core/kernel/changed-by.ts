import * as z from 'zod/mini';
import type { TokenIdentity } from './auth';

/** Who made a change: the name shown, and a signed-in person's user name where there is one. */
export interface ChangedBy {
  name: string;
  username?: string;
}

export const changedBySchema = z
  .object({ name: z.string(), username: z.optional(z.string()) })
  .check(z.describe('Who made the change: a name, and a signed-in person’s user name'));

/** The caller as a change records it (no role, no empty user name). */
export function changedBy(caller: Pick<TokenIdentity, 'name' | 'username'>): ChangedBy {
  return caller.username ? { name: caller.name, username: caller.username } : { name: caller.name };
}
