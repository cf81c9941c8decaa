// Image naming moved to assets/ (issue #13: one module names images for the site and the email).
export { type ImageAsset, ImageRegistry } from '../assets/naming.js';
