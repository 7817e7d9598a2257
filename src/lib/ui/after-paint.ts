/**
 * Resolves once the browser has painted the next frame (a task after its animation frame), so
 * what was rendered before is on the screen; without frames (Node tests), at the next task.
 */
export const afterPaint = (): Promise<void> =>
  new Promise<void>((resolve) =>
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => setTimeout(resolve, 0))
      : setTimeout(resolve, 0)
  );
