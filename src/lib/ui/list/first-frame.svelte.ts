/**
 * How many rows a list renders in the frame where its rows first appear: a screenful, the rest
 * in the next frame. The inbox mounted about 100 items in the navigation's task, most of the
 * 70-100 ms a trace of its click showed before the first paint; ten per group brought the
 * click to its first items from 71 to 41-44 ms (bench 9, two alternating pairs). The approvals
 * and tasks lists (50 rows) gained nothing measurable (bench 10), so they render their page
 * at once.
 *
 *   const first = firstFrame(() => inboxState.loaded, 10);
 *   {#each items.slice(0, first.limit) as item}
 */
export function firstFrame(ready: () => boolean, rows: number): { readonly limit: number } {
  let past = $state(false);
  $effect(() => {
    if (past || !ready()) return;
    let current = true;
    // After the frame that shows the first rows is painted, not merely before it.
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (current) past = true;
      })
    );
    return () => {
      current = false;
    };
  });
  return {
    get limit() {
      return past ? Infinity : rows;
    }
  };
}
