using Gym.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gym.Trainer.Training;

/// <summary>
/// AdamW over a model's named parameters: TorchSharp's <c>torch.optim.AdamW</c> (the update torch.optim.AdamW
/// makes), with the learning rate and the step count at hand for schedules, gradient clipping, and its state
/// readable and restorable by parameter name for checkpoints (<c>exp_avg.NAME</c>, <c>exp_avg_sq.NAME</c>, and
/// <c>step.NAME</c>: a parameter that had no gradient in a step is not stepped, so counts may differ).
/// </summary>
public sealed class PolicyOptimizer : IDisposable
{
    private readonly (string Name, Parameter Parameter)[] _parameters;
    private readonly AdamW _adamW;

    /// <summary>Creates the optimizer over every parameter of <paramref name="model"/>.</summary>
    public PolicyOptimizer(nn.Module model, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(model);
        _parameters = [.. model.named_parameters()];
        // TorchSharp's AdamW defaults weight_decay to 0 where torch.optim.AdamW uses 0.01: always pass it.
        _adamW = optim.AdamW(_parameters.Select(p => p.Parameter), learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>The learning rate of the next step (schedules set it).</summary>
    public double LearningRate
    {
        get => _adamW.ParamGroups.First().LearningRate;
        set
        {
            foreach (var group in _adamW.ParamGroups)
                group.LearningRate = value;
        }
    }

    /// <summary>Steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>Drops every parameter's gradient.</summary>
    public void ZeroGrad() => _adamW.zero_grad();

    /// <summary>Scales the gradients so their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public double ClipGradients(double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        return nn.utils.clip_grad_norm_(_parameters.Select(p => p.Parameter), maxNorm);
    }

    /// <summary>Applies one update from the parameters' gradients.</summary>
    public void Step()
    {
        using DisposeScope scope = NewDisposeScope();
        _adamW.step();
        StepCount++;
    }

    /// <summary>
    /// The state by name, as checkpoints store it: the moments (the optimizer's own tensors) and each parameter's step
    /// count (a new one-element tensor, which the caller disposes).
    /// </summary>
    public IEnumerable<(string Name, Tensor Value)> State()
    {
        IList<OptimizerState> states = _adamW.state_dict().State;
        for (int i = 0; i < _parameters.Length; i++)
        {
            AdamW.State state = (AdamW.State)states[i];
            yield return ("exp_avg." + _parameters[i].Name, state.exp_avg);
            yield return ("exp_avg_sq." + _parameters[i].Name, state.exp_avg_sq);
            yield return ("step." + _parameters[i].Name, tensor(state.step));
        }
    }

    /// <summary>
    /// Restores the state saved by <see cref="State"/> and the step count (<paramref name="steps"/> stands in for
    /// per-parameter counts that older checkpoints lack); <paramref name="source"/> names the state in errors.
    /// </summary>
    public void Restore(IReadOnlyDictionary<string, Tensor> moments, long steps, string source)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        IList<OptimizerState> states = _adamW.state_dict().State;
        using (no_grad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                AdamW.State state = (AdamW.State)states[i];
                Copy(state.exp_avg, "exp_avg." + _parameters[i].Name);
                Copy(state.exp_avg_sq, "exp_avg_sq." + _parameters[i].Name);
                state.step = moments.TryGetValue("step." + _parameters[i].Name, out Tensor? step) ? step.item<long>() : steps;
            }
        }
        StepCount = steps;

        void Copy(Tensor into, string name)
        {
            if (!moments.TryGetValue(name, out Tensor? saved))
                throw new InvalidDataException($"{source}: no moment '{name}': the optimizer state does not match the model.");
            if (!saved.shape.SequenceEqual(into.shape))
                throw new InvalidDataException($"{source}: moment '{name}' has shape [{string.Join(", ", saved.shape)}], the model needs [{string.Join(", ", into.shape)}].");
            into.copy_(saved);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _adamW.Dispose();
}
