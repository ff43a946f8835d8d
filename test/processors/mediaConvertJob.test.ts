import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config';
import { frameRateFraction, isJobStateChange, jobStateChange, proxyJob } from '../../processors/mediaConvertJob';
import type { VideoPlan } from '../../processors/videoPlan';

describe('configuring MediaConvert for the video proxy', () => {
  const environment = {
    MEDIALAKE_STORAGE_BACKEND: 's3',
    MEDIALAKE_S3_BUCKET: 'media-lake',
    MEDIALAKE_SQS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/lake-events',
    MEDIALAKE_VIDEO_BACKEND: 'mediaconvert',
    MEDIALAKE_MEDIACONVERT_ROLE: 'arn:aws:iam::111122223333:role/MediaConvertLake',
    MEDIALAKE_MEDIACONVERT_QUEUE: 'arn:aws:mediaconvert:eu-west-1:111122223333:queues/Default',
    MEDIALAKE_MEDIACONVERT_ENDPOINT: 'https://abcd1234.mediaconvert.eu-west-1.amazonaws.com',
    MEDIALAKE_MEDIACONVERT_TIMEOUT_MINUTES: '90',
  };

  it('reads the backend, role, queue, endpoint and timeout from MEDIALAKE_* variables', () => {
    expect(loadConfig({}, environment).processors.video).toEqual({
      backend: 'mediaconvert',
      mediaconvert: {
        role: environment.MEDIALAKE_MEDIACONVERT_ROLE,
        queue: environment.MEDIALAKE_MEDIACONVERT_QUEUE,
        endpoint: environment.MEDIALAKE_MEDIACONVERT_ENDPOINT,
        timeoutMinutes: 90,
      },
    });
    expect(loadConfig({}, {}).processors.video.backend).toBe('ffmpeg');
  });

  it('says what MediaConvert needs that is missing: S3 storage, a role, the queue its state changes come through', () => {
    expect(() => loadConfig({ 'storage.backend': 'local' }, environment)).toThrow(ConfigError);
    expect(() => loadConfig({ 'storage.backend': 'local' }, environment)).toThrow(/storage\.backend: .*set storage\.backend to s3/);
    expect(() => loadConfig({}, { ...environment, MEDIALAKE_MEDIACONVERT_ROLE: '' })).toThrow(/processors\.video\.mediaconvert\.role: .*MEDIALAKE_MEDIACONVERT_ROLE/);
    expect(() => loadConfig({}, { ...environment, MEDIALAKE_MEDIACONVERT_ROLE: 'MediaConvertLake' })).toThrow(/an IAM role ARN/);
    expect(() => loadConfig({}, { ...environment, MEDIALAKE_SQS_QUEUE_URL: '' })).toThrow(/sources\.sqsQueueUrl: .*EventBridge/);
  });
});

describe("MediaConvert's side, pure", () => {
  it('deinterlaces, tone-maps PQ and HLG to BT.709, and plays two mono tracks as left and right, as the ffmpeg proxy does', () => {
    const plan: VideoPlan = {
      durationSeconds: 10,
      frameRate: 25,
      hasAudio: true,
      monoPair: false,
      poster: { width: 1920, height: 1080 },
      proxy: { width: 1280, height: 720 },
      frame: { width: 256, height: 144 },
      scrub: { intervalSeconds: 2, count: 5, columns: 5, rows: 1, tile: { width: 160, height: 90 } },
    };
    const job = (changes: Partial<VideoPlan>) => {
      const { Settings } = proxyJob({ plan: { ...plan, ...changes }, input: 's3://media/o.mxf', destination: 's3://media/p', role: 'role', token: 'token', userMetadata: {} });
      const [input] = Settings!.Inputs!;
      const [output] = Settings!.OutputGroups![0]!.Outputs!;
      return { input: input!, video: output!.VideoDescription!, audio: output!.AudioDescriptions?.[0] };
    };
    const deinterlacer = { Mode: 'DEINTERLACE', Control: 'NORMAL', Algorithm: 'INTERPOLATE' };

    const sdr = job({});
    expect(sdr.input.VideoSelector).toEqual({ Rotate: 'AUTO' });
    expect(sdr.video.VideoPreprocessors).toEqual({ Deinterlacer: deinterlacer });
    expect(sdr.input.AudioSelectors).toEqual({ 'Audio Selector 1': { DefaultSelection: 'DEFAULT' } });
    expect(sdr.audio!.RemixSettings).toBeUndefined();
    for (const [hdr, colourSpace] of [['hlg', 'HLG_2020'], ['pq', 'HDR10']] as const) {
      const { input, video } = job({ hdr });
      expect(input.VideoSelector, hdr).toEqual({ Rotate: 'AUTO', ColorSpace: colourSpace });
      expect(video.VideoPreprocessors, hdr).toEqual({ Deinterlacer: deinterlacer, ColorCorrector: { ColorSpaceConversion: 'FORCE_709', HdrToSdrToneMapper: 'PRESERVE_DETAILS' } });
    }
    const master = job({ monoPair: true });
    expect(master.input.AudioSelectors).toEqual({ 'Audio Selector 1': { SelectorType: 'TRACK', Tracks: [1, 2] } });
    expect(master.audio).toMatchObject({
      AudioSourceName: 'Audio Selector 1',
      RemixSettings: { ChannelsIn: 2, ChannelsOut: 2, ChannelMapping: { OutputChannels: [{ InputChannels: [0, -60] }, { InputChannels: [-60, 0] }] } },
    });
  });

  it('asks for the NTSC rates exactly and others to a thousandth', () => {
    expect([29.97, 59.94, 23.976, 25, 30, 16.9].map(frameRateFraction)).toEqual([
      [30000, 1001],
      [60000, 1001],
      [24000, 1001],
      [25, 1],
      [30, 1],
      [16900, 1000],
    ]);
  });

  it('tells a job state change from an S3 notification by its shape, and says which field a broken one lacks', () => {
    const change = { source: 'aws.mediaconvert', 'detail-type': 'MediaConvert Job State Change', detail: { jobId: '1515368087458-qnoxtd', status: 'ERROR', errorCode: 1040, errorMessage: 'Example error message', userMetadata: {} } };
    expect(isJobStateChange(change)).toBe(true);
    expect(isJobStateChange({ Records: [{ eventSource: 'aws:s3' }] })).toBe(false);
    expect(isJobStateChange({ source: 'aws.s3', 'detail-type': 'Object Created' })).toBe(false);
    expect(jobStateChange(change)).toMatchObject({ jobId: '1515368087458-qnoxtd', status: 'ERROR', errorCode: 1040, outputGroupDetails: [] });
    expect(() => jobStateChange({ ...change, detail: { status: 'COMPLETE' } })).toThrow(/without a valid detail\.jobId/);
  });
});
