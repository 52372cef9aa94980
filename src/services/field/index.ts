// Field work (issue 19): tasks that come to TKSK, PSM and pendamping in their kelurahan, the visits they record
// on a phone, and the supervisor's decisions. The console (http/console/field) and the jobs use these only.

export { syncFieldTasks, VISIT_FINDING_KINDS, DUE_WORKING_DAYS } from './sync.ts';
export { listMyTasks, getFieldTask, listFieldTasks, MAX_LIST, type FieldTaskView, type FieldTaskFilter } from './tasks.ts';
export { workerSummary, fieldWorkersFor, type WorkerLoad } from './workers.ts';
export { assignFieldTask, type AssignRefusal } from './assign.ts';
export { checklistFor, checklistLabels, itemLabel, type ChecklistItem } from './checklist.ts';
export { recordVisit, getVisitPhoto, MAX_PHOTOS, MAX_PHOTO_BYTES, MAX_VISIT_NOTE, type VisitInput, type VisitRefusal, type VisitResult } from './visits.ts';
export { listPendingVisits, reviewVisit, MAX_PENDING, type PendingVisitView, type ReviewRefusal } from './review.ts';
export type { FieldOptions } from './options.ts';
