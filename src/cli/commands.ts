import type { Command } from 'commander';
import { register as registerDemo } from './demo.js';
import { register as registerRisk } from './risk.js';
import { register as registerSynth } from './synth.js';
import { register as registerValidate } from './validate.js';
import { register as registerPreprocess } from './preprocess.js';
import { register as registerBench } from './bench.js';
import { register as registerTrain } from './train.js';
import { register as registerCv } from './cv.js';
import { register as registerEvaluate } from './evaluate.js';
import { register as registerPredict } from './predict.js';
import { register as registerRuns } from './runs.js';
import { register as registerServe } from './serve.js';

/** Sets the process exit code of the command that ran. */
export type SetExitCode = (code: number) => void;

/** Every command file exports `register(program, setExit)`; this list wires them in, in help order. */
const registrations: ReadonlyArray<(program: Command, setExit: SetExitCode) => void> = [
  registerDemo,
  registerSynth,
  registerValidate,
  registerPreprocess,
  registerTrain,
  registerCv,
  registerEvaluate,
  registerPredict,
  registerRisk,
  registerRuns,
  registerServe,
  registerBench,
];

export function registerCommands(program: Command, setExit: SetExitCode): void {
  for (const register of registrations) register(program, setExit);
}
