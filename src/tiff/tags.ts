/**
 * TIFF 6.0 §2 (field types) and Appendix A (tag numbers), plus the fax fields of RFC 3949
 * §2.2 and §4.3.3 (BadFaxLines, CleanFaxData, ConsecutiveBadFaxLines).
 * Tags are data: the reader and writer look names, numbers and types up here.
 */

/** TIFF 6.0 §2 field types, by their numeric code. */
export const FieldType = {
  BYTE: 1,
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  RATIONAL: 5,
  SBYTE: 6,
  UNDEFINED: 7,
  SSHORT: 8,
  SLONG: 9,
  SRATIONAL: 10,
  FLOAT: 11,
  DOUBLE: 12,
  /** TIFF Technical Note 1: an IFD offset, stored as a LONG. */
  IFD: 13,
} as const;

export type FieldTypeCode = (typeof FieldType)[keyof typeof FieldType];

/** Bytes per value of each field type; a type not listed here is skipped (TIFF 6.0 §2). */
export const FIELD_TYPE_SIZE: Readonly<Record<number, number>> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};

/** Field type names for messages ("SHORT", "RATIONAL"...). */
export const FIELD_TYPE_NAME: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(FieldType).map(([name, code]) => [code, name]),
);

/** How the reader interprets a tag's values ('bytes': an UNDEFINED block such as JPEGTables). */
export type TagKind = 'int' | 'rational' | 'ascii' | 'bytes';

export interface TagDef {
  tag: number;
  /** The type a writer uses; readers accept any type of the same kind (SHORT for LONG...). */
  type: FieldTypeCode;
  kind: TagKind;
}

/**
 * The tags ifax reads or writes. Every other tag is kept as a raw entry (number, type,
 * count, where its value is) and never read, so an unknown tag with a huge count costs nothing.
 */
export const TAGS = {
  NewSubfileType: { tag: 254, type: FieldType.LONG, kind: 'int' },
  SubfileType: { tag: 255, type: FieldType.SHORT, kind: 'int' },
  ImageWidth: { tag: 256, type: FieldType.LONG, kind: 'int' },
  ImageLength: { tag: 257, type: FieldType.LONG, kind: 'int' },
  BitsPerSample: { tag: 258, type: FieldType.SHORT, kind: 'int' },
  Compression: { tag: 259, type: FieldType.SHORT, kind: 'int' },
  PhotometricInterpretation: { tag: 262, type: FieldType.SHORT, kind: 'int' },
  FillOrder: { tag: 266, type: FieldType.SHORT, kind: 'int' },
  DocumentName: { tag: 269, type: FieldType.ASCII, kind: 'ascii' },
  ImageDescription: { tag: 270, type: FieldType.ASCII, kind: 'ascii' },
  StripOffsets: { tag: 273, type: FieldType.LONG, kind: 'int' },
  Orientation: { tag: 274, type: FieldType.SHORT, kind: 'int' },
  SamplesPerPixel: { tag: 277, type: FieldType.SHORT, kind: 'int' },
  RowsPerStrip: { tag: 278, type: FieldType.LONG, kind: 'int' },
  StripByteCounts: { tag: 279, type: FieldType.LONG, kind: 'int' },
  XResolution: { tag: 282, type: FieldType.RATIONAL, kind: 'rational' },
  YResolution: { tag: 283, type: FieldType.RATIONAL, kind: 'rational' },
  PlanarConfiguration: { tag: 284, type: FieldType.SHORT, kind: 'int' },
  T4Options: { tag: 292, type: FieldType.LONG, kind: 'int' },
  T6Options: { tag: 293, type: FieldType.LONG, kind: 'int' },
  ResolutionUnit: { tag: 296, type: FieldType.SHORT, kind: 'int' },
  PageNumber: { tag: 297, type: FieldType.SHORT, kind: 'int' },
  Software: { tag: 305, type: FieldType.ASCII, kind: 'ascii' },
  DateTime: { tag: 306, type: FieldType.ASCII, kind: 'ascii' },
  TileWidth: { tag: 322, type: FieldType.LONG, kind: 'int' },
  TileOffsets: { tag: 324, type: FieldType.LONG, kind: 'int' },
  BadFaxLines: { tag: 326, type: FieldType.LONG, kind: 'int' },
  CleanFaxData: { tag: 327, type: FieldType.SHORT, kind: 'int' },
  ConsecutiveBadFaxLines: { tag: 328, type: FieldType.LONG, kind: 'int' },
  /** TIFF Technical Note 2: JPEG quantisation and Huffman tables shared by the strips. */
  JPEGTables: { tag: 347, type: FieldType.UNDEFINED, kind: 'bytes' },
  /** RFC 3949 §6.2.3: sample -> L*a*b* ranges, (min, max) per component. */
  Decode: { tag: 433, type: FieldType.SRATIONAL, kind: 'rational' },
  /** RFC 3949 §6.2.2 ChromaSubSampling = TIFF 6.0 YCbCrSubSampling. */
  ChromaSubSampling: { tag: 530, type: FieldType.SHORT, kind: 'int' },
  /** RFC 3949 §6.2.2 ChromaPositioning = TIFF 6.0 YCbCrPositioning. */
  ChromaPositioning: { tag: 531, type: FieldType.SHORT, kind: 'int' },
} as const satisfies Record<string, TagDef>;

export type TagName = keyof typeof TAGS;

/** Tag name by number, for messages; unknown tags are named "tag 34821". */
const TAG_NAME_BY_NUMBER: ReadonlyMap<number, TagName> = new Map(
  (Object.keys(TAGS) as TagName[]).map((name) => [TAGS[name].tag, name]),
);

/** The name of a tag number ("StripOffsets (273)"), for messages and reports. */
export function tagLabel(tag: number): string {
  const name = TAG_NAME_BY_NUMBER.get(tag);
  return name === undefined ? `tag ${tag}` : `${name} (${tag})`;
}

/** TIFF 6.0 §3/§8/§10 and TIFF 6.0 §11 Compression values ifax knows by name. */
export const COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  1: 'none (1)',
  2: 'CCITT modified Huffman RLE (2)',
  3: 'CCITT T.4 (3)',
  4: 'CCITT T.6 (4)',
  5: 'LZW (5)',
  6: 'old-style JPEG (6)',
  7: 'JPEG (7)',
  8: 'Deflate (8)',
  9: 'JBIG T.85 (9)',
  10: 'JBIG T.43 (10)',
  32773: 'PackBits (32773)',
  32946: 'Deflate (32946)',
  34676: 'SGI LogLuv (34676)',
  34712: 'JPEG 2000 (34712)',
  50000: 'Zstandard (50000)',
  50001: 'WebP (50001)',
};

/** A compression value as words: 'LZW (5)', or 'unknown (12345)'. */
export function compressionLabel(value: number): string {
  return COMPRESSION_NAMES[value] ?? `unknown (${value})`;
}

/** TIFF 6.0 PhotometricInterpretation values that matter here. */
export const Photometric = { WhiteIsZero: 0, BlackIsZero: 1, RGB: 2, YCbCr: 6, CIELab: 8, ITULab: 10 } as const;

/** T4Options bits (TIFF 6.0 §11, RFC 3949 §4.2.2). */
export const T4_2D = 1;
export const T4_UNCOMPRESSED = 2;
export const T4_EOL_FILL = 4;
/** T6Options bit 1: uncompressed mode allowed (TIFF 6.0 §11). */
export const T6_UNCOMPRESSED = 2;
/** NewSubfileType bit 1: one page of a multi-page document (RFC 3949 §2.2.2). */
export const SUBFILE_PAGE = 2;
/** RowsPerStrip default: 2^32 - 1, all rows in one strip (TIFF 6.0 §8). */
export const ROWS_PER_STRIP_ALL = 0xffffffff;
