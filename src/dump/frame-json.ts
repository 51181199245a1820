// Frames as the report's JSON. Frames and stacks repeat across groups and dumps: each becomes JSON once, and the
// report shares that object (the report is data to read, never to change).
import type { Frame } from './model';
import type { FrameJson } from './report';

const framesJson = new WeakMap<Frame, FrameJson>();
const stacksJson = new WeakMap<readonly Frame[], FrameJson[]>();

export function frameJson(frame: Frame): FrameJson {
  let json = framesJson.get(frame);
  if (json === undefined) {
    json = { class: frame.class, method: frame.method, file: frame.file, line: frame.line, text: frame.text, app: frame.app };
    framesJson.set(frame, json);
  }
  return json;
}

export function stackJson(frames: readonly Frame[]): FrameJson[] {
  let json = stacksJson.get(frames);
  if (json === undefined) stacksJson.set(frames, (json = frames.map(frameJson)));
  return json;
}
