/** One clock for every SLA figure on screen, ticking once a minute (the SLA's resolution). */
class MinuteClock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    if (typeof window === 'undefined') return;
    this.#timer = setInterval(() => (this.now = Date.now()), 60_000);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

export const minuteClock = new MinuteClock();
