import { lockAddress } from './address.ts';
import { describeHolder } from './holder.ts';
import { identifyHolder } from './identify.ts';
import { takeOwnership, type Ownership } from './owner.ts';
import { SERVICE_ROLE } from './protocol.ts';
import { tokenFile } from './token.ts';

// The service's side: it takes DATA_DIR before it opens PGlite. A second `npm start` on the same directory
// would otherwise open its own copy of the database, and each would overwrite the other's writes.

/** The refusal, as the one line `pintu: start-up failed: ...` of main.ts. */
export class DataDirInUseError extends Error {}

export async function claimDataDir(dataDir: string): Promise<Ownership> {
  const owner = await takeOwnership(dataDir, SERVICE_ROLE);
  if (owner) return owner;
  const holder = await identifyHolder(dataDir, (await lockAddress(dataDir)).path, tokenFile(dataDir));
  const hung = holder.answers ? '' : `, ${holder.why}`;
  throw new DataDirInUseError(`DATA_DIR ${dataDir} is already in use by ${describeHolder(holder.info)}${hung}; stop it first or set another DATA_DIR`);
}
