/**
 * Project evaluation (issue 7): a residential project's boundary, households and planned care
 * facilities checked against a rule profile on its region, with a cited verdict, and the report
 * writers (printable HTML, XLSX, JSON). Pure: the CLI, the server and the Web Worker share it.
 */
export * from './boundary.ts';
export * from './errors.ts';
export * from './evaluate.ts';
export * from './types.ts';
export * from './report-html.ts';
export * from './report-xlsx.ts';
