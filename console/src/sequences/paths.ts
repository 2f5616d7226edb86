/** /console/sequences, /console/sequences/new, /console/sequences/{id} and /console/sequences/{id}/edit, or undefined. */
export function sequenceOfPath(
  path: string,
): { sequenceId?: string; edit?: boolean; create?: boolean } | undefined {
  if (path === '/console/sequences') return {};
  if (path === '/console/sequences/new') return { create: true };
  const one = /^\/console\/sequences\/([^/]+)(\/edit)?$/.exec(path);
  return one?.[1] ? { sequenceId: decodeURIComponent(one[1]), edit: one[2] !== undefined } : undefined;
}
