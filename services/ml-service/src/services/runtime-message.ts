/**
 * onnxruntime prefixes many of its errors with where in its C++ source they were raised: a file
 * and line, then the full signature of the function (`model.cc:202 onnxruntime::Model::Model(
 * onnx::ModelProto&&, const onnxruntime::PathString&, ...) Unsupported model IR version: 99`).
 * Whoever uploaded the model needs the sentence after it; the location is left out.
 */
const SOURCE_LOCATION =
  /[\w.-]+\.(?:cc|cpp|h|hpp):\d+ (?:[\w:~<>*&]+ )?[\w:~<>*&]+\([^)]*\)(?:::<lambda\(\)>)?(?: const)?(?: \[with [^\]]*\])? /g;

/**
 * The runtime's message without its C++ source locations.
 *
 * @example
 * runtimeReason('rnn.h:48 onnxruntime::RNN<T>::RNN(const onnxruntime::OpKernelInfo&) [with T = float] layout_ == 0 was false.')
 * // 'layout_ == 0 was false.'
 */
export function runtimeReason(message: string): string {
  return message.replace(SOURCE_LOCATION, '');
}

/** Messages onnxruntime gives for what it cannot run, each with the fix that serves the model. */
const ADVICE: ReadonlyArray<readonly [RegExp, (m: RegExpMatchArray) => string]> = [
  [
    /([\w.]*):(\w+)\(-?\d+\) is not a registered function\/op/,
    (m) =>
      `operator ${m[2]}${m[1] ? ` of domain "${m[1]}"` : ''} is not one onnxruntime provides (custom operator libraries are not loaded here): export the model without it, with standard ONNX operators`,
  ],
  [
    /Could not find an implementation for (\w+)\((\d+)\) node with name '([^']*)'/,
    (m) =>
      `onnxruntime has no ${m[1]} (opset ${m[2]}) kernel for the element type node "${m[3]}" is given (often FP64 or an integer type): export the model in FP32 (for PyTorch, model.float() before export) or cast around that node`,
  ],
  [
    /In Node, \("([^"]*)", (\w+), "([^"]*)".*No opset import for domain '([^']*)'/s,
    (m) =>
      `node "${m[1]}" uses operator ${m[2]} of domain "${m[4]}", which the model's opset_import does not list: export it with that domain imported (torch.onnx.export: custom_opsets={"${m[4]}": 1}; onnx: onnx.helper.make_opsetid), or without the operator`,
  ],
  [
    /Current official support for domain ([\w.]*) is till opset (\d+)/,
    (m) => `export the model with opset ${m[2]} or lower for domain "${m[1] || 'ai.onnx'}"`,
  ],
  [
    /Unsupported model IR version: (\d+), max supported IR version: (\d+)/,
    (m) =>
      `export the model with IR version ${m[2]} or lower (an onnx package of that time writes it; a model that uses nothing newer can have its ir_version set to ${m[2]})`,
  ],
  [
    /Failed to construct locale with name:\s*([^\s:]+)/,
    (m) =>
      `a StringNormalizer names the locale "${m[1]}", which this server does not have: export it with locale "C.UTF-8", or without a locale`,
  ],
];

/**
 * The runtime's reason (see `runtimeReason`), followed by the fix where the reason is a known
 * kind of thing the runtime cannot run.
 *
 * @example
 * explainRuntimeError("Could not find an implementation for Erf(13) node with name 'erf'")
 * // "Could not find an implementation for Erf(13) node with name 'erf'. Fix: onnxruntime has no Erf (opset 13) kernel ..."
 */
export function explainRuntimeError(message: string): string {
  const reason = runtimeReason(message).trim();
  for (const [pattern, fix] of ADVICE) {
    const m = reason.match(pattern);
    if (m) return `${reason.replace(/[.\s]+$/, '')}. Fix: ${fix(m)}`;
  }
  return reason;
}
