import { companyOf, nameOf } from '../../handoff/lead-names';
import type { LeadState } from '../../leads/lead';
import type { IntegrationEvent } from '../events';
import { whyHot } from '../why-hot';
import { type Block, escapeMrkdwn as esc, type SlackMessage, withinLimits } from './blocks';

/** Console links a card points at (console/src/app.tsx routes). */
export const consoleLinks = (publicUrl: string, leadId: string) => ({
  inbox: `${publicUrl}/console/inbox`,
  lead: `${publicUrl}/console/leads/${encodeURIComponent(leadId)}`,
  team: `${publicUrl}/console/team`,
});

const titleOf = (lead: LeadState) => nameOf(lead) ?? companyOf(lead) ?? `Lead ${lead.leadId.slice(0, 8)}`;
const field = (label: string, value: string) => ({
  type: 'mrkdwn' as const,
  text: `*${label}*\n${esc(value)}`,
});
const slackDate = (iso: string) =>
  `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>`;

function sourceOf(lead: LeadState): string | undefined {
  const touch = lead.lastTouch ?? lead.firstTouch;
  if (!touch) return undefined;
  const utm = [touch.utm_source, touch.utm_medium, touch.utm_campaign].filter(Boolean).join(' / ');
  return utm ? `${touch.source} (${utm})` : touch.source;
}

/** `lead.hot` → the sales channel: the why-hot card with a button to claim it in the console. */
export function hotLeadCard(lead: LeadState, event: IntegrationEvent, publicUrl: string): SlackMessage {
  const links = consoleLinks(publicUrl, lead.leadId);
  const title = titleOf(lead);
  const score = lead.score ? `${lead.score.total} (grade ${lead.score.grade})` : 'not scored';
  const fields = [field('Score', score)];
  const company = companyOf(lead);
  const jobTitle = lead.profile.jobTitle?.value;
  if (company) fields.push(field('Company', company));
  if (jobTitle !== undefined && jobTitle !== '') fields.push(field('Title', String(jobTitle)));
  const source = sourceOf(lead);
  if (source) fields.push(field('Source', source));
  const reasons = whyHot(lead).map((r) => `• *${esc(r.rule)}* +${r.points} — ${esc(r.reason)}`);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `Hot lead: ${title}`, emoji: true } },
    { type: 'section', fields },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Why hot*\n${reasons.join('\n') || 'No rule recorded'}` },
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Claim in the inbox' },
          url: links.inbox,
          style: 'primary',
          action_id: 'claim',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the lead' },
          url: links.lead,
          action_id: 'open_lead',
        },
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Became hot ${slackDate(event.occurredAt)} · waiting for a rep` }],
    },
  ];
  return withinLimits({
    text: `Hot lead waiting: ${esc(title)}, score ${score}`,
    blocks,
    unfurl_links: false,
  });
}

/** `lead.sla_breached` → the managers' channel: who waits, for how long, against which SLA. */
export function slaBreachCard(lead: LeadState, event: IntegrationEvent, publicUrl: string): SlackMessage {
  const links = consoleLinks(publicUrl, lead.leadId);
  const title = titleOf(lead);
  const waited = Number(event.data.waitingMinutes ?? 0);
  const sla = Number(event.data.slaMinutes ?? 0);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `SLA breached: ${title}` } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `A hot lead has waited *${waited} min* unclaimed (SLA ${sla} min). Hand-off #${event.data.handoff ?? '?'}.`,
      },
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the team view' },
          url: links.team,
          style: 'primary',
          action_id: 'team',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the lead' },
          url: links.lead,
          action_id: 'open_lead',
        },
      ],
    },
  ];
  return withinLimits({
    text: `SLA breached: ${esc(title)} waited ${waited} min`,
    blocks,
    unfurl_links: false,
  });
}

/** `lead.activity` on an owned lead → its rep (a DM, or a mention in the sales channel). */
export function ownedActivityCard(
  lead: LeadState,
  event: IntegrationEvent,
  publicUrl: string,
  rep: { mention: string },
): SlackMessage {
  const title = titleOf(lead);
  const activity = String(
    event.data.activityType ?? event.data.activity ?? lead.lastActivity?.type ?? 'activity',
  );
  const blocks: Block[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${rep.mention} *${esc(title)}*, a lead you own, is back: *${esc(activity.replace(/_/g, ' '))}* ${slaDateOrEmpty(event.occurredAt)}`,
      },
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the lead' },
          url: consoleLinks(publicUrl, lead.leadId).lead,
          action_id: 'open_lead',
        },
      ],
    },
  ];
  return withinLimits({ text: `${esc(title)} is back: ${esc(activity)}`, blocks, unfurl_links: false });
}

const slaDateOrEmpty = (iso: string) => (Number.isNaN(Date.parse(iso)) ? '' : slackDate(iso));
