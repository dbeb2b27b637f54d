/*
 * Draws the extension's 128x128 icon (images/icon.png) without any image library: an Azure-blue
 * rounded square holding a white disk (the VM image) and a magnifying glass (the linter).
 * Shapes are signed-distance functions, sampled with 4x4 supersampling for smooth edges, and the
 * pixels are written as a PNG with Node's zlib. Run: node images/generate-icon.js
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const size = 128;

function roundedSquare(x, y, half, radius) {
  const qx = Math.abs(x) - half + radius;
  const qy = Math.abs(y) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}
function circle(x, y, cx, cy, r) {
  return Math.hypot(x - cx, y - cy) - r;
}
function segment(x, y, ax, ay, bx, by, halfWidth) {
  const px = x - ax,
    py = y - ay,
    dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - halfWidth;
}

/** Colour of one sample point, painted back to front. */
function shade(x, y) {
  let colour = [0, 0, 0, 0];
  const paint = (inside, rgba) => {
    if (inside) colour = rgba;
  };
  const c = x - 64,
    d = y - 64;
  const top = [0x00, 0x78, 0xd4],
    bottom = [0x00, 0x50, 0x9a];
  const mix = y / size;
  paint(roundedSquare(c, d, 60, 18) <= 0, [...top.map((v, i) => Math.round(v + (bottom[i] - v) * mix)), 255]);
  // The VM image: a disk with a hub.
  paint(circle(x, y, 54, 54, 32) <= 0, [255, 255, 255, 255]);
  paint(circle(x, y, 54, 54, 10) <= 0, [0x00, 0x66, 0xb8, 255]);
  paint(circle(x, y, 54, 54, 4) <= 0, [255, 255, 255, 255]);
  // The linter: a magnifying glass over the disk's lower right.
  paint(segment(x, y, 92, 92, 110, 110, 7) <= 0, [0xff, 0xb9, 0x00, 255]);
  paint(circle(x, y, 82, 82, 19) <= 0, [0xff, 0xb9, 0x00, 255]);
  paint(circle(x, y, 82, 82, 12) <= 0, [0xe8, 0xf3, 0xfc, 255]);
  return colour;
}

const samples = 4;
const raw = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) {
  raw[y * (size * 4 + 1)] = 0; // PNG filter type "None" for this row.
  for (let x = 0; x < size; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const [r, g, b, a] = shade(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples);
        sum[0] += r * a;
        sum[1] += g * a;
        sum[2] += b * a;
        sum[3] += a;
      }
    }
    const offset = y * (size * 4 + 1) + 1 + x * 4;
    const alpha = sum[3] / (samples * samples);
    for (let i = 0; i < 3; i++) raw[offset + i] = sum[3] ? Math.round(sum[i] / sum[3]) : 0;
    raw[offset + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // colour type RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(path.join(__dirname, 'icon.png'), png);
console.log(`wrote images/icon.png (${png.length} bytes)`);
