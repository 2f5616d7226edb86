import { sha256Hex } from '../kernel/email';
import { ValidationError } from '../kernel/errors';
import { settleLead } from '../leads/evolve';
import type { Activity, LeadState } from '../leads/lead';
import type { RecordDeps } from '../leads/record-activity';
import type { AdLead } from './ad-lead';
import { COMMON_ANSWER_FIELDS, mapAnswers } from './fields';
import { hmacSha256Hex, sameHex } from './signatures';

/**
 * LinkedIn Lead Sync webhooks (learn.microsoft.com/linkedin/shared/api-guide/webhook-validation and
 * /linkedin/marketing/lead-sync/leadsync): a challenge to prove the URL is ours, signed
 * notifications that carry the form response's URN only, the answers fetched from the REST API.
 */

/** LinkedIn's challenge codes are UUIDs (8-4-4-4-12 hex digits). */
const CHALLENGE_CODE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET ?challengeCode=<uuid> → {challengeCode, challengeResponse: hex(HMAC-SHA256(challengeCode, client secret))}.
 * The answer is the same HMAC, with the same key, as X-LI-Signature over a body: answering any
 * text would make this route a signing oracle for forged notifications. Only a UUID is signed,
 * and a UUID is never a JSON body (nor `hmacsha256=` followed by one).
 */
export function linkedinChallenge(
  query: Record<string, string | undefined>,
  clientSecret: string,
): { challengeCode: string; challengeResponse: string } {
  const challengeCode = query.challengeCode;
  if (!challengeCode || !CHALLENGE_CODE.test(challengeCode)) {
    throw new ValidationError([{ path: 'challengeCode', message: 'must be a UUID, as LinkedIn sends' }]);
  }
  return { challengeCode, challengeResponse: hmacSha256Hex(clientSecret, challengeCode) };
}

const PREFIX = 'hmacsha256=';

/**
 * X-LI-Signature: hex HMAC-SHA256 with the client secret. LinkedIn's page reads "the HMACSHA256 hash
 * of the JSON-encoded string representation of the POST body prefixed by hmacsha256=", which
 * integrations read both ways, so all three readings are accepted, each over the raw bytes:
 * `<hex of HMAC(body)>`, `hmacsha256=<hex of HMAC(body)>` and `<hex of HMAC("hmacsha256=" + body)>`.
 * Both digests are always computed and compared in constant time.
 */
export function verifyLinkedinSignature(
  rawBody: Buffer,
  header: string | undefined,
  clientSecret: string,
): boolean {
  const given = /^(?:hmacsha256=)?([0-9a-fA-F]{64})$/i.exec(header?.trim() ?? '')?.[1];
  const overBody = sameHex(hmacSha256Hex(clientSecret, rawBody), given);
  const overPrefixed = sameHex(
    hmacSha256Hex(clientSecret, Buffer.concat([Buffer.from(PREFIX, 'utf8'), rawBody])),
    given,
  );
  return overBody || overPrefixed;
}

/**
 * One Lead Sync notification, as documented (type LEAD_ACTION):
 * `{type, leadGenFormResponse: "urn:li:leadGenFormResponse:<id>", leadGenForm:
 * "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:<id>,<version>)", owner: {sponsoredAccount |
 * organization}, associatedEntity: {sponsoredCreative | event | ...}, leadType, leadAction:
 * CREATED | DELETED, occurredAt (epoch ms)}`. It carries no personal data.
 */
export interface LinkedinLeadNotification {
  action: 'CREATED' | 'DELETED';
  /** The form response's id (the URN's last part): the dedupe key of the lead. */
  responseId: string;
  formId?: string;
  leadType?: string;
  owner?: string;
  associatedEntity?: string;
  occurredAt?: number;
}

const RESPONSE_URN = /^(?:urn:li:leadGenFormResponse:)?([0-9A-Za-z_-]{1,128})$/;

const firstUrn = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.slice(0, 200);
  if (typeof value !== 'object' || value === null) return undefined;
  const found = Object.values(value).find((v) => typeof v === 'string');
  return typeof found === 'string' ? found.slice(0, 200) : undefined;
};

/** The plain id at the end of a simple URN (`urn:li:sponsoredCampaign:367` → `367`). */
export function urnId(urn: string | undefined): string | undefined {
  const id = urn?.match(/:([0-9A-Za-z_-]{1,128})\)?$/)?.[1];
  return id ?? (urn && /^[0-9A-Za-z_-]{1,128}$/.test(urn) ? urn : undefined);
}

/** The form's id inside `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:<id>,<version>)` or `urn:li:leadGenForm:<id>`. */
export function leadFormId(urn: unknown): string | undefined {
  return typeof urn === 'string' ? /urn:li:leadGenForm:([0-9]{1,40})/.exec(urn)?.[1] : undefined;
}

/**
 * The notification in a delivery; `undefined` for an action this integration does not handle
 * (it is acknowledged and ignored); 400 for a body that is no Lead Sync notification.
 */
export function linkedinNotification(payload: unknown): LinkedinLeadNotification | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ValidationError([{ path: '(body)', message: 'must be a JSON object' }]);
  }
  const body = payload as Record<string, unknown>;
  const action = body.leadAction;
  if (action !== 'CREATED' && action !== 'DELETED') return undefined;
  const urn = typeof body.leadGenFormResponse === 'string' ? body.leadGenFormResponse.trim() : '';
  const responseId = RESPONSE_URN.exec(urn)?.[1];
  if (!responseId) {
    throw new ValidationError([
      { path: 'leadGenFormResponse', message: 'must be a urn:li:leadGenFormResponse URN' },
    ]);
  }
  const notification: LinkedinLeadNotification = { action, responseId };
  const formId = leadFormId(body.leadGenForm);
  if (formId) notification.formId = formId;
  if (typeof body.leadType === 'string') notification.leadType = body.leadType.slice(0, 64);
  const owner = firstUrn(body.owner);
  if (owner) notification.owner = owner;
  const entity = firstUrn(body.associatedEntity);
  if (entity) notification.associatedEntity = entity;
  if (typeof body.occurredAt === 'number' && Number.isFinite(body.occurredAt))
    notification.occurredAt = body.occurredAt;
  return notification;
}

/** LinkedIn's predefined fields (`predefinedField`, lower-cased) that are Leadflow standard fields. */
const LINKEDIN_FIELDS: Record<string, string> = {
  ...COMMON_ANSWER_FIELDS,
  company_size: 'companySize',
};

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const localized = (value: unknown): string | undefined => {
  const texts = Object.values(obj(obj(value).localized)).filter((v) => typeof v === 'string');
  return texts[0] as string | undefined;
};

interface Question {
  name: string;
  options: Map<string, string>;
}

/** The form's questions by id: `content.questions[{questionId, predefinedField, name, question.localized, questionDetails}]`. */
function questionsOf(form: unknown): Map<string, Question> {
  const questions = new Map<string, Question>();
  for (const item of list(obj(obj(form).content).questions)) {
    const q = obj(item);
    const id =
      typeof q.questionId === 'number' || typeof q.questionId === 'string' ? String(q.questionId) : '';
    if (!id) continue;
    const name =
      (typeof q.predefinedField === 'string' && q.predefinedField.toLowerCase()) ||
      (typeof q.name === 'string' && q.name) ||
      localized(q.question) ||
      `question_${id}`;
    const options = new Map<string, string>();
    for (const option of list(obj(obj(q.questionDetails).multipleChoiceQuestionDetails).options)) {
      const o = obj(option);
      const text = localized(o.text);
      if ((typeof o.id === 'number' || typeof o.id === 'string') && text) options.set(String(o.id), text);
    }
    questions.set(id, { name, options });
  }
  return questions;
}

/**
 * A form response (GET /rest/leadFormResponses/{id}) as an ad lead. Its answers are
 * `formResponse.answers[{questionId, answerDetails: {textQuestionAnswer: {answer}} |
 * {multipleChoiceAnswer: {options: [optionId]}}}]`; they are named by the form's questions
 * (`form.content.questions[{questionId, predefinedField, name}]`, from the response when it carries
 * the form, else fetched): a predefined field (EMAIL, FIRST_NAME, ...) maps to a standard field, any
 * other question becomes a custom field named after it. Attribution: the form, the campaign
 * (`leadMetadata.sponsoredLeadMetadata.campaign`), the creative (`associatedEntity`) and the ad
 * account (`owner.sponsoredAccount`).
 */
export function linkedinAdLead(
  response: unknown,
  form: unknown,
  notification: LinkedinLeadNotification,
  deliveryId: string,
): AdLead {
  const body = obj(response);
  const answersIn = obj(body.formResponse).answers;
  if (!Array.isArray(answersIn))
    throw new ValidationError([{ path: 'formResponse.answers', message: 'must be a list' }]);
  const questions = questionsOf(form ?? body.form);
  const answers = answersIn.flatMap((item) => {
    const a = obj(item);
    const id =
      typeof a.questionId === 'number' || typeof a.questionId === 'string' ? String(a.questionId) : '';
    const question = questions.get(id);
    const details = obj(a.answerDetails);
    const text = obj(details.textQuestionAnswer).answer;
    const options = list(obj(details.multipleChoiceAnswer).options)
      .filter((o) => typeof o === 'number' || typeof o === 'string')
      .map((o) => question?.options.get(String(o)) ?? String(o));
    const value = typeof text === 'string' ? text : options.join(', ');
    return id && value ? [{ name: question?.name ?? `question_${id}`, value }] : [];
  });
  const attribution: Record<string, string> = {};
  const formId = leadFormId(body.versionedLeadGenFormUrn) ?? notification.formId;
  if (formId) attribution.form_id = formId;
  const campaign = urnId(firstUrn(obj(obj(body.leadMetadata).sponsoredLeadMetadata).campaign));
  if (campaign) attribution.campaign_id = campaign;
  const creative = urnId(firstUrn(body.associatedEntity) ?? notification.associatedEntity);
  if (creative) attribution.ad_id = creative;
  const account = urnId(obj(body.owner).sponsoredAccount as string | undefined);
  if (account) attribution.account_id = account;
  const submitted = typeof body.submittedAt === 'number' ? body.submittedAt : notification.occurredAt;
  const submittedAt =
    submitted !== undefined && Number.isFinite(submitted) && Math.abs(submitted) < 8.64e15
      ? new Date(submitted).toISOString()
      : new Date().toISOString();
  return {
    provider: 'linkedin',
    providerLeadId: notification.responseId,
    fields: mapAnswers(answers, LINKEDIN_FIELDS),
    attribution,
    submittedAt,
    test: body.testLead === true,
    deliveryId,
  };
}

/**
 * GDPR erasure of one LinkedIn form response (a DELETED notification): the lead's profile fields
 * whose source is `linkedin` are dropped (LinkedIn-sourced consent too), the lead is rescored on
 * what remains, and a `lead_source_erased` activity records that it happened, naming the erased
 * fields but holding none of their values. Profile fields keep their source but not the response
 * they came from, so every LinkedIn-sourced field goes. The email is the lead's identity and stays
 * (with what other sources gave); erasing the whole lead is the admin erase.
 */
export async function eraseLinkedinData(
  deps: RecordDeps,
  leadId: string,
  responseId: string,
): Promise<{ found: boolean; erased: string[] }> {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const prev = await deps.leads.load(leadId);
    if (!prev) return { found: false, erased: [] };
    const now = deps.clock.now();
    const erased = Object.keys(prev.profile).filter((name) => prev.profile[name]?.source === 'linkedin');
    const consentErased = prev.marketingConsent?.source === 'linkedin';
    let effect: Activity['effect'];
    if (erased.length > 0 || consentErased) {
      const { marketingConsent, ...rest } = prev;
      const draft: LeadState = {
        ...rest,
        ...(consentErased || !marketingConsent ? {} : { marketingConsent }),
        profile: Object.fromEntries(Object.entries(prev.profile).filter(([name]) => !erased.includes(name))),
        updatedAt: now.toISOString(),
        version: prev.version + 1,
      };
      const settled = settleLead(prev, draft, await deps.models.active(), now);
      if (!(await deps.leads.replace(settled.next, prev.version))) continue;
      effect = settled.effect;
    }
    const activity: Activity = {
      activityId: `act_linkedin_erased_${sha256Hex(responseId).slice(0, 24)}`,
      leadId,
      type: 'lead_source_erased',
      at: now.toISOString(),
      source: 'linkedin',
      properties: {
        provider: 'linkedin',
        providerLeadId: responseId,
        reason: 'deleted_on_linkedin',
        erasedFields: erased,
        ...(consentErased ? { consentErased: true } : {}),
      },
      ...(effect && Object.keys(effect).length > 0 ? { effect } : {}),
    };
    await deps.leads.putActivity(activity);
    return { found: true, erased };
  }
  throw new Error(`lead ${leadId} kept changing while erasing LinkedIn data`);
}
