/**
 * The TIFF layer of ifax: TIFF 6.0 reading (II/MM, multi-page, lenient), decoding of bilevel
 * pages (Compression 1, 2, 3, 4) through src/codec, RFC 3949 TIFF-FX profile S / F writing
 * (streaming) and profile checking. Pure: no `node:` imports; bytes in, objects out.
 *
 * Reading:   readTiff(bytes) -> TiffFile; decodePage(file, i) -> DecodedPage; pageStrips(file, i)
 * Pass-through: the one rule (passThrough) for copying coded data unchanged; tiffCodedPage(file, i),
 *            rawFaxPage(file, i) -> FaxTiffWriter input, coded data untouched
 * Writing:   writeFaxTiff(bitmaps, opts) or new FaxTiffWriter(opts).addPage(...)/finish();
 *            profile C colour pages: new FaxTiffWriter({ profile: 'C' }).addColorPage(...)
 * Colour:    colorPageFields(file, i) (Decode, ChromaSubSampling, JPEGTables...),
 *            readJpegMarkers / spliceJpegTables (TTN2 JPEG streams)
 * Checking:  checkProfile(file) -> { profile: 'S' | 'F' | 'C' | 'other', reasons, pages }
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
export {
  rawFaxPage,
  passThrough,
  passThroughRefusal,
  passThroughTiffPage,
  tiffCodedPage,
  type CodedPage,
  type CodedStrip,
  type PassThroughWants,
} from './passthrough.js';
export { decodePage, checkDecodable, checkPageLimits, faxOptionsForPage } from './decode.js';
export {
  FaxTiffWriter,
  faxPageFields,
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
export { type ColorPageInput } from './write-color.js';
export { colorPageFields, type ColorPageFields } from './color-fields.js';
export { readJpegMarkers, spliceJpegTables, sofLabel, type JpegStreamInfo, type JpegFrameComponent } from './jpeg-markers.js';
export { profileCReasons, C_SIZE_TABLE, C_DPI, type ColorRuleFields } from './profile-c.js';
export { TAGS, FieldType, Photometric, tagLabel, compressionLabel, type TagName } from './tags.js';
