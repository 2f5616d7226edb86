/** `leadflow sales ...`: the sales API from a terminal (LEADFLOW_API_URL, LEADFLOW_TOKEN with role sales). */

export class CliError extends Error {}

interface Card {
  leadId: string;
  email: string;
  stage: string;
  handoff: number;
  becameHotAt: string;
  profile: Record<string, unknown>;
  score: { total: number; grade: string; fit: number; engagement: number } | null;
  whyHot: { rule: string; points: number; reason: string }[];
  source: { first: Record<string, string> | null; last: Record<string, string> | null };
  recentActivity: { type: string; at: string; formId?: string }[];
  claimToken: string;
  claimExpiresAt: string;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const base = process.env.LEADFLOW_API_URL;
  const token = process.env.LEADFLOW_TOKEN;
  if (!base || !token) throw new CliError('Set LEADFLOW_API_URL and LEADFLOW_TOKEN (a sales token).');
  const res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (res.status >= 400) {
    const error = (
      json as { error?: { code: string; message: string; details?: { path: string; message: string }[] } }
    )?.error;
    const details = (error?.details ?? []).map((d) => `\n  ${d.path}: ${d.message}`).join('');
    throw new CliError(`${res.status} ${error?.code ?? ''}: ${error?.message ?? text}${details}`);
  }
  return { status: res.status, json };
}

export function formatCard(card: Card): string {
  const p = card.profile;
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ') || card.email;
  const lines = [
    `${name} <${card.email}>${p.jobTitle ? ` — ${p.jobTitle}` : ''}${p.company ? ` at ${p.company}` : ''}`,
    `  lead ${card.leadId}  stage ${card.stage}  hand-off #${card.handoff}, hot since ${card.becameHotAt}`,
    card.score
      ? `  score ${card.score.total} (fit ${card.score.fit}, engagement ${card.score.engagement}), grade ${card.score.grade}`
      : '  no score',
    ...(p.phone ? [`  phone ${p.phone}`] : []),
    ...(p.country ? [`  country ${p.country}`] : []),
    '  why hot:',
    ...card.whyHot.map((w) => `    ${w.points >= 0 ? '+' : ''}${w.points}  ${w.rule}: ${w.reason}`),
    `  source: ${
      Object.entries(card.source.first ?? {})
        .filter(([k]) => k.startsWith('utm_') || k === 'source')
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'direct'
    }`,
    '  recent activity:',
    ...card.recentActivity.map((a) => `    ${a.at}  ${a.type}${a.formId ? ` (${a.formId})` : ''}`),
    `  claim expires ${card.claimExpiresAt}`,
    `  claim token: ${card.claimToken}`,
  ];
  return lines.join('\n');
}

interface MyClaims {
  claims: (Card & { claimedAt: string })[];
  owned: {
    leadId: string;
    email: string;
    name: string | null;
    company: string | null;
    stage: string;
    score: number | null;
    since: string;
    lastOutcome: string | null;
    newActivity: { type: string; at: string }[];
  }[];
  ownedTotal: number;
}

/** `leadflow sales claims`: the caller's live claims with their tokens, then the leads sales owns through them. */
export function formatMyClaims(mine: MyClaims): string {
  const lines: string[] = [];
  if (mine.claims.length === 0) lines.push('No live claims.');
  for (const claim of mine.claims) {
    const p = claim.profile;
    const name = [p.firstName, p.lastName].filter(Boolean).join(' ') || claim.email;
    lines.push(
      `${name} <${claim.email}>  lead ${claim.leadId}  stage ${claim.stage}`,
      `  claimed ${claim.claimedAt}, expires ${claim.claimExpiresAt}`,
      `  claim token: ${claim.claimToken}`,
    );
  }
  lines.push(
    `Owned leads: ${mine.ownedTotal}${mine.ownedTotal > mine.owned.length ? ` (latest ${mine.owned.length} shown)` : ''}`,
  );
  for (const lead of mine.owned) {
    const news = lead.newActivity.length;
    lines.push(
      `  ${lead.name ?? lead.email} <${lead.email}>${lead.company ? ` at ${lead.company}` : ''}  lead ${lead.leadId}  stage ${lead.stage}  last outcome ${lead.lastOutcome ?? '-'}${news > 0 ? `  NEW: ${lead.newActivity.map((a) => `${a.type} ${a.at}`).join(', ')}` : ''}`,
    );
  }
  return lines.join('\n');
}

export async function salesCommand(
  command: string | undefined,
  args: string[],
  flags: Record<string, string | boolean | undefined>,
) {
  switch (command) {
    case 'next': {
      const { status, json } = await call('POST', '/v1/sales/claims');
      return status === 204 ? 'No hot lead is waiting.' : formatCard(json as Card);
    }
    case 'claims': {
      const { json } = await call('GET', '/v1/sales/claims');
      return formatMyClaims(json as MyClaims);
    }
    case 'extend': {
      const [token] = args;
      if (!token) throw new CliError('usage: leadflow sales extend CLAIM_TOKEN');
      const { json } = await call('POST', `/v1/sales/claims/${encodeURIComponent(token)}/extend`);
      return `Claim extended until ${(json as { claimExpiresAt: string }).claimExpiresAt}.`;
    }
    case 'release': {
      const [token] = args;
      if (!token) throw new CliError('usage: leadflow sales release CLAIM_TOKEN');
      await call('POST', `/v1/sales/claims/${encodeURIComponent(token)}/release`);
      return 'Released: the lead is back on the queue.';
    }
    case 'outcome': {
      const [leadId] = args;
      // Without --claim: an outcome on a lead sales owns through the caller.
      if (!leadId || !flags.outcome) {
        throw new CliError(
          'usage: leadflow sales outcome LEAD_ID [--claim CLAIM_TOKEN] --outcome OUTCOME [--note TEXT] [--reason TEXT]',
        );
      }
      const { json } = await call('POST', `/v1/sales/leads/${encodeURIComponent(leadId)}/outcome`, {
        ...(flags.claim ? { claimToken: flags.claim } : {}),
        outcome: flags.outcome,
        ...(flags.note ? { note: flags.note } : {}),
        ...(flags.reason ? { reason: flags.reason } : {}),
      });
      const result = json as { outcome: string; stage: string; claimOpen: boolean };
      return `Recorded ${result.outcome}: stage ${result.stage}${result.claimOpen ? ' (claim still open)' : ''}.`;
    }
    case 'queue': {
      const { json } = await call('GET', '/v1/sales/queue');
      const q = json as {
        waiting: number;
        claimed: number;
        pending: number;
        oldestWaitingSince: string | null;
      };
      return `waiting ${q.waiting}, claimed ${q.claimed}, pending send ${q.pending}, oldest waiting since ${q.oldestWaitingSince ?? '-'}`;
    }
    default:
      throw new CliError(
        'usage: leadflow sales next | claims | extend TOKEN | release TOKEN | outcome LEAD_ID [--claim TOKEN] --outcome O | queue',
      );
  }
}
