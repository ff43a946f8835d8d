import { HttpError } from './errors';

const HOUR_MS = 3_600_000;

/**
 * Bytes each principal uploaded in the current clock hour (auth.uploadBytesPerHour),
 * counted by this process: each API node keeps its own count.
 */
export class UploadQuota {
  private hour = -1;
  private readonly used = new Map<string, number>();

  constructor(private readonly bytesPerHour: number) {}

  private usedBy(principalId: string, now: number): number {
    const hour = Math.floor(now / HOUR_MS);
    if (hour !== this.hour) {
      this.hour = hour;
      this.used.clear();
    }
    return this.used.get(principalId) ?? 0;
  }

  /** Refuses (429) an upload of `incoming` bytes that would take the principal past its quota. */
  check(principalId: string, incoming: number, now = Date.now()): void {
    if (this.usedBy(principalId, now) + incoming <= this.bytesPerHour) return;
    const minutes = Math.ceil((HOUR_MS - (now % HOUR_MS)) / 60_000);
    throw new HttpError(429, 'UPLOAD_QUOTA', `this upload would pass your quota of ${this.bytesPerHour} bytes an hour (auth.uploadBytesPerHour): retry in ${minutes} minutes`);
  }

  charge(principalId: string, bytes: number, now = Date.now()): void {
    this.used.set(principalId, this.usedBy(principalId, now) + bytes);
  }
}
