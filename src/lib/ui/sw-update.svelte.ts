/**
 * Service worker registration and the "new version" prompt. A new worker waits until the
 * person chooses to reload, so a form being filled in is never swapped out from under them;
 * choosing reload tells the waiting worker to take over, then the page reloads once.
 */
import { dev } from '$app/environment';

class ServiceWorkerUpdate {
  available = $state(false);
  #waiting: ServiceWorker | null = null;

  async register(): Promise<void> {
    if (!('serviceWorker' in navigator)) return;
    const reg = await navigator.serviceWorker.register('/service-worker.js', { type: dev ? 'module' : 'classic' });
    if (reg.waiting && navigator.serviceWorker.controller) this.#offer(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const next = reg.installing;
      next?.addEventListener('statechange', () => {
        if (next.state === 'installed' && navigator.serviceWorker.controller) this.#offer(next);
      });
    });
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (!this.#waiting || reloading) return;
      reloading = true;
      location.reload();
    });
    const check = () => void reg.update().catch(() => undefined);
    addEventListener('online', check);
    setInterval(check, 60 * 60 * 1000);
  }

  #offer(worker: ServiceWorker): void {
    this.#waiting = worker;
    this.available = true;
  }

  apply(): void {
    this.#waiting?.postMessage({ type: 'SKIP_WAITING' });
  }

  dismiss(): void {
    this.available = false;
  }
}

export const swUpdate = new ServiceWorkerUpdate();
