// The phone page: the shipped int8 classifier in LiteRT.js (WASM, XNNPack), on a photo or
// a camera frame. The model's input contract (docs/mobile.md): one tensor `image`,
// 1 x H x W x 3 RGB pixels 0..255 (float32); it converts to gray and scales by itself, and
// outputs `probabilities`. So the page only resizes the picture and copies its pixels.
import {loadAndCompile, loadLiteRt, Tensor} from './vendor/litert-core.js';

const status = document.getElementById('status');
const canvas = document.getElementById('input');
let model, labels, height, width;

function show(text, error = false) {
  status.textContent = text;
  status.className = error ? 'error' : '';
}

async function init() {
  await loadLiteRt(new URL('./vendor/wasm/', location.href).href);
  model = await loadAndCompile(new URL('./model/model.tflite', location.href).href,
                               {accelerator: 'wasm'});
  const response = await fetch('./model/labels.txt');
  labels = (await response.text()).split('\n').filter((line) => line.length > 0);
  [, height, width] = model.getInputDetails()[0].shape;
  canvas.width = width;
  canvas.height = height;
  show(`Model ready: input ${height} x ${width} RGB, ${labels.length} classes.`);
  window.phoneReady = true;
}

// RGB pixels 0..255 of `source` (an image or video frame) drawn at the model's input size
function pixels(source) {
  const context = canvas.getContext('2d', {willReadFrequently: true});
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return rgb;
}

async function classify(source) {
  const input = new Tensor(pixels(source), [1, height, width, 3]);
  const start = performance.now();
  const outputs = await model.run(input);
  const latencyMs = performance.now() - start;
  const probabilities = Array.from(outputs[0].toTypedArray());
  input.delete();
  outputs.forEach((tensor) => tensor.delete());
  const top3 = probabilities.map((p, i) => [i, p]).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([index, p]) => ({index, label: labels[index], probability: p}));
  const table = document.getElementById('top3');
  table.replaceChildren(...top3.map(({label, probability}) => {
    const row = document.createElement('tr');
    row.innerHTML = '<td></td><td class="p"></td>';
    row.cells[0].textContent = label;
    row.cells[1].textContent = `${(100 * probability).toFixed(1)} %`;
    return row;
  }));
  show(`On-device latency: ${latencyMs.toFixed(1)} ms (LiteRT.js, WASM)`);
  window.lastResult = {probabilities, top3, latencyMs};
  return window.lastResult;
}

document.getElementById('photo').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const image = document.getElementById('preview');
  image.onload = () => classify(image).catch((err) => show(String(err), true));
  image.onerror = () => show('This file is not an image the browser can read.', true);
  image.hidden = false;
  image.src = URL.createObjectURL(file);
});

document.getElementById('camera').addEventListener('click', async () => {
  const video = document.getElementById('video');
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia(
      {video: {facingMode: 'environment'}, audio: false});
  } catch (err) {
    show(`No camera: ${err.message}. Use "Photo / camera" instead.`, true);
    return;
  }
  video.hidden = false;
  document.getElementById('snap').hidden = false;
  await video.play();
});

document.getElementById('snap').addEventListener('click', () => {
  classify(document.getElementById('video')).catch((err) => show(String(err), true));
});

init().catch((err) => show(`Could not load the model: ${err}`, true));
