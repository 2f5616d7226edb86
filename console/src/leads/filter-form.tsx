import { stageLabel } from '../format';
import { FILTER_KEYS, type Filters } from './filters';
import { GRADES, STAGES } from './types';

const SOURCES = ['form:demo-request', 'form:newsletter', 'meta', 'google', 'linkedin', 'tiktok', 'api'];

/** The search box and the filter panel; applying writes them into the URL (the list reads it back). */
export function FilterForm({ filters, onApply }: { filters: Filters; onApply: (next: Filters) => void }) {
  const stages = new Set(filters.stage?.split(','));
  const grades = new Set(filters.grade?.split(','));
  const narrowed = FILTER_KEYS.filter((k) => k !== 'q' && k !== 'sort' && filters[k]).length;

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next: Filters = {};
    for (const key of FILTER_KEYS) {
      const values = form
        .getAll(key)
        .map((v) => String(v).trim())
        .filter(Boolean);
      if (values.length > 0) next[key] = values.join(',');
    }
    onApply(next);
  };

  return (
    <form class="filters" aria-label="Search and filter leads" onSubmit={submit}>
      <div class="search-row">
        <label class="visually-hidden" for="lead-q">
          Search by email, name or company
        </label>
        <input
          id="lead-q"
          name="q"
          type="search"
          placeholder="Search email, name or company"
          defaultValue={filters.q ?? ''}
          minLength={2}
        />
        <label class="visually-hidden" for="lead-sort">
          Sort
        </label>
        <select id="lead-sort" name="sort" defaultValue={filters.sort ?? 'newest'}>
          <option value="newest">Newest first</option>
          <option value="score">Highest score</option>
          <option value="activity">Latest activity</option>
        </select>
        <button type="submit" class="button primary">
          Search
        </button>
      </div>
      <details open={narrowed > 0}>
        <summary>Filters{narrowed > 0 ? ` (${narrowed})` : ''}</summary>
        <div class="filter-grid">
          <fieldset>
            <legend>Stage</legend>
            {STAGES.map((stage) => (
              <label key={stage} class="check">
                <input type="checkbox" name="stage" value={stage} defaultChecked={stages.has(stage)} />{' '}
                {stageLabel(stage)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Grade</legend>
            {GRADES.map((grade) => (
              <label key={grade} class="check">
                <input type="checkbox" name="grade" value={grade} defaultChecked={grades.has(grade)} />{' '}
                {grade}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Score</legend>
            <label>
              From{' '}
              <input
                name="scoreMin"
                type="number"
                inputMode="numeric"
                defaultValue={filters.scoreMin ?? ''}
              />
            </label>
            <label>
              To{' '}
              <input
                name="scoreMax"
                type="number"
                inputMode="numeric"
                defaultValue={filters.scoreMax ?? ''}
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>Where from</legend>
            <label>
              Source
              <input name="source" list="lead-sources" defaultValue={filters.source ?? ''} />
            </label>
            <datalist id="lead-sources">
              {SOURCES.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
            <label>
              UTM campaign <input name="utmCampaign" defaultValue={filters.utmCampaign ?? ''} />
            </label>
            <label>
              Form <input name="formId" defaultValue={filters.formId ?? ''} />
            </label>
          </fieldset>
          <fieldset>
            <legend>Created</legend>
            <label>
              From <input name="createdFrom" type="date" defaultValue={filters.createdFrom ?? ''} />
            </label>
            <label>
              To <input name="createdTo" type="date" defaultValue={filters.createdTo ?? ''} />
            </label>
          </fieldset>
          <fieldset>
            <legend>Last activity</legend>
            <label>
              From <input name="activityFrom" type="date" defaultValue={filters.activityFrom ?? ''} />
            </label>
            <label>
              To <input name="activityTo" type="date" defaultValue={filters.activityTo ?? ''} />
            </label>
          </fieldset>
          <fieldset>
            <legend>Status</legend>
            <label>
              Owned by sales
              <select name="owned" defaultValue={filters.owned ?? ''}>
                <option value="">Any</option>
                <option value="true">Yes</option>
                <option value="false">No</option>
              </select>
            </label>
            <label>
              Suppressed
              <select name="suppressed" defaultValue={filters.suppressed ?? ''}>
                <option value="">Any</option>
                <option value="true">Yes</option>
                <option value="false">No</option>
              </select>
            </label>
            <label class="check">
              <input type="checkbox" name="test" value="true" defaultChecked={filters.test === 'true'} /> Show
              test leads
            </label>
          </fieldset>
        </div>
        <div class="filter-actions">
          <button type="submit" class="button primary">
            Apply filters
          </button>
          <a class="button quiet" href="/console/leads">
            Clear filters
          </a>
        </div>
      </details>
    </form>
  );
}
