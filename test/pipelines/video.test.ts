import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineCommands } from '../../app/pipelineCommands';
import { mediaToolPath, runMediaTool } from '../../processors/ffmpeg';
import { mediaProbedFrom, probe } from '../../processors/mediaProbe';
import { isInvalidPipeline } from '../../processors/pipelines/definitionCheck';
import { ingestFile } from '../../producers/ingest';
import { deployPipeline, requestPipelineRuns } from '../../producers/pipelines';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

/** The video presets as nodes, over a short clip ffmpeg makes: 640×480 H.264 with AAC sound, 2 s. */
describe('video preset nodes', () => {
  const media = temporaryDirectory('medialake-video-');
  const clip = join(media.path, 'harbour.mp4');
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  const deploy = (definition: object) => deployPipeline(pipelineCommands(lake, 'tester', 'cli'), definition);
  const ingest = async (path: string, name: string) => {
    const { assetId } = (await ingestFile(ingestContext(lake), path, { kind: 'upload' }, name)) as { assetId: string };
    await lake.waitForIdle({ timeoutMs: 60_000 });
    return assetId;
  };

  beforeAll(async () => {
    const source = ['-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'];
    const encode = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip];
    await runMediaTool('ffmpeg', mediaToolPath('ffmpeg'), ['-v', 'error', '-y', ...source, ...encode], { timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 });
    lake = await openTestLake();
    lake.start();
  });
  afterAll(async () => {
    await lake?.close();
    media.remove();
  });

  it('refuses a video node behind a trigger that also takes images', async () => {
    const error = await deploy({ name: 'mixed', version: 1, trigger: { on: 'asset' }, nodes: [{ id: 'web', type: 'video-proxy', parameters: { name: 'web', maxHeight: 480 } }] }).catch((caught: unknown) => caught);
    expect(isInvalidPipeline(error) && error.problems).toEqual(['nodes[0] ("web"): video-proxy needs a video: limit trigger.filter.mediaType to ["video"]']);
    const preset = await deploy({ name: 'odd', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'web', type: 'video-proxy', parameters: { name: 'web', maxHeight: 500 } }] }).catch((caught: unknown) => caught);
    expect(isInvalidPipeline(preset) && preset.problems[0]).toMatch(/^nodes\[0\]\.parameters\.maxHeight: /);
  });

  it('makes a 360p proxy at the CRF asked, a poster and a scrub strip of a new video, as renditions', async () => {
    await deploy({
      name: 'web-video', version: 1,
      trigger: { on: 'asset', filter: { mediaType: ['video'] } },
      nodes: [
        { id: 'small', type: 'video-proxy', parameters: { name: 'proxy-360', maxHeight: 360, crf: 30 }, timeoutMs: 300_000 },
        { id: 'cover', type: 'video-poster', parameters: { name: 'cover', size: 320 } },
        { id: 'strip', type: 'video-scrub', parameters: { name: 'strip' } },
      ],
      emits: ['nodes.small.objectKey'],
    });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const assetId = await ingest(clip, 'harbour.mp4');

    const [execution] = await lake.pipelines.history.executions({ pipeline: 'web-video', assetId });
    expect(execution).toMatchObject({ status: 'completed' });
    const { renditions } = (await lake.records.get(assetId))!;
    expect(renditions['proxy-360']).toMatchObject({ mimeType: 'video/mp4', width: 480, height: 360, objectKey: execution!.outputs!['nodes.small.objectKey'] });
    expect(renditions['proxy-360']!.durationMs).toBeGreaterThan(1900);
    const made = mediaProbedFrom(await probe(mediaToolPath('ffprobe'), await lake.store.localPathOrUrl(renditions['proxy-360']!.objectKey)));
    expect([made.video[0]!.codec, made.video[0]!.width, made.video[0]!.height, made.audio[0]!.codec]).toEqual(['h264', 480, 360, 'aac']);
    // x264 writes its settings into the stream: the CRF asked for is the one it encoded at.
    expect((await lake.store.getBuffer(renditions['proxy-360']!.objectKey)).toString('latin1')).toContain('crf=30.0');
    expect(renditions.cover).toMatchObject({ mimeType: 'image/jpeg', width: 320, height: 240 });
    expect(renditions['strip-sprite']).toMatchObject({ mimeType: 'image/jpeg' });
    expect((await lake.store.getBuffer(renditions['strip-vtt']!.objectKey)).toString()).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:02\.000\nstrip-sprite#xywh=0,0,/);
    // The fixed video processor's renditions are there beside them, untouched.
    expect(renditions.proxy).toMatchObject({ width: 640, height: 480 });
  });

  it('run by hand on an image, a video node fails at once, saying why', async () => {
    await deploy({ name: 'by-hand', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'web', type: 'video-proxy', parameters: { name: 'web' } }] });
    const image = await ingest(fixture('jpg/Canon_40D.jpg'), 'still.jpg');
    await requestPipelineRuns(pipelineCommands(lake, 'tester', 'cli'), 'by-hand', [image], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'by-hand' });
    expect(execution).toMatchObject({ status: 'failed', error: { code: 'NOT_A_VIDEO' } });
    expect((await lake.pipelines.history.execution(execution!.executionId))!.nodes).toMatchObject([{ node: 'web', attempts: 1 }]);
  });
});
