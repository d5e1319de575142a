// Type declarations of @rtms-gateway/client (hand-written; checked by `tsc --noEmit -p tests/tsconfig.json`).
// Messages are plain objects as @grpc/proto-loader decodes them: field names as in the proto (snake_case), 64-bit
// integers as decimal strings (exact above 2^53), enums as their names, every field present (defaults).
import type { ChannelCredentials, ChannelOptions, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';

/** A uint64/int64 as a decimal string (exact; sequences are epoch * 1e12 + n). */
export type Long = string;

export interface Timestamp { seconds: Long; nanos: number; }

export interface SubscriptionTarget {
  rtms_stream_id?: string;
  instance_id?: string;
  user_ids?: string[];
  from_start?: boolean;
  /** Start after this sequence (the last one you processed). */
  resume_after_sequence?: string | number | bigint;
  wait_for_start?: boolean;
}

export interface MessageHeader {
  sequence: Long;
  zoom_timestamp_ms: Long;
  received_at: Timestamp | null;
  user_id: string;
  user_name: string;
}

export type GapReason = 'REASON_UNSPECIFIED' | 'REASON_SUBSCRIBER_TOO_SLOW' | 'REASON_RETENTION_EXCEEDED' | 'REASON_OWNER_CHANGED';

export interface Gap {
  first_missing_sequence: Long;
  last_missing_sequence: Long;
  missed_count: Long;
  reason: GapReason;
}

export interface SessionEnded {
  /** A ZoomStopReason name, e.g. 'ZOOM_STOP_REASON_MEETING_ENDED'. */
  stop_reason: string;
  description: string;
}

export type AudioCodec =
  | 'AUDIO_CODEC_UNSPECIFIED' | 'AUDIO_CODEC_L16' | 'AUDIO_CODEC_G711' | 'AUDIO_CODEC_G722' | 'AUDIO_CODEC_OPUS' | 'AUDIO_CODEC_G711_ULAW';

export interface AudioFormat {
  codec: AudioCodec | string;
  sample_rate_hz: number;
  channels: number;
  /** Milliseconds of audio per frame. */
  frame_duration_ms: number;
  per_speaker: boolean;
  [field: string]: unknown;
}

/** An audio format to receive (SubscribeAudioRequest.format); 0 = the source's value (see the proto). */
export interface AudioFormatRequest {
  codec: AudioCodec;
  sample_rate_hz?: number;
  channels?: number;
  /** Opus only: the encoder's target bit rate (bit/s). */
  opus_bitrate_bps?: number;
}

export interface AudioFrame {
  header: MessageHeader;
  data: Buffer;
  format: AudioFormat | null;
  [field: string]: unknown;
}

export interface VideoFormat {
  codec: 'VIDEO_CODEC_UNSPECIFIED' | 'VIDEO_CODEC_JPG' | 'VIDEO_CODEC_PNG' | 'VIDEO_CODEC_H264' | string;
  width: number;
  height: number;
  fps: number;
}

export interface VideoFrame {
  header: MessageHeader;
  /** 'VIDEO_SOURCE_CAMERA' or 'VIDEO_SOURCE_SCREEN_SHARE'. */
  source: string;
  format: VideoFormat | null;
  /** One JPG/PNG image, or one H.264 access unit (Annex B; SPS and PPS before each IDR). */
  data: Buffer;
  /** A decoder can start here: always for JPG/PNG, an IDR for H.264. */
  key_frame: boolean;
  [field: string]: unknown;
}

export interface TranscriptSegment {
  header: MessageHeader;
  text: string;
  /** A ZoomTranscriptLanguage name, e.g. 'ZOOM_TRANSCRIPT_LANGUAGE_ENGLISH'. */
  language: string;
  start_time_ms: Long;
  end_time_ms: Long;
  attribute: 'ATTRIBUTE_UNSPECIFIED' | 'ATTRIBUTE_NEW' | 'ATTRIBUTE_UPDATE' | 'ATTRIBUTE_DELETE';
  channel_id: number;
  channel: string;
}

export interface Participant { user_id: string; user_name: string; }

export interface SessionEvent {
  header: MessageHeader;
  /** Which member of the proto's `event` oneof is set. */
  event:
    | 'participants_joined' | 'participants_left' | 'active_speaker_changed' | 'sharing_started' | 'sharing_stopped'
    | 'participant_video_changed' | 'session_state_changed' | 'stream_state_changed' | 'upstream_state_changed' | 'chat' | 'other';
  participants_joined?: { participants: Participant[] };
  participants_left?: { participants: Participant[] };
  active_speaker_changed?: { speaker: Participant | null };
  sharing_started?: { sharer: Participant | null };
  sharing_stopped?: Record<string, never>;
  participant_video_changed?: { participants: Participant[]; video_on: boolean };
  session_state_changed?: { rtms_session_id: string; state: string; stop_reason: string };
  stream_state_changed?: { state: string; reason: string };
  upstream_state_changed?: { state: string; detail: string };
  chat?: { sender: Participant | null; text: string; raw_json: string; [field: string]: unknown };
  other?: { event_type: number; raw_json: string };
}

export interface SessionInfo {
  rtms_stream_id: string;
  instance_id: string;
  product: string;
  /** 'SESSION_STATE_STREAMING', 'SESSION_STATE_STOPPED', ... */
  state: string;
  meeting_id: Long;
  operator_id: string;
  account_id: string;
  started_at: Timestamp | null;
  stopped_at: Timestamp | null;
  stop_reason: string;
  owner: { replica_id: string; epoch: Long } | null;
  media: { audio: boolean; video: boolean; screen_share: boolean; transcripts: boolean; chat: boolean; [field: string]: unknown } | null;
  reconnects: number;
}

/** One item of a subscription, in order: a message, a gap (exactly one per hole), or the end of the session. */
export type StreamItem<T> =
  | { kind: 'message'; /** The message's sequence. */ sequence: bigint; message: T }
  | { kind: 'gap'; /** The gap's last_missing_sequence. */ sequence: bigint; gap: Gap }
  | { kind: 'ended'; sequence: 0n; ended: SessionEnded };

export interface GatewayClientOptions {
  /**
   * The gateway's replicas, any of which serves any session ('http://gateway-0:50051', 'host:port', 'https://…'), or
   * one 'dns:///gateway-headless:50051' address whose records are balanced round robin.
   */
  addresses: string[];
  /** Gives the bearer token for each call (called per attempt, so a refreshed token is used on reconnect). */
  bearerToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** HTTP/2 keep-alive pings, so a dead connection is noticed (default 20000; 0 turns them off). */
  keepAliveIntervalMs?: number;
  /** Deadline of each unary call (ListSessions); default 10000. Subscriptions have none. */
  unaryDeadlineMs?: number;
  /** First reconnect delay (default 100); doubles per failed attempt up to maxBackoffMs (default 5000), jittered. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A subscription that delivers nothing for this long while retrying throws the last error (default 5 min). */
  giveUpAfterMs?: number;
  /** Channel credentials (default: insecure for http:// and host:port, TLS for https://). */
  credentials?: ChannelCredentials;
  /** Extra grpc-js channel options. */
  channelOptions?: ChannelOptions;
  /** Where rtms/gateway/v1/gateway.proto is (default: the package's protos/, or the repository's). */
  protoRoot?: string;
  /** Called before each reconnect (for logs and metrics). */
  onRetry?: (info: { error: ServiceError; attempt: number; delayMs: number; resumeAfter: bigint | null }) => void;
}

export interface SubscribeOptions {
  /** Aborting it ends the subscription (the iterator throws the abort reason or CANCELLED). */
  signal?: AbortSignal;
}

export interface ListSessionsOptions {
  include_stopped?: boolean;
  instance_id?: string;
  page_size?: number;
  signal?: AbortSignal;
}

export class GatewayClient {
  constructor(options: GatewayClientOptions);
  readonly options: Required<Pick<GatewayClientOptions, 'keepAliveIntervalMs' | 'unaryDeadlineMs' | 'initialBackoffMs' | 'maxBackoffMs' | 'giveUpAfterMs'>> & GatewayClientOptions;
  /** options.format is asked for on every (re)connect; unset: audio as Zoom sends it. */
  subscribeAudio(target: SubscriptionTarget, options?: SubscribeOptions & { format?: AudioFormatRequest }): AsyncGenerator<StreamItem<AudioFrame>, void, undefined>;
  subscribeVideo(target: SubscriptionTarget, options?: SubscribeOptions & { source?: 'VIDEO_SOURCE_UNSPECIFIED' | 'VIDEO_SOURCE_CAMERA' | 'VIDEO_SOURCE_SCREEN_SHARE' | string }): AsyncGenerator<StreamItem<VideoFrame>, void, undefined>;
  subscribeTranscripts(target: SubscriptionTarget, options?: SubscribeOptions): AsyncGenerator<StreamItem<TranscriptSegment>, void, undefined>;
  subscribeEvents(target: SubscriptionTarget, options?: SubscribeOptions): AsyncGenerator<StreamItem<SessionEvent>, void, undefined>;
  /** Every session the gateway lists, all pages (following next_page_token). */
  listSessions(options?: ListSessionsOptions): Promise<SessionInfo[]>;
  /** Closes every channel. */
  close(): void;
}

/**
 * Records an audio subscription as a 16-bit PCM WAV file: frames appended, each gap as silence of the missed duration
 * (missed_count x frame_duration_ms). close() patches the header with the final sizes.
 */
export class WavWriter {
  constructor(path: string, options?: { sampleRate?: number; channels?: 1 | 2 });
  readonly sampleRate: number;
  readonly channels: number;
  /** Bytes of samples written so far. */
  readonly dataBytes: number;
  /** Seconds of audio written so far. */
  readonly duration: number;
  /** The format to subscribe with: L16 at this file's rate and channel count. */
  readonly format: AudioFormatRequest;
  /** Appends a frame's samples or a gap's silence; the session's end adds nothing. */
  write(item: StreamItem<AudioFrame>): void;
  writeFrame(frame: AudioFrame): void;
  writeGap(gap: Gap): void;
  writeSilence(seconds: number): void;
  /** Patches the header with the final sizes and closes the file. */
  close(): void;
}

/** The decoded google.rpc.Status of an error's grpc-status-details-bin trailer. */
export interface ErrorDetails {
  code: number;
  message: string;
  errorInfo: { reason: string; domain: string; metadata: Record<string, string> } | null;
  retryInfo: { retry_delay: { seconds: Long; nanos: number } | null } | null;
  badRequest: { field_violations: { field: string; description: string; [field: string]: unknown }[] } | null;
  resumePoint: { resume_after_sequence: Long; rtms_stream_id: string } | null;
  details: { type: string; value: unknown }[];
}

/** The google.rpc.Status details of a gRPC error, or null when it has none. */
export function errorDetails(error: unknown): ErrorDetails | null;
/** google.rpc.ErrorInfo.reason of a gRPC error (e.g. 'SESSION_NOT_FOUND'). */
export function reasonOf(error: unknown): string | undefined;
/** The ownership epoch of a sequence (sequence / 1e12). */
export function epochOf(sequence: bigint | string | number): bigint;
/** The retry decision for a failed call (as the C# client's RetryPolicy.Decide). */
export function decide(error: unknown, cancelledByCaller: boolean, backoffMs: number): { retry: boolean; delayMs: number; otherReplica: boolean };
/** Jittered exponential backoff, uniform in [nominal/2, nominal]. */
export function backoff(attempt: number, initialMs: number, maxMs: number, random?: () => number): number;
export { status };
