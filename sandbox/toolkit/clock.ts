/**
 * The emulator's notion of now. It follows real time, shifted by an offset that the control plane sets or advances,
 * so tests can jump an emulator past a 90-day key expiry without waiting.
 */
export class SandboxClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
