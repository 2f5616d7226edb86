/** The A/B part of the broadcast form: 2–4 subjects, the test share, the winner metric, the wait. */
export interface AbForm {
  subjects: string[];
  /** As typed (a controlled number input would rewrite "0." while it is typed). */
  testShare: string;
  metric: 'opened' | 'clicked';
  waitHours: string;
}
export const newAb = (): AbForm => ({
  subjects: ['', ''],
  testShare: '20',
  metric: 'opened',
  waitHours: '4',
});
export const abBody = (ab: AbForm) => ({
  variants: ab.subjects.map((subject, i) => ({ id: 'abcd'[i], subject })),
  testShare: Number(ab.testShare),
  metric: ab.metric,
  waitHours: Number(ab.waitHours),
});

export function AbFields({
  ab,
  onChange,
  errors,
}: {
  ab: AbForm;
  onChange: (next: AbForm) => void;
  errors: Record<string, string>;
}) {
  const set = (patch: Partial<AbForm>) => onChange({ ...ab, ...patch });
  return (
    <fieldset class="bc-ab">
      <legend>A/B subject test</legend>
      {ab.subjects.map((subject, i) => {
        const letter = 'ABCD'[i];
        const error = errors[`abTest.variants.${i}.subject`] ?? errors[`abTest.variants.${i}`];
        return (
          <div key={letter}>
            <label for={`bc-subject-${i}`}>Subject {letter}</label>
            <input
              id={`bc-subject-${i}`}
              value={subject}
              onInput={(e) =>
                set({ subjects: ab.subjects.map((s, j) => (j === i ? e.currentTarget.value : s)) })
              }
            />
            {error ? <p class="field-error">{error}</p> : null}
          </div>
        );
      })}
      <div class="bc-actions">
        {ab.subjects.length < 4 ? (
          <button type="button" class="button quiet" onClick={() => set({ subjects: [...ab.subjects, ''] })}>
            Add a subject
          </button>
        ) : null}
        {ab.subjects.length > 2 ? (
          <button
            type="button"
            class="button quiet"
            onClick={() => set({ subjects: ab.subjects.slice(0, -1) })}
          >
            Remove the last subject
          </button>
        ) : null}
      </div>
      <label for="bc-share">Test share (% of recipients, split evenly)</label>
      <input
        id="bc-share"
        type="number"
        min={2}
        max={50}
        value={ab.testShare}
        onInput={(e) => set({ testShare: e.currentTarget.value })}
      />
      {errors['abTest.testShare'] ? <p class="field-error">{errors['abTest.testShare']}</p> : null}
      <label for="bc-metric">Winner by</label>
      <select
        id="bc-metric"
        value={ab.metric}
        onChange={(e) => set({ metric: e.currentTarget.value as AbForm['metric'] })}
      >
        <option value="opened">Unique opens</option>
        <option value="clicked">Unique clicks</option>
      </select>
      <label for="bc-wait">Wait before choosing (hours)</label>
      <input
        id="bc-wait"
        type="number"
        min={0.001}
        step="any"
        value={ab.waitHours}
        onInput={(e) => set({ waitHours: e.currentTarget.value })}
      />
      {errors['abTest.waitHours'] ? <p class="field-error">{errors['abTest.waitHours']}</p> : null}
    </fieldset>
  );
}
