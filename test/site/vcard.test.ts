import { describe, expect, it } from 'vitest';
import { foldLine, vCard } from '../../src/site/vcard.js';
import { parseVCard, unescapeText } from '../helpers/vcard.js';

describe('vCard (RFC 6350)', () => {
  it('writes a press contact that reads back field for field', () => {
    const text = vCard({
      name: 'Karin Holmqvist',
      role: 'kommunikationschef, press; media',
      organization: 'Stadslabbet Norrsken',
      email: 'karin.holmqvist@stadslabbet.example',
      phone: '+4690164520',
      topics: ['Energi', 'Cirkulär ekonomi, avfall'],
    });
    const card = parseVCard(text);
    const get = (name: string) => card.find((p) => p.name === name)!;
    expect(card[0]).toEqual({ name: 'BEGIN', params: '', value: 'VCARD' });
    expect(card.at(-1)).toEqual({ name: 'END', params: '', value: 'VCARD' });
    expect(get('VERSION').value).toBe('4.0');
    expect(unescapeText(get('FN').value)).toEqual(['Karin Holmqvist']);
    expect(unescapeText(get('N').value)).toEqual(['Holmqvist', 'Karin', '', '', '']);
    expect(unescapeText(get('TITLE').value)).toEqual(['kommunikationschef, press; media']);
    expect(unescapeText(get('ORG').value)).toEqual(['Stadslabbet Norrsken']);
    expect(get('EMAIL').value).toBe('karin.holmqvist@stadslabbet.example');
    expect(get('TEL')).toEqual({
      name: 'TEL',
      params: 'VALUE=uri;TYPE="work,voice"',
      value: 'tel:+4690164520',
    });
    expect(unescapeText(get('CATEGORIES').value, ',')).toEqual(['Energi', 'Cirkulär ekonomi, avfall']);
  });

  it('leaves out what a contact does not have', () => {
    const card = parseVCard(vCard({ name: 'Anna', email: 'anna@test.example' }));
    expect(card.map((p) => p.name)).toEqual(['BEGIN', 'VERSION', 'KIND', 'FN', 'N', 'EMAIL', 'END']);
    expect(unescapeText(card.find((p) => p.name === 'N')!.value)).toEqual(['', 'Anna', '', '', '']);
  });

  it('escapes line breaks, backslashes and separators in text', () => {
    const card = parseVCard(vCard({ name: 'A\\B', role: 'one\ntwo;three', email: 'a@b.example' }));
    expect(unescapeText(card.find((p) => p.name === 'FN')!.value)).toEqual(['A\\B']);
    expect(unescapeText(card.find((p) => p.name === 'TITLE')!.value)).toEqual(['one\ntwo;three']);
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const role =
      'Kommunikationsansvarig för översiktsplanering, ämnesområde stadsbyggnad och grönområden åäö€';
    const text = vCard({ name: 'Örjan Ödmark', role, email: 'o@test.example' });
    expect(text).toContain('\r\n ');
    // parseVCard checks each physical line's octets; unfolded, the value is whole again.
    expect(unescapeText(parseVCard(text).find((p) => p.name === 'TITLE')!.value)).toEqual([role]);
    // Multi-byte characters right at the limit go whole to the next line.
    const folded = foldLine(`X:${'a'.repeat(72)}ååå`);
    expect(folded.split('\r\n').map((l) => Buffer.byteLength(l))).toEqual([74, 7]);
    expect(folded.split('\r\n')[1]).toBe(' ååå');
  });
});
