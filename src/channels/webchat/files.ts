// What a visitor may upload: the type is decided by the file's own bytes, never by the name or the
// browser's word for it, so a script renamed to .png is refused (415) and nothing served back can be
// run by a browser as something else.

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', DOCX, XLSX] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const isImage = (type: string) => type.startsWith('image/');

const startsWith = (data: Uint8Array, bytes: number[], offset = 0) => bytes.every((b, i) => data[offset + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A ZIP (Office Open XML) whose first entries name the Word or Excel part. */
function officeKind(data: Uint8Array): AttachmentType | null {
  if (!startsWith(data, [0x50, 0x4b, 0x03, 0x04])) return null;
  const head = Buffer.from(data.subarray(0, Math.min(data.length, 64 * 1024))).toString('latin1');
  if (head.includes('word/')) return DOCX;
  if (head.includes('xl/')) return XLSX;
  return null;
}

/** C0 controls and DEL; in text, tab, line feed, form feed and carriage return are fine. */
const isControl = (code: number, textOk = false) =>
  (code < 0x20 || code === 0x7f) && !(textOk && (code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d));

/** Plain text: valid UTF-8 with no control characters besides tab, line feed, carriage return and form feed. */
function isPlainText(data: Uint8Array): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i), true)) return false;
    return true;
  } catch {
    return false;
  }
}

/** The file's real type among those accepted, or null (→ 415). */
export function sniffType(data: Uint8Array): AttachmentType | null {
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
  const office = officeKind(data);
  if (office) return office;
  if (data.length > 0 && isPlainText(data)) return 'text/plain';
  return null;
}

/**
 * What an agent may send (POST /api/conversations/:id/attachments): the visitor's types plus the
 * audio and video the messaging channels carry. The channel's capabilities then say which kinds it takes.
 */
export const AGENT_ATTACHMENT_TYPES = [...ATTACHMENT_TYPES, 'audio/mpeg', 'audio/ogg', 'audio/mp4', 'video/mp4'] as const;
export type AgentAttachmentType = (typeof AGENT_ATTACHMENT_TYPES)[number];

/** An agent's file's real type (the visitor's types, MP3, Ogg, MP4 audio/video), or null (→ 415). */
export function sniffAgentType(data: Uint8Array): AgentAttachmentType | null {
  if (startsWith(data, ascii('OggS'))) return 'audio/ogg';
  if (startsWith(data, ascii('ID3')) || (data[0] === 0xff && data.length > 1 && (data[1] & 0xe0) === 0xe0 && data[1] !== 0xff)) return 'audio/mpeg';
  if (startsWith(data, ascii('ftyp'), 4)) {
    const brand = Buffer.from(data.subarray(8, 12)).toString('latin1');
    return brand === 'M4A ' || brand === 'M4B ' ? 'audio/mp4' : 'video/mp4';
  }
  return sniffType(data);
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'application/pdf': 'pdf', 'text/plain': 'txt', [DOCX]: 'docx', [XLSX]: 'xlsx',
  'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a', 'video/mp4': 'mp4',
};

/** A name safe to show and to put in Content-Disposition: no paths, no control characters, bounded. */
export function safeFileName(raw: string | undefined | null, type: AgentAttachmentType): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base.normalize('NFC')]
    .filter((ch) => !isControl(ch.charCodeAt(0)) && !'"<>|:*?'.includes(ch))
    .join('')
    .trim()
    .slice(0, 120);
  return clean || `arquivo.${EXTENSIONS[type]}`;
}
