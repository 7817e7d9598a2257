import { describe, expect, it } from 'vitest';
import { quickProblems, quickTicketFields } from './quick-report';

describe('quick report', () => {
  it('takes the first line as the title and the rest as the description', () => {
    expect(
      quickTicketFields({ text: 'Nejde tiskárna\nve sborovně, hlásí E05', category: 'cat-printer', blocking: false })
    ).toEqual({
      title: 'Nejde tiskárna',
      description: 've sborovně, hlásí E05',
      priority: 'P3'
    });
  });

  it('shortens a long single line and keeps it whole in the description; blocking raises priority', () => {
    const long = 'a'.repeat(200);
    const f = quickTicketFields({ text: long, category: 'x', blocking: true });
    expect(f.title).toHaveLength(118);
    expect(f.description).toBe(long);
    expect(f.priority).toBe('P2');
  });

  it('asks for a category and a few words', () => {
    expect(quickProblems({ text: ' a ', category: '', blocking: false })).toEqual({ category: true, text: true });
    expect(quickProblems({ text: 'Síť', category: 'cat-network', blocking: false })).toEqual({});
  });
});
