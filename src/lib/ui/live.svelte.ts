/** The latest value of an observable (an RxDB query) as runes state, unsubscribed with the component. */
import type { Observable } from 'rxjs';

export function live<T>(
  source: () => Observable<T> | null | undefined,
  initial: T
): { readonly current: T; readonly loaded: boolean } {
  let value = $state.raw(initial);
  let loaded = $state(false);
  $effect(() => {
    const obs = source();
    if (!obs) return;
    const sub = obs.subscribe((v) => {
      value = v;
      loaded = true;
    });
    return () => sub.unsubscribe();
  });
  return {
    get current() {
      return value;
    },
    get loaded() {
      return loaded;
    }
  };
}
