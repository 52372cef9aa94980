import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The layout rules of DESIGN.md hold themselves: dependency-cruiser reads every import (type imports too)
// of src/ and flows/ against .dependency-cruiser.cjs. A second run on a scratch copy with a circle and a
// backward arrow added on purpose shows that the check can fail.

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

async function violations(cwd: string): Promise<Violation[]> {
  // Exit code 1 means "violations found"; the JSON report is on stdout either way.
  const { stdout } = await run(process.execPath, [depcruise, 'src', 'flows', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const describeEach = (v: Violation[]) => v.map((x) => `${x.rule.name}: ${x.from} → ${x.to}${x.cycle ? ` (${x.cycle.map((c) => c.name).join(' → ')})` : ''}`);

describe('the dependency direction of DESIGN.md', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pintu-depcheck-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has no import circle and no arrow against the direction', async () => {
    expect(describeEach(await violations(root))).toEqual([]);
  }, 120_000);

  it('fails on a circle and on a backward arrow added to a scratch copy', async () => {
    for (const part of ['src', 'flows', 'tsconfig.json', 'package.json', '.dependency-cruiser.cjs']) cpSync(join(root, part), join(scratch, part), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    // A circle of types inside one layer, where no layer rule objects: only the circle rule can catch it.
    appendFileSync(join(scratch, 'src/domain/money.ts'), "\nimport type { DeliverySummary as _M } from './workdays.ts';\n");
    appendFileSync(join(scratch, 'src/domain/workdays.ts'), "\nimport type { formatRupiah as _W } from './money.ts';\n");
    // A service reaching up into a channel.
    appendFileSync(join(scratch, 'src/services/offices.ts'), "\nimport type { ChannelAdapter as _C } from '../channels/adapter.ts';\n");

    const found = await violations(scratch);
    const rules = found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(rules).toContain('no-circular: src/domain/money.ts → src/domain/workdays.ts');
    expect(rules).toContain('services-below-conversation: src/services/offices.ts → src/channels/adapter.ts');
  }, 120_000);
});
