import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../../functions/local/oidc/memory-store';

afterEach(() => {
  vi.useRealTimers();
});

describe("the local provider's memory store", () => {
  it('finds an entry by id and by session uid until its lifetime ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sessions = memoryStore()('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'maya' }, 60);
    expect(await sessions.find('s1')).toMatchObject({ accountId: 'maya' });
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'maya' });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await sessions.find('s1')).toBeUndefined();
    expect(await sessions.findByUid('u1')).toBeUndefined();
  });

  it('marks an entry consumed and destroys it', async () => {
    const codes = memoryStore()('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toEqual(expect.any(Number));
    await codes.destroy('c1');
    expect(await codes.find('c1')).toBeUndefined();
  });

  it('revoking a grant removes every token of that grant, of every kind, and no other', async () => {
    const store = memoryStore();
    const refresh = store('RefreshToken');
    const access = store('AccessToken');
    await refresh.upsert('r1', { grantId: 'g1' }, 3600);
    await refresh.upsert('r2', { grantId: 'g1' }, 3600);
    await access.upsert('a1', { grantId: 'g1' }, 3600);
    await refresh.upsert('r3', { grantId: 'g2' }, 3600);
    await refresh.revokeByGrantId('g1');
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await refresh.find('r2')).toBeUndefined();
    expect(await access.find('a1')).toBeUndefined();
    expect(await refresh.find('r3')).toMatchObject({ grantId: 'g2' });
  });

  it('keeps providers apart: one store each', async () => {
    const one = memoryStore()('Session');
    const other = memoryStore()('Session');
    await one.upsert('s1', { uid: 'u1' }, 60);
    expect(await other.find('s1')).toBeUndefined();
  });
});
