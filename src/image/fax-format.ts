/**
 * Fax page geometry for the image layer: the named resolutions, the page widths each
 * horizontal resolution expects, and the resolution to assume for a bitmap that states none.
 * The tables are src/fax/vocabulary.ts (one vocabulary for config, image and tiff); this file
 * keeps the names the page conversion code imports.
 */

import { RESOLUTIONS, resolutionForWidth, type Resolution } from '../fax/vocabulary.js';

export { RESOLUTIONS, type Resolution, type ResolutionName } from '../fax/vocabulary.js';
/** Older names of the vocabulary's scanWidthsAt and snapDpi, for callers of this module. */
export { scanWidthsAt as faxWidthsFor, snapDpi as nominal } from '../fax/vocabulary.js';

/**
 * The resolution to tag on a bitmap that states none (PBM, PNG without pHYs): the one whose
 * page widths include this width (1728 -> fine 204 x 196, 2592 -> 300, 3456 -> 400,
 * 4960 -> 600), else fine: the resolution every fax device takes.
 */
export function guessResolution(width: number): Resolution {
  return resolutionForWidth(width) ?? RESOLUTIONS.fine;
}
