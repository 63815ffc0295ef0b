/**
 * The TIFF layer of ifax: TIFF 6.0 reading (II/MM, multi-page, lenient), decoding of bilevel
 * pages (Compression 1, 2, 3, 4) through src/codec, RFC 3949 TIFF-FX profile S / F writing
 * (streaming) and profile checking. Pure: no `node:` imports; bytes in, objects out.
 *
 * Reading:   readTiff(bytes) -> TiffFile; decodePage(file, i) -> DecodedPage; pageStrips(file, i)
 * Pass-through: rawFaxPage(file, i) -> FaxTiffWriter input, coded data untouched
 * Writing:   writeFaxTiff(bitmaps, opts) or new FaxTiffWriter(opts).addPage(...)/finish()
 * Checking:  checkProfile(file) -> { profile: 'S' | 'F' | 'other', reasons, pages }
 */

export type {
  DecodedPage,
  RawStrip,
  TiffEntry,
  TiffFile,
  TiffIfdLocation,
  TiffPage,
} from './types.js';
export { readTiff, getPage, ifdEntries, pageStrips } from './reader.js';
export { rawFaxPage } from './passthrough.js';
export { decodePage, checkDecodable, checkPageLimits, faxOptionsForPage } from './decode.js';
export {
  FaxTiffWriter,
  type FaxTiffPageInput,
  type FaxTiffWriterOptions,
  type TiffPatch,
} from './writer.js';
export {
  writeFaxTiff,
  encodeFaxTiffPage,
  faxEncodeOptions,
  applyPatches,
  type WriteFaxTiffOptions,
} from './write-fax.js';
export { checkProfile, type FaxProfile, type PageProfileReport, type ProfileReport } from './profile.js';
export {
  profileSReasons,
  profileFReasons,
  toDpi,
  nominalDpi,
  F_SIZE_TABLE,
  type FaxPageFields,
} from './profile-rules.js';
export { reverseBits, reversedBitsCopy } from './bits.js';
export { TAGS, FieldType, tagLabel, compressionLabel, type TagName } from './tags.js';
