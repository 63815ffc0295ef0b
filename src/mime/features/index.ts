/**
 * Media features for Internet fax: RFC 2533 expressions (parse, format, match per §5), the
 * RFC 2879 fax schema, the formats ifax sends as feature sets, the choice of format per
 * destination, and the expressions ifax writes (RFC 2912 Content-features, RFC 2530
 * Media-Accept-Features). Pure: no `node:` imports.
 */

export * from './expression.js';
export { parseFeatureExpression, type ParseFeatureOptions, type ParsedFeatures } from './parse.js';
export * from './schema.js';
export { checkSatisfiable, isSatisfiable, featureSetsMatch, type SatisfyResult } from './satisfy.js';
export * from './formats.js';
export { chooseFormat, mentionsTag, type ChooseFormatOptions, type Downgrade, type Downgrades, type FormatChoice } from './match.js';
export * from './describe.js';
