// Compiled by `tsc --noEmit` (NodeClientTests): the declarations describe what a user writes with the library.
import { GatewayClient, WavWriter, reasonOf, errorDetails, epochOf, status, StreamItem, TranscriptSegment, SessionInfo, VideoFrame } from '../src';

async function example(): Promise<void> {
  const client = new GatewayClient({ addresses: ['http://gateway:50051', 'dns:///gateway-headless:50051'], bearerToken: async () => 'token' });
  for await (const item of client.subscribeTranscripts({ instance_id: 'meeting-uuid', resume_after_sequence: 3_000_000_000_042n })) {
    if (item.kind === 'message') {
      const segment: TranscriptSegment = item.message;
      const seq: bigint = item.sequence;
      console.log(`${segment.header.user_name}: ${segment.text} ${seq} epoch ${epochOf(seq)}`);
    } else if (item.kind === 'gap') {
      console.log(item.gap.reason === 'REASON_OWNER_CHANGED', item.gap.first_missing_sequence.length);
    } else {
      console.log(item.ended.stop_reason);
    }
  }
  const abort = new AbortController();
  for await (const item of client.subscribeAudio({ rtms_stream_id: 's' }, { signal: abort.signal })) {
    if (item.kind === 'message') console.log(item.message.data.length, item.message.format?.sample_rate_hz);
  }
  const wav = new WavWriter('meeting.wav', { sampleRate: 16000, channels: 1 });
  try {
    for await (const item of client.subscribeAudio({ instance_id: 'meeting-uuid' }, { format: wav.format, signal: abort.signal })) wav.write(item);
  } finally {
    wav.close();
  }
  console.log(wav.duration, wav.dataBytes);
  for await (const item of client.subscribeAudio({ rtms_stream_id: 's' }, { format: { codec: 'AUDIO_CODEC_OPUS', sample_rate_hz: 48000, opus_bitrate_bps: 24000 } })) {
    if (item.kind === 'message') console.log(item.message.format?.frame_duration_ms);
  }
  for await (const item of client.subscribeVideo({ rtms_stream_id: 's' })) {
    if (item.kind === 'message' && item.message.key_frame) {
      const frame: VideoFrame = item.message;
      console.log(frame.format?.codec === 'VIDEO_CODEC_H264', frame.format?.width, frame.data.length);
    }
  }
  const items: AsyncGenerator<StreamItem<unknown>, void, undefined> = client.subscribeEvents({ rtms_stream_id: 's' });
  void items;
  const sessions: SessionInfo[] = await client.listSessions({ include_stopped: true });
  console.log(sessions[0]?.owner?.epoch);
  try {
    await client.listSessions();
  } catch (error) {
    console.log(reasonOf(error), errorDetails(error)?.retryInfo?.retry_delay?.seconds, status.NOT_FOUND);
  }
  client.close();
}
void example;
