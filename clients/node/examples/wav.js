#!/usr/bin/env node
// Records a meeting's mixed audio as a WAV file (L16, 16 kHz, mono, as asked of the gateway). Every gap becomes
// silence of the missed duration, so the file's timing stays true; the file is finalized at the meeting's end, on
// Ctrl+C and on SIGTERM.
//   node examples/wav.js --meeting "$MEETING_UUID" --out meeting.wav [--addresses ...] [--token-file ...]  (options.js)
'use strict';
const { WavWriter, reasonOf } = require('..');
const { exampleOptions } = require('./options');

async function main() {
  const { values, client, target, signal } = exampleOptions({ out: { type: 'string', default: 'meeting.wav' } });
  const wav = new WavWriter(values.out, { sampleRate: 16000, channels: 1 });
  try {
    for await (const item of client.subscribeAudio(target, { format: wav.format, signal })) {
      const first = item.kind === 'message' && wav.dataBytes === 0;
      wav.write(item);
      if (first) console.log(`recording ${values.out}`);
      else if (item.kind === 'gap') console.log(`[gap] ${item.gap.missed_count} frames missed (${item.gap.reason}): written as silence`);
      else if (item.kind === 'ended') console.log(`[ended] ${item.ended.stop_reason} ${item.ended.description}`);
    }
  } catch (error) {
    if (!signal.aborted) {
      console.error(`stopped: ${reasonOf(error) || error.code} ${error.message}`);
      process.exitCode = 1;
    }
  } finally {
    wav.close(); // the header gets its final sizes
    console.log(`wrote ${values.out}: ${wav.duration.toFixed(2)} s`);
    client.close();
  }
}

main();
