#!/usr/bin/env node
// Prints a meeting's live transcripts as "speaker: text", and every gap and the end as they come.
//   node examples/transcripts.js --meeting "$MEETING_UUID" [--count N] [--addresses ...] [--token-file ...]  (options.js)
'use strict';
const { reasonOf } = require('..');
const { exampleOptions } = require('./options');

async function main() {
  const { values, client, target, signal } = exampleOptions({ count: { type: 'string', default: '0' } });
  let printed = 0;
  try {
    for await (const item of client.subscribeTranscripts(target, { signal })) {
      if (item.kind === 'message') {
        console.log(`${item.message.header.user_name}: ${item.message.text}`);
        if (++printed === Number(values.count)) break;
      } else if (item.kind === 'gap') {
        console.log(`[gap] ${item.gap.missed_count} segments missed (${item.gap.reason})`);
      } else {
        console.log(`[ended] ${item.ended.stop_reason} ${item.ended.description}`);
      }
    }
  } catch (error) {
    if (signal.aborted) return; // Ctrl+C or SIGTERM
    console.error(`stopped: ${reasonOf(error) || error.code} ${error.message}`);
    process.exitCode = 1;
  } finally {
    client.close();
  }
}

main();
