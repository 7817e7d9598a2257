/**
 * The device's position for a report, taken once when asked: latitude, longitude and the
 * accuracy the device claims. No GPS (refused, unavailable, timed out) is a normal state,
 * not an error: the report goes out without a position.
 */
export type GpsState =
  | { kind: 'idle' }
  | { kind: 'locating' }
  | { kind: 'fixed'; lat: number; lon: number; accuracy: number; at: number }
  | { kind: 'none'; reason: 'unsupported' | 'denied' | 'unavailable' };

export class Gps {
  state = $state<GpsState>({ kind: 'idle' });

  locate(): void {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      this.state = { kind: 'none', reason: 'unsupported' };
      return;
    }
    this.state = { kind: 'locating' };
    navigator.geolocation.getCurrentPosition(
      (p) =>
        (this.state = {
          kind: 'fixed',
          lat: p.coords.latitude,
          lon: p.coords.longitude,
          accuracy: p.coords.accuracy,
          at: p.timestamp
        }),
      (err) => (this.state = { kind: 'none', reason: err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 }
    );
  }
}
