import { createHash } from 'node:crypto';

/**
 * A DICOM UID derived from a name: "2.25." followed by the decimal value of the first 128 bits of
 * the name's SHA-256, the UUID-derived root of PS3.5 B.2 (ISO/IEC 9834-8). The same name always
 * gives the same UID, so a cohort generated twice from one seed is byte-identical, and different
 * names collide with negligible probability. At most 44 characters, leaving room for a suffix.
 */
export function dicomUid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}
