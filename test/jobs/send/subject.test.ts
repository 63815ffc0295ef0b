import { renderSubject } from '../../../src/jobs/send/subject.js';

const date = new Date('2026-12-04T22:05:00Z');

describe('renderSubject', () => {
  test('fills every placeholder, the date in the given time zone', () => {
    const s = renderSubject('{device}: {sender} to {to}, {pages} pages, {date}', { device: 'fax-1', sender: 'Sales', pages: 3, date, timeZone: 'Europe/Berlin', to: ['a@example.com'] });
    expect(s).toBe('fax-1: Sales to a@example.com, 3 pages, 2026-12-04 23:05');
  });

  test('several destinations show the first and how many more', () => {
    expect(renderSubject('to {to}', { pages: 1, date, timeZone: 'UTC', to: ['a@x.example', 'b@x.example', 'c@x.example'] })).toBe('to a@x.example +2');
  });

  test('an empty placeholder leaves no doubled space or padded parenthesis', () => {
    expect(renderSubject('Fax from {device} ({pages} pages)', { pages: 2, date, to: [] })).toBe('Fax from (2 pages)');
    expect(renderSubject('Fax {sender} from {device}', { device: 'st', pages: 2, date, to: [] })).toBe('Fax from st');
  });

  test('an unknown placeholder is a usage error naming it and the known ones', () => {
    expect(() => renderSubject('Fax {devcie}', { pages: 1, date, to: [] })).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('"{devcie}"'), hint: expect.stringContaining('{device}') }));
  });

  test('is cut at 200 characters, never inside a character', () => {
    const s = renderSubject('{sender}', { sender: '€'.repeat(300), pages: 1, date, to: [] });
    expect([...s]).toHaveLength(200);
    expect(s).toBe('€'.repeat(200));
  });
});
