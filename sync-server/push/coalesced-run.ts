/**
 * A job run by its followers (a change to process, a schedule): one run at a time; calls
 * that arrive during a run do not start another alongside, they ask for exactly one more
 * after it, which sees everything they were called for. A failed run is reported and the
 * next call tries again. `stop` lets a run under way finish and refuses new ones, so a
 * server closes with no run writing behind it.
 */
export class CoalescedRun {
  private running: Promise<void> | null = null;
  private again = false;
  private halted = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly failed: (err: Error) => void
  ) {}

  get stopped(): boolean {
    return this.halted;
  }

  /** One run now, or one more after the run under way; resolves when no run is pending. */
  kick(): Promise<void> {
    if (this.halted) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.run();
        } catch (err) {
          this.failed(err as Error);
        }
      } while (this.again && !this.halted);
      this.running = null;
    })();
    return this.running;
  }

  /** Refuses further runs and waits for the one under way. */
  async stop(): Promise<void> {
    this.halted = true;
    await this.running;
  }
}
