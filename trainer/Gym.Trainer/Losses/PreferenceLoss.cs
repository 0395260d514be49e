using Gym.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Trainer.Losses;

/// <summary>The DPO objective over preference pairs.</summary>
public static class PreferenceLoss
{
    /// <summary>
    /// -mean log σ(β (Δ_chosen - Δ_rejected)), where Δ = log π_φ(τ) - log π_ref(τ) is each trajectory's log-ratio to
    /// the reference policy ([pairs] tensors).
    /// </summary>
    public static Tensor Dpo(Tensor chosenLogRatio, Tensor rejectedLogRatio, double beta)
    {
        ArgumentNullException.ThrowIfNull(chosenLogRatio);
        ArgumentNullException.ThrowIfNull(rejectedLogRatio);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beta);
        return -nn.functional.logsigmoid((chosenLogRatio - rejectedLogRatio) * Scalars.Of(beta)).mean();
    }
}
