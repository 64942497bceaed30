/**
 * c2h5oh/datasize's ByteSize.String (datasize.go), which Loki's flagext.ByteSize prints with in
 * limit errors and its config: the largest 1024-based unit that divides the value exactly (`KB`,
 * `MB`, `GB`, `TB`, `PB`, `EB`, no space), else the bytes with `B`; 0 is `0B`. Not go-humanize's
 * SI sizes of LogQL: those are humanize-bytes.ts. Pure.
 */

const UNITS = [['EB', 1024 ** 6], ['PB', 1024 ** 5], ['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const;

/** datasize.ByteSize(n).String() for a byte count `n` ≥ 0: `1536KB`, `4GB`, `1000B`. */
export function datasizeString(n: number): string {
  if (n === 0) return '0B';
  for (const [unit, size] of UNITS) if (n % size === 0) return `${n / size}${unit}`;
  return `${n}B`;
}
