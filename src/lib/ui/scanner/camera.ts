/**
 * The camera half of the scanner: the back camera's stream into a <video>, a frame to the
 * detector every few hundred milliseconds (never two detections at once, so a slow phone
 * is not flooded), and one report per label held in view: the same code seen again within
 * `REPEAT_MS` is the same act of scanning, not a second scan.
 */
import type { Detector } from './detector';

const INTERVAL_MS = 250;
export const REPEAT_MS = 2500;

export type CameraStart = 'on' | 'denied' | 'none' | 'failed';

export class CameraReader {
  private stream: MediaStream | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  private last = { code: '', at: 0 };

  constructor(private readonly onCode: (code: string) => void) {}

  async start(video: HTMLVideoElement, detector: Detector): Promise<CameraStart> {
    if (!navigator.mediaDevices?.getUserMedia) return 'none';
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: 'environment' } },
        audio: false
      });
    } catch (e) {
      const name = (e as { name?: string }).name;
      return name === 'NotAllowedError' || name === 'SecurityError'
        ? 'denied'
        : name === 'NotFoundError'
          ? 'none'
          : 'failed';
    }
    video.srcObject = this.stream;
    await video.play().catch(() => undefined);
    this.timer = setInterval(() => void this.tick(video, detector), INTERVAL_MS);
    return 'on';
  }

  private async tick(video: HTMLVideoElement, detector: Detector) {
    if (this.busy || video.readyState < 2) return;
    this.busy = true;
    try {
      for (const code of await detector.detect(video)) this.deliver(code);
    } catch {
      // A frame the detector cannot read (blur, resize) is simply skipped.
    } finally {
      this.busy = false;
    }
  }

  /** Reports a code read from an image, unless it is the label still in view. */
  deliver(code: string, now = Date.now()): boolean {
    if (code === this.last.code && now - this.last.at < REPEAT_MS) {
      this.last.at = now;
      return false;
    }
    this.last = { code, at: now };
    this.onCode(code);
    return true;
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = undefined;
    this.last = { code: '', at: 0 };
  }
}
