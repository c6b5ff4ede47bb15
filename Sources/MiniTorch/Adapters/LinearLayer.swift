/// A layer that maps [..., in] -> [..., out]: what a LoRA adapter can wrap.
///
/// PEFT's `lora.Linear` wraps any `base_layer` that behaves like `nn.Linear` (a full-precision
/// `nn.Linear`, a bitsandbytes `Linear4bit`, ...) and only needs its `in_features` and
/// `out_features` to size the adapter. `LoRALinear` asks the same of its base through this
/// protocol, so a full-precision `Linear` and a frozen 4-bit `Linear4bit` can both carry an
/// adapter.
public protocol LinearLayer: Module {
    /// Size of the last input dimension.
    var inFeatures: Int { get }
    /// Size of the last output dimension.
    var outFeatures: Int { get }
    /// The forward pass: x [..., in] -> [..., out].
    func callAsFunction(_ x: Tensor) -> Tensor
}

extension Linear: LinearLayer {}
