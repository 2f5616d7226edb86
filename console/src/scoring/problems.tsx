import { whereInWords } from './paths';
import type { Problem, ScoringModel } from './types';

/** The check's errors (what blocks saving) and warnings (what the model can never do), each with where it is. */
export function ProblemList(props: { errors: Problem[]; warnings: Problem[]; model: ScoringModel }) {
  const { errors, warnings, model } = props;
  if (errors.length === 0 && warnings.length === 0) return null;
  return (
    <div class="sc-problems">
      {errors.length > 0 ? (
        <div role="alert">
          <p>
            <strong>
              {errors.length === 1 ? 'One thing needs fixing' : `${errors.length} things need fixing`} before
              the draft can be saved:
            </strong>
          </p>
          <ul>
            {errors.map((p) => (
              <li key={`${p.path}:${p.message}`}>
                {whereInWords(p.path, model)}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {warnings.length > 0 ? (
        <div class="notice warn">
          <p>
            <strong>Warnings</strong> (the draft can be saved):
          </p>
          <ul>
            {warnings.map((p) => (
              <li key={`${p.path}:${p.message}`}>
                {whereInWords(p.path, model)}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
