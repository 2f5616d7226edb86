/** /console/sequences, /console/sequences/{id} and /console/sequences/{id}/edit, or undefined. */
export function sequenceOfPath(path: string): { sequenceId?: string; edit?: boolean } | undefined {
  if (path === '/console/sequences') return {};
  const one = /^\/console\/sequences\/([^/]+)(\/edit)?$/.exec(path);
  return one?.[1] ? { sequenceId: decodeURIComponent(one[1]), edit: one[2] !== undefined } : undefined;
}
