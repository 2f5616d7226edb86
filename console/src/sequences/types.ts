/**
 * The sequence document as the API validates it (functions/core/nurture/config-schema.ts): the
 * console edits the same shape, so its types come from there (types only: nothing of the API is bundled).
 */
import type {
  Sequence,
  Step,
  StepCondition,
  Trigger,
  Wait,
} from '../../../functions/core/nurture/config-schema';

export type { Sequence, Step, StepCondition, Trigger, Wait };

/** A/B variants of a step (another editor's part): shown read-only here and kept as they are when saving. */
export interface StepVariantView {
  name: string;
  share: number;
  subject?: string;
  template?: string;
}
export const variantsOf = (step: Step): StepVariantView[] =>
  (step as { variants?: StepVariantView[] }).variants ?? [];

export interface NurtureDoc {
  sequences: Sequence[];
  templates: { id: string; name?: string; subject: string }[];
  segments?: { id: string; name: string }[];
  [key: string]: unknown;
}

export interface NurtureState {
  active: { version: number; document: NurtureDoc } | null;
  versions: { version: number; createdAt: string; active?: boolean }[];
}

export interface Problem {
  path: string;
  message: string;
}
export type Validation = { valid: true; warnings: Problem[] } | { valid: false; errors: Problem[] };

export interface StepPreview {
  stepId: string;
  template: string;
  subject?: string;
  html?: string;
  when: string;
  condition?: { holds: boolean };
  error?: string;
  moved?: ('frequency_cap' | 'send_window')[];
}
export interface SequencePreview {
  version: number;
  sequenceId: string;
  subject: 'lead' | 'profile' | 'sample';
  steps: StepPreview[];
  wouldNotSend?: { reason: string; message: string };
}

type Change = { added: string[]; removed: string[]; changed: string[] };
/** GET /v1/admin/nurture/versions/{version}/diff/{other}. */
export interface ConfigDiff {
  from: number;
  to: number;
  settings: Change;
  layout: { changed: boolean };
  templates: Change;
  sequences: Change;
  segments: Change;
}

/** A row of the sequences report (GET /v1/admin/reports/sequences). */
export type SequenceNumbers = Record<string, string | number | null>;
