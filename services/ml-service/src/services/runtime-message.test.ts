import { describe, expect, it } from 'vitest';
import { explainRuntimeError, runtimeReason } from './runtime-message.js';

describe('runtimeReason', () => {
  it("drops onnxruntime's source file, line and function signature, keeping the sentence", () => {
    const seen = [
      [
        'model.cc:202 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const onnxruntime::IOnnxRuntimeOpSchemaRegistryList*, const onnxruntime::logging::Logger&, const onnxruntime::ModelOptions&) Unsupported model IR version: 99, max supported IR version: 13',
        'Unsupported model IR version: 99, max supported IR version: 13',
      ],
      [
        'model_load_utils.h:46 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::__cxx11::basic_string<char>, int>&, const onnxruntime::logging::Logger&, bool, const std::string&, int) ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions.',
        'ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions.',
      ],
      [
        'Exception during initialization: deep_cpu_gru.h:56 onnxruntime::DeepCpuGruOp::DeepCpuGruOp(const onnxruntime::OpKernelInfo&) layout_ == 0 was false. Batchwise recurrent operations (layout == 1) are not supported.',
        'Exception during initialization: layout_ == 0 was false. Batchwise recurrent operations (layout == 1) are not supported.',
      ],
      [
        'Exception during initialization: rnn.h:48 onnxruntime::RNN<T>::RNN(const onnxruntime::OpKernelInfo&) [with T = float] layout_ == 0 was false.',
        'Exception during initialization: layout_ == 0 was false.',
      ],
      [
        'Exception during initialization: string_normalizer.cc:235 onnxruntime::StringNormalizer::Locale::Locale(const std::string&)::<lambda()> Failed to construct locale with name:en_US.UTF-8',
        'Exception during initialization: Failed to construct locale with name:en_US.UTF-8',
      ],
      [
        "Non-zero status code returned while running Reshape node. Name:'' Status Message: reshape_helper.h:91 onnxruntime::ReshapeHelper::ReshapeHelper(const onnxruntime::TensorShape&, onnxruntime::TensorShapeVector&, bool) input_shape_size == requested_shape_size was false. The input tensor cannot be reshaped",
        "Non-zero status code returned while running Reshape node. Name:'' Status Message: input_shape_size == requested_shape_size was false. The input tensor cannot be reshaped",
      ],
    ];
    for (const [raw, reason] of seen) expect(runtimeReason(raw!)).toBe(reason);
  });

  it('leaves messages without a source location alone', () => {
    const plain = 'Fatal error: com.example:Foo(-1) is not a registered function/op';
    expect(runtimeReason(plain)).toBe(plain);
    expect(runtimeReason('Error: Duplicate definition-site for (x).')).toBe(
      'Error: Duplicate definition-site for (x).',
    );
  });
});

describe('explainRuntimeError', () => {
  it('adds the fix to what the runtime cannot run, naming the operator', () => {
    const cases: [string, RegExp][] = [
      [
        'Fatal error: com.example:FancyOp(-1) is not a registered function/op',
        /^Fatal error: com\.example:FancyOp\(-1\) is not a registered function\/op\. Fix: operator FancyOp of domain "com\.example" is not one onnxruntime provides/,
      ],
      [
        "Could not find an implementation for Erf(13) node with name 'erf'",
        /\. Fix: onnxruntime has no Erf \(opset 13\) kernel for the element type node "erf" is given/,
      ],
      [
        'Opset 30 is under development. Current official support for domain ai.onnx is till opset 26.\n',
        /till opset 26\. Fix: export the model with opset 26 or lower for domain "ai\.onnx"$/,
      ],
      [
        'Exception during initialization: string_normalizer.cc:235 onnxruntime::StringNormalizer::Locale::Locale(const std::string&)::<lambda()> Failed to construct locale with name:fr_FR.UTF-8:locale::facet::_S_create_c_locale name not valid',
        /name not valid\. Fix: a StringNormalizer names the locale "fr_FR\.UTF-8", which this server does not have/,
      ],
      [
        'This is an invalid model. In Node, ("/Gelu", Gelu, "com.microsoft", -1) : ("x": tensor(float),) -> ("y": tensor(float),) , Error No opset import for domain \'com.microsoft\'',
        /domain 'com\.microsoft'\. Fix: node "\/Gelu" uses operator Gelu of domain "com\.microsoft", which the model's opset_import does not list: export it with that domain imported \(torch\.onnx\.export: custom_opsets=\{"com\.microsoft": 1\}/,
      ],
      [
        'Unsupported model IR version: 99, max supported IR version: 13',
        /^Unsupported model IR version: 99, max supported IR version: 13\. Fix: export the model with IR version 13 or lower/,
      ],
    ];
    for (const [raw, explained] of cases) expect(explainRuntimeError(raw)).toMatch(explained);
  });

  it('leaves other reasons as runtimeReason gives them', () => {
    expect(explainRuntimeError('Error: Duplicate definition-site for (x).')).toBe(
      'Error: Duplicate definition-site for (x).',
    );
  });
});
