// Compiled by `tsc --noEmit` (NodeClientTests): the declarations describe what a user writes with the library.
import { GatewayClient, reasonOf, errorDetails, epochOf, status, StreamItem, TranscriptSegment, SessionInfo } from '../src';

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
