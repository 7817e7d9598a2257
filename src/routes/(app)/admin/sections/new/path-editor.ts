/**
 * The drawing screen's path with its undo history, pure so the map, the buttons and the
 * coordinate field all change it the same way. Every change (a vertex added, moved, the whole
 * path replaced from typed coordinates, cleared) is one step back for "Undo".
 */
export type Vertex = [number, number];

export interface PathEditor {
  path: Vertex[];
  /** Earlier paths, newest last. */
  past: Vertex[][];
}

const LIMIT = 200;

export const emptyEditor = (): PathEditor => ({ path: [], past: [] });

function change(ed: PathEditor, path: Vertex[]): PathEditor {
  return { path, past: [...ed.past, ed.path].slice(-LIMIT) };
}

export const addVertex = (ed: PathEditor, v: Vertex): PathEditor => change(ed, [...ed.path, v]);

export function moveVertex(ed: PathEditor, index: number, v: Vertex): PathEditor {
  if (index < 0 || index >= ed.path.length) return ed;
  return change(
    ed,
    ed.path.map((p, i) => (i === index ? v : p))
  );
}

export function removeVertex(ed: PathEditor, index: number): PathEditor {
  if (index < 0 || index >= ed.path.length) return ed;
  return change(
    ed,
    ed.path.filter((_, i) => i !== index)
  );
}

export const replacePath = (ed: PathEditor, path: Vertex[]): PathEditor => change(ed, path);

export const clearPath = (ed: PathEditor): PathEditor => (ed.path.length ? change(ed, []) : ed);

export function undo(ed: PathEditor): PathEditor {
  if (!ed.past.length) return ed;
  return { path: ed.past[ed.past.length - 1], past: ed.past.slice(0, -1) };
}
