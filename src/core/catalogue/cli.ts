import { defineDiagnostics } from './define.js';

/** Problems with what was typed: a flag's value, an answer to `scs init`, a code for `scs explain`. */
export const cliDiagnostics = defineDiagnostics({
  usage: {
    severity: 'error',
    title: 'A bad flag value (or scs init answer, or scs init flags missing without a terminal); exit code 2',
    /** `problem`: which value is wrong and why; `fix`: how to write it. */
    message: (a: { problem: string; fix: string }) => a.problem,
    hint: (a) => a.fix,
  },
});
