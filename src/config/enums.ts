/**
 * The fixed vocabularies of the profile (SETTINGS.md): auth methods, TLS modes, resolutions,
 * papers, compressions... Kept apart from schema.ts so that rules.ts can use them without a
 * circular import. Pure: no `node:` imports.
 */

export const AUTH_METHODS = ['GSSAPI', 'NTLM', 'DIGEST-MD5', 'CRAM-MD5', 'LOGIN', 'PLAIN'] as const;
export const LOAD_REDUCTION_MODES = ['off', 'split', 'stop-if-over', 'url-if-over', 'url-always'] as const;
export const SMTP_TLS_MODES = ['off', 'smtps', 'starttls'] as const;
export const POP_TLS_MODES = ['off', 'pop3s', 'stls'] as const;
/** Fax resolutions, lowest first: standard 200x100, fine 200x200, superfine 400x400, ultrafine 600x600. */
export const RESOLUTIONS = ['standard', 'fine', 'superfine', 'ultrafine'] as const;
export const PAPER_SIZES = ['A4', 'B4', 'A3', 'letter', 'legal'] as const;
export const FAX_COMPRESSIONS = ['MH', 'MR', 'MMR', 'JPEG'] as const;
export const BW_COMPRESSIONS = ['MH', 'MR', 'MMR'] as const;
export const COLOR_COMPRESSIONS = ['jpeg-color', 'jpeg-gray', 'none'] as const;
export const SEND_MODES = ['auto', 'simple', 'full'] as const;
export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
/** The placeholders `send.subject` may use. */
export const SUBJECT_PLACEHOLDERS = ['device', 'sender', 'pages', 'date', 'to'] as const;
