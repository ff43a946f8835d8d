import type { CreateJobCommandInput } from '@aws-sdk/client-mediaconvert';
import { z } from 'zod';
import type { VideoPlan } from './videoPlan';

/**
 * What MediaConvert is asked and what it answers, pure: the CreateJob request
 * of the web proxy, and the "MediaConvert Job State Change" event that
 * EventBridge delivers through SQS.
 */

export interface ProxyJobRequest {
  plan: VideoPlan;
  /** s3://bucket/key of the original. */
  input: string;
  /** s3://bucket/key of the proxy without ".mp4": MediaConvert names the file after it and adds the extension. */
  destination: string;
  role: string;
  queue?: string;
  /** Sent twice, the same token gives the same job: a retry after a lost answer submits nothing new. */
  token: string;
  /** Comes back in every state change: how the change finds its asset. */
  userMetadata: Record<string, string>;
}

/**
 * The settings of the ffmpeg proxy (processors/videoCommands.ts) in
 * MediaConvert's terms: H.264 with quality-defined variable bit rate (QVBR,
 * as CRF is for x264) at the plan's upright size, square pixels and constant
 * frame rate, interlaced frames deinterlaced and PQ or HLG tone-mapped to
 * BT.709; AAC 128k stereo when there is sound, a broadcast master's two mono
 * tracks as left and right; an MP4 whose index comes first (progressive
 * download, ffmpeg's faststart). Rotate AUTO turns the picture upright by the
 * file's rotation, as ffmpeg's autorotate does.
 */
export function proxyJob(request: ProxyJobRequest): CreateJobCommandInput {
  const { plan } = request;
  const audio = plan.hasAudio ? { AudioSelectors: { 'Audio Selector 1': audioSelector(plan) } } : {};
  // The input's colours are stated, as the ffmpeg proxy states them to zscale: what ffprobe read of the stream.
  const videoSelector = { Rotate: 'AUTO' as const, ...(plan.hdr && { ColorSpace: HDR_COLOUR_SPACE[plan.hdr] }) };
  return {
    Role: request.role,
    ...(request.queue && { Queue: request.queue }),
    ClientRequestToken: request.token,
    UserMetadata: request.userMetadata,
    Settings: {
      Inputs: [{ FileInput: request.input, VideoSelector: videoSelector, TimecodeSource: 'ZEROBASED', ...audio }],
      OutputGroups: [
        {
          Name: 'File Group',
          OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: request.destination } },
          Outputs: [
            {
              Extension: 'mp4',
              ContainerSettings: { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' } },
              VideoDescription: videoDescription(plan),
              ...(plan.hasAudio && { AudioDescriptions: [{ ...aacStereo, ...(plan.monoPair && { RemixSettings: MONO_PAIR_REMIX }) }] }),
            },
          ],
        },
      ],
    },
  };
}

/** x264's CRF 23 looks about like QVBR 7; the cap keeps a noisy source's proxy web-sized. */
const QVBR_QUALITY = 7;
const MAX_BITRATE = 5_000_000;

/** MediaConvert's input colour spaces of the transfers the plan tone-maps. */
const HDR_COLOUR_SPACE = { pq: 'HDR10', hlg: 'HLG_2020' } as const;

/**
 * As the ffmpeg proxy's bwdif with deint=interlaced: frames that are not
 * flagged progressive are deinterlaced by motion-adaptive interpolation, one
 * output frame an input frame, and a progressive source passes untouched.
 */
const DEINTERLACER = { Mode: 'DEINTERLACE', Control: 'NORMAL', Algorithm: 'INTERPOLATE' } as const;

/** PQ or HLG to BT.709 SDR; PRESERVE_DETAILS bends the highlights and keeps what SDR can show, as ffmpeg's mobius curve does. */
const TONE_MAPPER = { ColorSpaceConversion: 'FORCE_709', HdrToSdrToneMapper: 'PRESERVE_DETAILS' } as const;

function videoDescription(plan: VideoPlan) {
  const [numerator, denominator] = frameRateFraction(plan.frameRate);
  return {
    Width: plan.proxy.width,
    Height: plan.proxy.height,
    ScalingBehavior: 'DEFAULT' as const,
    VideoPreprocessors: { Deinterlacer: DEINTERLACER, ...(plan.hdr && { ColorCorrector: TONE_MAPPER }) },
    CodecSettings: {
      Codec: 'H_264' as const,
      H264Settings: {
        RateControlMode: 'QVBR' as const,
        QvbrSettings: { QvbrQualityLevel: QVBR_QUALITY },
        MaxBitrate: MAX_BITRATE,
        CodecProfile: 'HIGH' as const,
        ParControl: 'SPECIFIED' as const,
        ParNumerator: 1,
        ParDenominator: 1,
        FramerateControl: 'SPECIFIED' as const,
        FramerateConversionAlgorithm: 'DUPLICATE_DROP' as const,
        FramerateNumerator: numerator,
        FramerateDenominator: denominator,
        SceneChangeDetect: 'TRANSITION_DETECTION' as const,
      },
    },
  };
}

/** The first audio track, or a broadcast master's first two (mono each) as one selector of two channels. */
const audioSelector = (plan: VideoPlan) => (plan.monoPair ? { SelectorType: 'TRACK' as const, Tracks: [1, 2] } : { DefaultSelection: 'DEFAULT' as const });

/** The two mono tracks' channels as left and right: each output channel takes one input channel at 0 dB, the other at -60 (silence). */
const MONO_PAIR_REMIX = { ChannelsIn: 2, ChannelsOut: 2, ChannelMapping: { OutputChannels: [{ InputChannels: [0, -60] }, { InputChannels: [-60, 0] }] } };

const aacStereo = {
  AudioSourceName: 'Audio Selector 1',
  CodecSettings: { Codec: 'AAC' as const, AacSettings: { Bitrate: 128_000, CodingMode: 'CODING_MODE_2_0' as const, SampleRate: 48_000 } },
};

/** 29.97 → [30000, 1001], 25 → [25, 1]: the NTSC rates exactly, others to a thousandth. */
export function frameRateFraction(rate: number): [number, number] {
  const ntsc = Math.round(rate * 1.001);
  if (Math.abs(rate - ntsc / 1.001) < 0.005 && Math.abs(rate - ntsc) > 0.005) return [ntsc * 1000, 1001];
  const thousandths = Math.round(rate * 1000);
  return thousandths % 1000 === 0 ? [thousandths / 1000, 1] : [thousandths, 1000];
}

const OutputDetail = z.object({
  outputFilePaths: z.array(z.string()).optional(),
  durationInMs: z.number().optional(),
  videoDetails: z.object({ widthInPx: z.number().optional(), heightInPx: z.number().optional() }).optional(),
});

/** The fields of the EventBridge event this lake reads; the rest it leaves alone. */
const StateChangeEvent = z.object({
  source: z.literal('aws.mediaconvert'),
  'detail-type': z.literal('MediaConvert Job State Change'),
  detail: z.object({
    jobId: z.string().min(1),
    status: z.string(),
    userMetadata: z.record(z.string(), z.string()).default({}),
    errorCode: z.union([z.number(), z.string()]).optional(),
    errorMessage: z.string().optional(),
    outputGroupDetails: z.array(z.object({ outputDetails: z.array(OutputDetail).default([]) })).default([]),
  }),
});

export type JobStateChange = z.infer<typeof StateChangeEvent>['detail'];

/** Whether a queue message is a MediaConvert state change (SQS bodies of other shapes are S3 notifications). */
export function isJobStateChange(body: unknown): boolean {
  const event = body as { source?: unknown; 'detail-type'?: unknown } | null;
  return event?.source === 'aws.mediaconvert' && event['detail-type'] === 'MediaConvert Job State Change';
}

/** The state change in a message body; one that claims to be one but lacks its fields is an error that says which. */
export function jobStateChange(body: unknown): JobStateChange {
  const parsed = StateChangeEvent.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`a MediaConvert state change without a valid ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data.detail;
}
