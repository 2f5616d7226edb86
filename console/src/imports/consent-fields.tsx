import type { ConsentBasis } from '../../../functions/core/imports/import-ports';

export interface ConsentForm {
  basis: ConsentBasis;
  text: string;
  proofSource: string;
  givenAt: string;
  /** A column of the file whose yes/no overrides the basis per row ('' for none). */
  column: string;
}

/** Nothing is assumed: no basis until the importer says which one holds. */
export const NEW_CONSENT: ConsentForm = {
  basis: 'none',
  text: '',
  proofSource: '',
  givenAt: '',
  column: '',
};

const BASES: { id: ConsentBasis; label: string; means: string }[] = [
  {
    id: 'consent_given',
    label: 'They gave consent to marketing email',
    means:
      'Each lead keeps the text they agreed to, where and when, as proof. They can enter sequences and broadcasts (which need consent) until they unsubscribe.',
  },
  {
    id: 'legitimate_interest',
    label: 'Legitimate interest (no consent asked)',
    means:
      'For example customers or business contacts who asked about your product. No consent is recorded: sequences that need consent and broadcasts leave them out; they are scored and sales can work them.',
  },
  {
    id: 'none',
    label: 'No basis for marketing email',
    means:
      'The leads are stored and scored, but no sequence that needs consent and no broadcast emails them. Consent they gave before (on a form) stays.',
  },
];

interface Props {
  value: ConsentForm;
  onChange: (value: ConsentForm) => void;
  header: string[];
  errors: Record<string, string>;
}

/** The import's consent basis, its proof, and an optional per-row consent column, each explained. */
export function ConsentFields({ value, onChange, header, errors }: Props) {
  const set = (patch: Partial<ConsentForm>) => onChange({ ...value, ...patch });
  const needsProof = value.basis === 'consent_given' || value.column !== '';
  return (
    <>
      <fieldset class="imp-consent">
        <legend>On what basis may Leadflow email these people?</legend>
        {BASES.map((basis) => (
          <div key={basis.id} class="imp-basis">
            <label class="check">
              <input
                type="radio"
                name="imp-basis"
                value={basis.id}
                checked={value.basis === basis.id}
                aria-describedby={`imp-basis-${basis.id}`}
                onChange={() => set({ basis: basis.id })}
              />{' '}
              {basis.label}
            </label>
            <p class="sub" id={`imp-basis-${basis.id}`}>
              {basis.means}
            </p>
          </div>
        ))}
        <label for="imp-consent-column">Each row's own consent (optional)</label>
        <select
          id="imp-consent-column"
          value={value.column}
          aria-describedby="imp-consent-column-help"
          onChange={(e) => set({ column: e.currentTarget.value })}
        >
          <option value="">No column: the basis above for every row</option>
          {header
            .filter((column) => column !== '')
            .map((column) => (
              <option key={column} value={column}>
                Column {column}
              </option>
            ))}
        </select>
        <p class="sub" id="imp-consent-column-help">
          A column with yes or no (true/false, 1/0) per row: yes means consent given, with the proof below; no
          means no consent; an empty cell takes the basis above.
        </p>
        {errors.consentColumn ? <p class="field-error">{errors.consentColumn}</p> : null}
      </fieldset>
      {needsProof ? (
        <fieldset class="imp-proof">
          <legend>Proof of consent (kept on each lead)</legend>
          <label for="imp-consent-text">The text they agreed to (required)</label>
          <textarea
            id="imp-consent-text"
            rows={3}
            value={value.text}
            aria-invalid={errors['consent.text'] ? 'true' : undefined}
            aria-describedby={errors['consent.text'] ? 'imp-consent-text-error' : undefined}
            onInput={(e) => set({ text: e.currentTarget.value })}
            placeholder="Yes, send me news and offers by email. I can unsubscribe at any time."
          />
          {errors['consent.text'] ? (
            <p class="field-error" id="imp-consent-text-error">
              {errors['consent.text']}
            </p>
          ) : null}
          <label for="imp-consent-source">Where they agreed</label>
          <input
            id="imp-consent-source"
            value={value.proofSource}
            onInput={(e) => set({ proofSource: e.currentTarget.value })}
            placeholder="HubSpot form Newsletter, trade show sign-up sheet…"
          />
          <label for="imp-consent-date">When they agreed</label>
          <input
            id="imp-consent-date"
            type="date"
            value={value.givenAt}
            aria-describedby="imp-consent-date-help"
            onInput={(e) => set({ givenAt: e.currentTarget.value })}
          />
          <p class="sub" id="imp-consent-date-help">
            Empty: the time of the import.
          </p>
          {errors['consent.givenAt'] ? <p class="field-error">{errors['consent.givenAt']}</p> : null}
        </fieldset>
      ) : null}
    </>
  );
}

/** The start body's consent part: proof only where it is kept. */
export function consentBody(form: ConsentForm) {
  const needsProof = form.basis === 'consent_given' || form.column !== '';
  return {
    consent: {
      basis: form.basis,
      ...(needsProof && form.text.trim() ? { text: form.text.trim() } : {}),
      ...(needsProof && form.proofSource.trim() ? { proofSource: form.proofSource.trim() } : {}),
      ...(needsProof && form.givenAt ? { givenAt: form.givenAt } : {}),
    },
    ...(form.column ? { consentColumn: form.column } : {}),
  };
}
