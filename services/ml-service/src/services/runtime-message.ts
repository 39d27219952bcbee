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
