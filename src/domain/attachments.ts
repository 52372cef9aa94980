// What Pintu keeps of the files residents send (complaint photos, surat kuasa): the limits and the check of
// a file's real content. Pure rules: the flows refuse early with them, the attachments job checks again on
// the bytes.

/** The office keeps evidence, not archives: a phone photo or a scanned letter fits well under this. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** What is kept: photos and PDFs. Anything else (video, voice, office files) is refused with the reason. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** Reasons a file is refused for good (shown to staff as-is; stable prefixes, details after the colon). */
export const REFUSED = {
  tooLarge: 'too_large',
  typeNotAllowed: 'type_not_allowed',
  noSource: 'no_source',
} as const;

/** The declared type without parameters ("image/jpeg; charset=binary" → "image/jpeg"), lower case. */
export function baseType(mimeType: string | null | undefined): string {
  return (mimeType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isAllowedType(mimeType: string | null | undefined): mimeType is AttachmentType {
  return (ATTACHMENT_TYPES as readonly string[]).includes(baseType(mimeType));
}

/**
 * Why a file cannot be kept, judged on what the provider declared before anything is downloaded; null when
 * it may be fetched. An unknown size is not a refusal: the download itself stops at the limit.
 */
export function declaredProblem(mimeType: string | null | undefined, size: number | null | undefined): string | null {
  if (!isAllowedType(mimeType)) return `${REFUSED.typeNotAllowed}: ${baseType(mimeType).slice(0, 80) || 'unknown'}`;
  if (typeof size === 'number' && size > MAX_ATTACHMENT_BYTES) return `${REFUSED.tooLarge}: ${size} bytes`;
  return null;
}

/**
 * The type the bytes really are, by their first bytes; null when they are none of the allowed types. The
 * console serves the file with this type, never with what the sender claimed, so an HTML page dressed as
 * a JPEG cannot run in an officer's browser.
 */
export function sniffType(bytes: Uint8Array): AttachmentType | null {
  const at = (i: number, ...b: number[]) => b.every((x, k) => bytes[i + k] === x);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}

/** The file's checks after download: size and real type. */
export function contentProblem(bytes: Uint8Array): string | null {
  if (bytes.byteLength === 0) return `${REFUSED.typeNotAllowed}: empty file`;
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) return `${REFUSED.tooLarge}: ${bytes.byteLength} bytes`;
  if (!sniffType(bytes)) return `${REFUSED.typeNotAllowed}: content is not JPEG, PNG, WebP or PDF`;
  return null;
}
