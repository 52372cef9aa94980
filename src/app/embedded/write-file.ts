import { rename, unlink, writeFile } from 'node:fs/promises';

/**
 * Writes through a temporary file and a rename, so a reader sees the old content or the new, never half a
 * token or half a JSON document. The temporary file is created with `mode` from the start: the token is never
 * readable by others, not even for a moment.
 */
export async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await unlink(tmp).catch(() => {});
  await writeFile(tmp, content, { mode, flag: 'wx' });
  await rename(tmp, path);
}
