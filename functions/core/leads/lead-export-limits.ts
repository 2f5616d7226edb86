// Apart from lead-export.ts so the console reads the bound without the export code (it uses Buffer).
/**
 * The synchronous export's bounds. Lambda answers at most 6 MB, and the body travels as a JSON
 * string in that answer (a CSV quote becomes two bytes): 4.5 MB of CSV leaves room for both. A
 * row is about 200 bytes, so the row bound is the usual one; long names and companies meet the
 * byte bound first.
 */
export const EXPORT_MAX_ROWS = 10_000;
export const EXPORT_MAX_BYTES = 4_500_000;
