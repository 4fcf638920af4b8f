import type { BackendInfo } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { controlsView } from '../shell/page-controls';
import { type WorkerScope, workerHost } from './worker-host';
import type { RunState, WorkerEvent, WorkerRequest } from './worker-protocol';

// A page's protocol: a start payload and one command; a ready field, a progress with one more number,
// one result.
type Request = WorkerRequest<{ readonly seed: number }, { readonly type: 'show'; readonly index: number }>;
type Event = WorkerEvent<
  { readonly pairs: number },
  { readonly step: number; readonly loss: number; readonly milliseconds: number; readonly rate: number },
  { readonly type: 'view'; readonly index: number }
>;

/** A worker scope that records what is posted and delivers requests as `message` events. */
function fakeScope() {
  const target = new EventTarget();
  const posted: { message: Record<string, unknown>; transfer: Transferable[] }[] = [];
  const scope: WorkerScope = {
    postMessage: (message, transfer) =>
      posted.push({ message: message as Record<string, unknown>, transfer }),
    addEventListener: (type, listener) => target.addEventListener(type, listener as EventListener),
  };
  const deliver = (request: Request) => target.dispatchEvent(new MessageEvent('message', { data: request }));
  return { scope, posted, deliver };
}

const info = { name: 'wasm', floatPrecision: 32 } as unknown as BackendInfo;

describe('workerHost', () => {
  test('stamps every event with the live tensor count; ready carries the backend and the page fields', () => {
    const { scope, posted } = fakeScope();
    const state: RunState = { running: false, finished: false, step: 0 };
    const host = workerHost<Event>({ state: () => state, scope });
    host.ready({ info, notice: 'fell back', fellBack: true }, { pairs: 4 });
    const held = tf.scalar(1);
    const buffer = new ArrayBuffer(8);
    host.post({ type: 'view', index: 2 }, [buffer]);
    host.postState();
    held.dispose();
    host.post({ type: 'view', index: 3 });
    expect(posted.map((p) => p.message)).toEqual([
      {
        type: 'ready',
        info,
        notice: 'fell back',
        fellBack: true,
        pairs: 4,
        numTensors: tf.memory().numTensors,
      },
      { type: 'view', index: 2, numTensors: tf.memory().numTensors + 1 },
      { type: 'state', running: false, finished: false, step: 0, numTensors: tf.memory().numTensors + 1 },
      { type: 'view', index: 3, numTensors: tf.memory().numTensors },
    ]);
    expect(posted[1]!.transfer).toEqual([buffer]);
    expect(posted[0]!.transfer).toEqual([]);
  });

  test('steps per second over the last 10 steps (1000 / ms for the first), restarted after a pause', () => {
    const { scope, posted } = fakeScope();
    let now = 0;
    const host = workerHost<Event>({
      state: () => ({ running: true, finished: false, step: 0 }),
      scope,
      clock: () => now,
    });
    // Steps end at 100, 300, 600, ... ms: step k takes 100 k ms.
    const ends: number[] = [];
    for (let k = 1; k <= 12; k++) {
      now += 100 * k;
      ends.push(now);
      host.stepped({ step: k, loss: 1 / k, milliseconds: 40, rate: 0.5 });
    }
    const rates = posted.map((p) => p.message['stepsPerSecond']);
    expect(rates[0]).toBe(1000 / 40);
    expect(rates[1]).toBe(1000 / (ends[1]! - ends[0]!));
    expect(rates[9]).toBe((9 * 1000) / (ends[9]! - ends[0]!));
    expect(rates[10]).toBe((10 * 1000) / (ends[10]! - ends[0]!)); // 11 ends kept: 10 intervals
    expect(rates[11]).toBe((10 * 1000) / (ends[11]! - ends[1]!)); // the oldest dropped
    expect(posted[3]!.message).toMatchObject({
      type: 'step',
      step: 4,
      loss: 0.25,
      milliseconds: 40,
      rate: 0.5,
    });
    host.restartRate();
    now += 5000;
    host.stepped({ step: 13, loss: 0.1, milliseconds: 250, rate: 0.5 });
    expect(posted.at(-1)!.message['stepsPerSecond']).toBe(4);
  });

  test('a request that fails posts its error, then the state; onError runs first; later requests still run', async () => {
    const { scope, posted, deliver } = fakeScope();
    let running = true;
    const seen: string[] = [];
    const host = workerHost<Event>({
      state: () => ({ running, finished: false, step: 7 }),
      onError: () => {
        running = false;
      },
      scope,
    });
    host.listen<Request>(async (request) => {
      seen.push(request.type);
      if (request.type === 'show') throw new Error(`no pair ${request.index}`);
      if (request.type === 'init') host.post({ type: 'view', index: request.seed });
    });
    deliver({ type: 'show', index: 9 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    deliver({ type: 'init', backend: 'wasm', seed: 5 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['show', 'init']);
    const count = tf.memory().numTensors;
    expect(posted.map((p) => p.message)).toEqual([
      { type: 'error', message: 'no pair 9', numTensors: count },
      { type: 'state', running: false, finished: false, step: 7, numTensors: count },
      { type: 'view', index: 5, numTensors: count },
    ]);
  });
});

describe('controlsView', () => {
  test('Train / Pause / Done, what can be clicked, and the status line', () => {
    expect(controlsView({ running: false, finished: false, step: 0 })).toEqual({
      play: 'Train',
      playDisabled: false,
      stepDisabled: false,
      status: 'paused at step 0',
    });
    expect(controlsView({ running: true, finished: false, step: 3 })).toEqual({
      play: 'Pause',
      playDisabled: false,
      stepDisabled: true,
      status: 'training…',
    });
    expect(controlsView({ running: false, finished: true, step: 600 })).toEqual({
      play: 'Done',
      playDisabled: true,
      stepDisabled: true,
      status: 'done: 600 steps (Reset to train again)',
    });
  });
});
