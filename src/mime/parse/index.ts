/**
 * src/mime/parse: incoming mail read from its bytes (RFC 5322, MIME RFC 2045-2047 and 2231),
 * classified for `ifax receive` (fax, MDN, DSN, message/partial, other), and the RFC 8098
 * MDN a receiving station answers with. Pure: no `node:` imports.
 */

export { classifyMail, type ClassifiedMail, type MailSummary, type TiffPart } from './classify.js';
export { parseMime, leafParts, type MimePart } from './mime-tree.js';
export { parseHeaderBlock, firstField, allFields, type HeaderField, type ParsedHeaders } from './header-fields.js';
export { parseParamValue, type ParamValue } from './content-params.js';
export { decodeEncodedWords } from './encoded-words.js';
export { decodeBase64 } from '../base64.js';
export { decodeQuotedPrintable, decodeTransfer } from './transfer-decode.js';
export { decodeCharset } from './charset.js';
export { parseAddressList, parseReturnPath, reportAddress, type ParsedMailbox } from './address-list.js';
export { parseMdnFields, parseDsnFields, type MdnFields, type DsnFields, type DsnRecipient } from './report-fields.js';
export { buildMdn, type MdnInput, type MdnResult } from './build-mdn.js';
export {
  readAlternativeOffer,
  readNegotiationFields,
  qualityOf,
  qualityText,
  isBetterFor,
  preferredAlternative,
  isAlternativePreferred,
  type AlternativeOffer,
  type NegotiationFields,
  type DocumentQuality,
  type PreferredAlternative,
} from './content-negotiation.js';
