import type { RandomStream } from './random-stream';
import { type Mat4, rigid, rotationYawPitchRoll } from './rigid';

/**
 * A smooth camera path, as from a car or a hand-held camera: forward at a constant speed along a
 * heading that turns at a constant rate, a slow sideways drift, a small vertical bob, and pitch and
 * roll that wobble slightly. `motion` scales every displacement and rotation rate. Units: scene units
 * and radians per frame.
 */
export interface Trajectory {
  /** The camera-to-world pose at (fractional) frame `t`, row-major 4x4. */
  at(t: number): Mat4;
}

export function cameraTrajectory(rng: RandomStream, motion: number): Trajectory {
  const speed = rng.uniform(0.4, 0.7) * motion;
  const yaw0 = rng.uniform(-0.12, 0.12);
  const yawRate = rng.uniform(-0.03, 0.03) * motion;
  const pitch0 = rng.uniform(-0.05, 0.05);
  const roll0 = rng.uniform(-0.03, 0.03);
  const wobble = (amplitude: number) => {
    const a = amplitude * motion;
    const omega = rng.uniform(0.3, 0.9);
    const phase = rng.uniform(0, 2 * Math.PI);
    return (t: number) => a * (Math.sin(omega * t + phase) - Math.sin(phase));
  };
  const pitch = wobble(0.012);
  const roll = wobble(0.01);
  const bob = wobble(0.02);
  const x0 = rng.uniform(-1, 1);
  const drift = rng.uniform(-0.04, 0.04) * motion;
  const yaw = (t: number) => yaw0 + yawRate * t;
  /** The forward travel, integrated along the turning heading (Simpson's rule, 16 steps per frame). */
  const travel = (t: number): [number, number] => {
    const steps = Math.max(2, 2 * Math.ceil(8 * Math.abs(t)));
    const h = t / steps;
    let sx = 0;
    let sz = 0;
    for (let i = 0; i <= steps; i++) {
      const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
      sx += w * Math.sin(yaw(i * h));
      sz += w * Math.cos(yaw(i * h));
    }
    return [(speed * h * sx) / 3, (speed * h * sz) / 3];
  };
  return {
    at(t: number): Mat4 {
      const [fx, fz] = travel(t);
      const heading = yaw(t);
      const position = [x0 + fx + drift * t * Math.cos(heading), bob(t), fz - drift * t * Math.sin(heading)];
      return rigid(rotationYawPitchRoll(heading, pitch0 + pitch(t), roll0 + roll(t)), position);
    },
  };
}
