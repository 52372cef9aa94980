import type { TFunction } from 'i18next';
import type { AdminPage } from '../pages.ts';

// The admin index's list: a link to each page the role may use, with one line on what it is for.

export function AdminIndex({ t, pages }: { t: TFunction; pages: AdminPage[] }) {
  return (
    <ul data-testid="admin-pages">
      {pages.map((p) => (
        <li>
          <a href={p.path}>{t(`admin:index.pages.${p.key}.title`)}</a> — {t(`admin:index.pages.${p.key}.text`)}
        </li>
      ))}
    </ul>
  );
}
