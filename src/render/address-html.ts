import { escapeHtml } from '../core/text.js';

/**
 * An email address as HTML that may wrap after "@" and before each dot (`<wbr>`), so a narrow column
 * breaks it between its parts rather than mid-word ("…exampl / e").
 */
export function breakableAddressHtml(address: string): string {
  return escapeHtml(address).replace(/@/g, '@<wbr>').replace(/\./g, '<wbr>.');
}
