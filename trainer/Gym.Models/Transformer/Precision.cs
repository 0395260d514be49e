using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gym.Models.Transformer;

/// <summary>
/// Mixed precision for one model (libtorch's autocast, which TorchSharp does not expose, done by the model itself):
/// with <see cref="Autocast"/> set, linear layers and attention run in that type while the weights, their gradients,
/// the norms and the losses stay in the weights' type.
/// </summary>
public sealed class Precision
{
    /// <summary>The type matrix products run in, or null to run everything in the weights' type.</summary>
    public ScalarType? Autocast { get; set; }

    /// <summary>x Wᵀ (+ b), in the autocast type when there is one.</summary>
    internal Tensor Linear(Linear layer, Tensor input)
    {
        if (Autocast is not { } type)
            return layer.forward(input);
        return nn.functional.linear(input.to(type), layer.weight!.to(type), layer.bias?.to(type));
    }
}
