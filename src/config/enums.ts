/**
 * The fixed vocabularies of the profile (SETTINGS.md): auth methods, TLS modes, resolutions,
 * papers, compressions... Kept apart from schema.ts so that rules.ts can use them without a
 * circular import. The fax terms (resolutions, papers, codings) are src/fax/vocabulary.ts,
 * shared with the page and TIFF code. Pure: no `node:` imports.
 */

import { FAX_CODINGS, PAPER_NAMES, RESOLUTION_NAMES } from '../fax/vocabulary.js';

export const AUTH_METHODS = ['GSSAPI', 'NTLM', 'DIGEST-MD5', 'CRAM-MD5', 'LOGIN', 'PLAIN'] as const;
export const LOAD_REDUCTION_MODES = ['off', 'split', 'stop-if-over', 'url-if-over', 'url-always'] as const;
export const SMTP_TLS_MODES = ['off', 'smtps', 'starttls'] as const;
export const POP_TLS_MODES = ['off', 'pop3s', 'stls'] as const;
/**
 * Fax resolutions, lowest first. In TIFF dpi: standard 204x98, fine 204x196 (T.4's 8 pels/mm
 * x 3.85 or 7.7 lines/mm; SETTINGS.md glosses them by their inch-based equivalents 200x100
 * and 200x200), superfine 400x400, ultrafine 600x600.
 */
export const RESOLUTIONS = RESOLUTION_NAMES;
/** Paper sizes: A4, B4 (JIS), A3, letter, legal. */
export const PAPER_SIZES = PAPER_NAMES;
/** What a destination may take: the black-and-white codings and JPEG (colour, TIFF-FX profile C). */
export const FAX_COMPRESSIONS = [...FAX_CODINGS, 'JPEG'] as const;
/** Black-and-white TIFF codings: MH (T.4 1-D), MR (T.4 2-D), MMR (T.6). */
export const BW_COMPRESSIONS = FAX_CODINGS;
export const COLOR_COMPRESSIONS = ['jpeg-color', 'jpeg-gray', 'none'] as const;
export const SEND_MODES = ['auto', 'simple', 'full'] as const;
export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
/** The placeholders `send.subject` may use. */
export const SUBJECT_PLACEHOLDERS = ['device', 'sender', 'pages', 'date', 'to'] as const;
