import { variantStep } from './broadcast-ab';
import type { NurtureConfig, Sequence, Step } from './config-schema';
import type { Enrollment } from './enrollment';

/** What the sender needs of a sequence; a broadcast or a confirmation is a one-step sequence of its own. */
export interface NurtureSequence {
  id: string;
  enabled: boolean;
  requireConsent: boolean;
  exit?: Sequence['exit'];
  steps: Step[];
  /** A transactional email (a double opt-in confirmation): the gate checks suppression only. */
  transactional?: boolean;
  /** The config's saved segments, for steps with `when: {segment}`. */
  segments?: NurtureConfig['segments'];
}

export const BROADCAST_PREFIX = 'broadcast:';
const BROADCAST_EXIT: Sequence['exit'] = { onHandoff: true, stages: [], activities: [] };

/** The sequence an enrollment runs: from the active config, or the broadcast it carries. */
export function sequenceFor(config: NurtureConfig, enrollment: Enrollment): NurtureSequence | undefined {
  if (enrollment.transactional) {
    return {
      id: enrollment.sequenceId,
      enabled: true,
      requireConsent: false,
      transactional: true,
      steps: [
        {
          id: enrollment.transactional.kind,
          template: enrollment.transactional.template,
          wait: { days: 0, hours: 0, minutes: 0 },
          ignoreSendWindow: true,
        },
      ],
    };
  }
  if (enrollment.broadcast) {
    return {
      id: enrollment.sequenceId,
      enabled: true,
      requireConsent: true,
      exit: BROADCAST_EXIT,
      steps: [
        {
          // An A/B variant's sends are counted under their own step (the report's rows per variant).
          id: enrollment.broadcast.variant ? variantStep(enrollment.broadcast.variant) : 'broadcast',
          template: enrollment.broadcast.template,
          wait: { days: 0, hours: 0, minutes: 0 },
          ignoreSendWindow: enrollment.broadcast.ignoreSendWindow ?? false,
        },
      ],
    };
  }
  const sequence = config.sequences.find((s) => s.id === enrollment.sequenceId);
  return sequence
    ? {
        id: sequence.id,
        enabled: sequence.enabled,
        requireConsent: sequence.entry.requireConsent,
        exit: sequence.exit,
        steps: sequence.steps,
        segments: config.segments,
      }
    : undefined;
}
