import { describe, expect, it } from 'vitest';
import { addVertex, clearPath, emptyEditor, moveVertex, removeVertex, replacePath, undo } from './path-editor';

describe('path editor', () => {
  it('adds, moves and removes vertices, and undoes each step in turn', () => {
    let ed = emptyEditor();
    ed = addVertex(ed, [49.39, 13.29]);
    ed = addVertex(ed, [49.32, 13.21]);
    ed = moveVertex(ed, 1, [49.33, 13.22]);
    ed = addVertex(ed, [49.3, 13.2]);
    ed = removeVertex(ed, 0);
    expect(ed.path).toEqual([
      [49.33, 13.22],
      [49.3, 13.2]
    ]);
    ed = undo(ed);
    expect(ed.path).toHaveLength(3);
    ed = undo(undo(ed));
    expect(ed.path).toEqual([
      [49.39, 13.29],
      [49.32, 13.21]
    ]);
    ed = undo(undo(ed));
    expect(ed).toEqual(emptyEditor());
    expect(undo(ed)).toBe(ed);
  });

  it('replaces the path from typed coordinates and clears it, each one step back', () => {
    let ed = addVertex(emptyEditor(), [49.39, 13.29]);
    ed = replacePath(ed, [
      [49.4, 13.3],
      [49.5, 13.4]
    ]);
    ed = clearPath(ed);
    expect(ed.path).toEqual([]);
    expect(clearPath(ed)).toBe(ed);
    expect(undo(ed).path).toHaveLength(2);
    expect(undo(undo(ed)).path).toEqual([[49.39, 13.29]]);
  });

  it('ignores a vertex that does not exist', () => {
    const ed = addVertex(emptyEditor(), [49.39, 13.29]);
    expect(moveVertex(ed, 3, [0, 0])).toBe(ed);
    expect(removeVertex(ed, -1)).toBe(ed);
  });
});
