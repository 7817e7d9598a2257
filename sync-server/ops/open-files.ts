/**
 * Open files of a process and its descendants, from /proc (Linux). For measurements and
 * tests of the embedded store's file budget; elsewhere it answers null.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces; the parent pid follows its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return kids;
}

/** Per process of the tree rooted at `pid`: its command line and how many descriptors it holds. */
export function openFilesOfTree(pid: number): { pid: number; cmd: string; files: number }[] | null {
  try {
    readdirSync('/proc/self/fd');
  } catch {
    return null;
  }
  const out: { pid: number; cmd: string; files: number }[] = [];
  const walk = (p: number) => {
    try {
      const files = readdirSync(`/proc/${p}/fd`).length;
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: p, cmd, files });
    } catch {
      return;
    }
    for (const k of childrenOf(p)) walk(k);
  };
  walk(pid);
  return out;
}
