using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Gym.Models.Transformer;

/// <summary>
/// Llama's RMSNorm: x / sqrt(mean(x²) + eps), computed in float32 whatever the input type, times a learned scale
/// (initialised to ones). TorchSharp has no RMSNorm module.
/// </summary>
internal sealed class RmsNorm : nn.Module
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    private readonly double _epsilon;

    public RmsNorm(long size, double epsilon, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        _epsilon = epsilon;
        _weight = new Parameter(ones(size, dtype, device));
        RegisterComponents();
    }

    public Tensor Forward(Tensor input)
    {
        bool float32 = input.dtype == ScalarType.Float32;
        Tensor x = float32 ? input : input.to(ScalarType.Float32);
        Tensor normalised = x * (x.square().mean([-1], keepdim: true) + Scalars.Of(_epsilon)).rsqrt();
        return _weight * (float32 ? normalised : normalised.to(input.dtype));
    }
}
