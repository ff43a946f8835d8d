import { probe, type ProbeOriginal, type ProbeOutput } from './mediaProbe';

/** Readings kept: enough for the processors that probe to be this many ingests apart (the transcoder trails the probe). */
const READINGS_KEPT = 64;

/**
 * One ffprobe run an ingest for every processor that asks (media-probe,
 * video-renditions), by the event that names the original: a location is no
 * key, as a presigned URL differs at every asking. A failed reading is
 * forgotten, so a retry reads again; past READINGS_KEPT the oldest go, and a
 * processor that comes later probes for itself.
 */
export function probeOnce(ffprobe: string, timeoutMs?: number): ProbeOriginal {
  const readings = new Map<string, Promise<ProbeOutput>>();
  return (cause, location) => {
    const kept = readings.get(cause.id);
    if (kept) return kept;
    const reading = probe(ffprobe, location, timeoutMs);
    readings.set(cause.id, reading);
    reading.catch(() => readings.delete(cause.id));
    if (readings.size > READINGS_KEPT) readings.delete(readings.keys().next().value!);
    return reading;
  };
}
