// NIK and KK numbers end in a 4-digit serial that tells apart people (or cards) sharing the same area and
// date. Handing serials out per prefix keeps every synthetic number unique without a lookup table of all
// of them, and reserved numbers (the demo residents) are skipped so nothing collides with them.

export class SerialAllocator {
  private readonly last = new Map<string, number>();
  private readonly reserved = new Set<string>();

  reserve(number: string): void {
    this.reserved.add(number);
  }

  /** The next free 16-digit number starting with the 12-digit `prefix`. */
  next(prefix: string): string {
    let serial = this.last.get(prefix) ?? 0;
    let number: string;
    do {
      serial++;
      if (serial > 9999) throw new RangeError(`no serial left for prefix ${prefix}`);
      number = prefix + String(serial).padStart(4, '0');
    } while (this.reserved.has(number));
    this.last.set(prefix, serial);
    return number;
  }
}
