// What a resident's own chat may do with their complaints after filing: write more to an open one, and
// rate a closed one. Flows get only these, never the staff-side lifecycle.
export { pendingCsat, recordCsat, residentReplied } from './complaint-lifecycle.ts';
