import type { TFunction } from 'i18next';
import type { ExportLabels } from '../services/complaints/export.ts';

/** The complaint spreadsheet's words in the reader's language, for the console and the API alike. */
export function complaintExportLabels(t: TFunction): ExportLabels {
  return {
    header: (t('console:export.header') as string).split(','),
    category: (c) => t(`console:category.${c}`),
    status: (s) => t(`console:status.${s}`),
    yes: t('console:export.yes'),
    no: t('console:export.no'),
  };
}
