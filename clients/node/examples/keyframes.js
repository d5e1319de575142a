#!/usr/bin/env node
// Saves a meeting's video key frames as files named by sequence: JPEG/PNG images as they are, H.264 access units
// (Annex B, with SPS and PPS, so each file decodes alone) as .h264.
//   node examples/keyframes.js --meeting "$MEETING_UUID" [--dir keyframes] [--limit 10] [--addresses ...]  (options.js)
'use strict';
const fs = require('fs');
const path = require('path');
const { reasonOf } = require('..');
const { exampleOptions } = require('./options');

const EXTENSIONS = { VIDEO_CODEC_JPG: 'jpg', VIDEO_CODEC_PNG: 'png', VIDEO_CODEC_H264: 'h264' };

async function main() {
  const { values, client, target, signal } = exampleOptions({
    dir: { type: 'string', default: 'keyframes' },
    limit: { type: 'string', default: '10' },
  });
  fs.mkdirSync(values.dir, { recursive: true });
  let saved = 0;
  try {
    for await (const item of client.subscribeVideo(target, { signal })) {
      if (item.kind === 'gap') {
        console.log(`[gap] ${item.gap.missed_count} frames missed (${item.gap.reason})`);
      } else if (item.kind === 'ended') {
        console.log(`[ended] ${item.ended.stop_reason} ${item.ended.description}`);
      } else if (item.message.key_frame) {
        const { codec, width, height } = item.message.format;
        const file = path.join(values.dir, `${item.sequence}.${EXTENSIONS[codec] || 'bin'}`);
        fs.writeFileSync(file, item.message.data);
        console.log(`saved ${file} (${codec} ${width}x${height})`);
        if (++saved === Number(values.limit)) break;
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    console.error(`stopped: ${reasonOf(error) || error.code} ${error.message}`);
    process.exitCode = 1;
  } finally {
    client.close();
  }
}

main();
